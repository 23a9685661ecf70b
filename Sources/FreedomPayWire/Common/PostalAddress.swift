/// A postal address as every JSON API writes it: alpha-3 (or alpha-2) country and three address lines
/// (city; street; building and premises).
public struct PostalAddress: Codable, Sendable, Equatable {
    public var country: String
    public var postalCode: String
    public var addressLine1: String
    public var addressLine2: String
    public var addressLine3: String

    public init(country: String, postalCode: String, addressLine1: String, addressLine2: String, addressLine3: String) {
        self.country = country
        self.postalCode = postalCode
        self.addressLine1 = addressLine1
        self.addressLine2 = addressLine2
        self.addressLine3 = addressLine3
    }

    enum CodingKeys: String, CodingKey {
        case country
        case postalCode = "postal_code"
        case addressLine1 = "address_line1"
        case addressLine2 = "address_line2"
        case addressLine3 = "address_line3"
    }
}


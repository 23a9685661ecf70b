import Foundation
import FreedomPayWire

/// The field rules of `client/add` and `client/update` (card-api.md §3.2, §3.3, §2.3), including the
/// extra fields product 1000 (Freedom Wallet Card) requires. Pure: every refusal names the field.
public enum ClientValidation {
    static let documentMaxBytes = 2 * 1024 * 1024

    public static func product(_ code: Int, field: String = "product_id") throws(CardRuleError) -> ClientProduct {
        guard let product = ClientProduct(rawValue: code) else {
            let known = ClientProduct.allCases.map { String($0.rawValue) }.joined(separator: ", ")
            throw .validation("field '\(field)' must be one of \(known), got \(code)")
        }
        return product
    }

    /// Digits with the country code: 10 to 15 digits.
    public static func phone(_ phone: Int64, field: String) throws(CardRuleError) {
        let digits = String(phone)
        guard phone > 0, (10...15).contains(digits.count) else {
            throw .validation("field '\(field)' must be 10 to 15 digits with the country code")
        }
    }

    public static func validate(_ request: ClientAddRequest) throws(CardRuleError) -> ClientProduct {
        let product = try product(request.productID)
        let client = request.client
        try phone(client.phone, field: "client.phone")
        guard [1, 2, 3].contains(client.type) else { throw .validation("field 'client.type' must be 1, 2 or 3") }
        guard [1, 2].contains(client.resident) else { throw .validation("field 'client.resident' must be 1 or 2") }
        try latinName(client.firstName, field: "client.first_name")
        try latinName(client.lastName, field: "client.last_name")
        if let middle = client.middleName { try latinName(middle, field: "client.middle_name") }
        if let birthdate = client.birthdate { try date(birthdate, field: "client.birthdate") }
        if let email = client.email { try self.email(email) }
        if let country = client.country { try alpha3(country, field: "client.country") }
        if let language = client.language, !(language.count == 2 && language.allSatisfy({ $0.isASCII && $0.isLetter })) {
            throw .validation("field 'client.language' must be an ISO 639-1 alpha-2 code")
        }
        if let personID = client.personID { try nonEmpty(personID, field: "client.person_id") }
        if let document = client.document { try self.document(document) }
        if let address = client.address1 { try self.address(address, field: "client.address1") }
        if let address = client.address2 { try self.address(address, field: "client.address2") }
        if let info = client.identificationInfo {
            guard WireDate.parseRFC3339(info.idnDate) != nil else {
                throw .validation("field 'client.identification_info.idn_date' must be an RFC 3339 date-time")
            }
            try nonEmpty(info.identifiedBy, field: "client.identification_info.identified_by")
        }
        if product == .freedomWalletCard { try requireWalletFields(client) }
        return product
    }

    /// Product 1000 needs full KYC: country, person id, document and both addresses.
    static func requireWalletFields(_ client: ClientData) throws(CardRuleError) {
        let missing: [(String, Bool)] = [
            ("client.country", client.country == nil), ("client.person_id", client.personID == nil),
            ("client.document", client.document == nil), ("client.address1", client.address1 == nil),
            ("client.address2", client.address2 == nil),
        ]
        if let field = missing.first(where: { $0.1 })?.0 {
            throw .validation("field '\(field)' is required for product_id 1000")
        }
    }

    /// Latin letters, with spaces, hyphens and apostrophes between them.
    static func latinName(_ name: String, field: String) throws(CardRuleError) {
        let allowed = name.allSatisfy { ($0.isASCII && $0.isLetter) || $0 == " " || $0 == "-" || $0 == "'" }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 64, allowed else {
            throw .validation("field '\(field)' must be 1 to 64 Latin letters")
        }
    }

    static func date(_ text: String, field: String) throws(CardRuleError) {
        let parts = text.split(separator: "-").map { Int($0) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard text.count == 10, parts.count == 3, let year = parts[0], let month = parts[1], let day = parts[2],
              let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
              calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
        else { throw .validation("field '\(field)' must be a date YYYY-MM-DD") }
    }

    static func email(_ email: String) throws(CardRuleError) {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !email.contains(" "), email.count <= 254 else {
            throw .validation("field 'client.email' must be an e-mail address")
        }
    }

    public static func alpha3(_ code: String, field: String) throws(CardRuleError) {
        guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw .validation("field '\(field)' must be an upper-case alpha-3 code")
        }
    }

    /// A currency the ledger supports (ISO 4217 alpha-3 with its minor-unit exponent).
    public static func currency(_ code: String, field: String) throws(CardRuleError) -> Currency {
        guard let currency = Currency(code: code) else {
            throw .validation("field '\(field)' must be a supported ISO 4217 alpha-3 currency, got '\(code)'")
        }
        return currency
    }

    static func nonEmpty(_ text: String, field: String) throws(CardRuleError) {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw .validation("field '\(field)' must not be empty") }
    }

    /// Base64 of a PDF (`%PDF` magic), at most 2 MB decoded.
    static func document(_ base64: String) throws(CardRuleError) {
        guard let data = Data(base64Encoded: base64) else { throw .validation("field 'client.document' must be Base64") }
        guard data.count <= documentMaxBytes else { throw .validation("field 'client.document' exceeds 2 MB") }
        guard data.starts(with: Array("%PDF".utf8)) else { throw .validation("field 'client.document' must be a PDF") }
    }

    static func address(_ address: ClientAddress, field: String) throws(CardRuleError) {
        try alpha3(address.country, field: "\(field).country")
        try nonEmpty(address.postalCode, field: "\(field).postal_code")
        try nonEmpty(address.addressLine1, field: "\(field).address_line1")
        try nonEmpty(address.addressLine2, field: "\(field).address_line2")
        try nonEmpty(address.addressLine3, field: "\(field).address_line3")
    }
}

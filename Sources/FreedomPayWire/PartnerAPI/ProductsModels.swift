import Foundation

/// An address of a company or a point of sale (§2.3, §3.3). `country` is alpha-3 (new docs) or alpha-2 (old).
public typealias PartnerAddress = PostalAddress

/// A person: `user_info` of Add user, `ceo_info` of the old Add client shape.
public struct PartnerPerson: Codable, Sendable, Equatable {
    public var firstName: String
    public var lastName: String
    public var phone: FlexibleString
    public var email: String

    public init(firstName: String, lastName: String, phone: String, email: String) {
        self.firstName = firstName
        self.lastName = lastName
        self.phone = FlexibleString(phone)
        self.email = email
    }

    enum CodingKeys: String, CodingKey {
        case firstName = "first_name"
        case lastName = "last_name"
        case phone, email
    }
}

/// `company` of Add client with product (new schema, §3.3).
public struct PartnerCompany: Codable, Sendable, Equatable {
    public var companyID: String?
    public var name: String
    public var bin: FlexibleString
    public var address: PartnerAddress
    public var iban: String?
    public var description: String?
    public var legalType: String?

    public init(
        companyID: String? = nil, name: String, bin: String, address: PartnerAddress, iban: String? = nil,
        description: String? = nil, legalType: String? = nil
    ) {
        self.companyID = companyID
        self.name = name
        self.bin = FlexibleString(bin)
        self.address = address
        self.iban = iban
        self.description = description
        self.legalType = legalType
    }

    enum CodingKeys: String, CodingKey {
        case companyID = "company_id"
        case name, bin, address, iban, description
        case legalType = "legal_type"
    }
}

/// A product object (§2.3–§2.5); `product_id` selects its shape. The whole object is kept as JSON so that
/// fields we do not model (Freedom BOX) are stored and echoed unchanged.
public struct PartnerProduct: Codable, Sendable, Equatable {
    public var productID: Int
    public var fields: PartnerJSONValue

    public init(productID: Int, fields: [String: PartnerJSONValue]) {
        self.productID = productID
        var all = fields
        all["product_id"] = .number(Decimal(productID))
        self.fields = .object(all)
    }

    enum CodingKeys: String, CodingKey { case productID = "product_id" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        productID = try container.decode(Int.self, forKey: .productID)
        fields = try PartnerJSONValue(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws { try fields.encode(to: encoder) }

    /// A text field of the object, if present and a string.
    public func text(_ key: String) -> String? {
        if case .string(let value)? = fields[key] { return value }
        return nil
    }
}

/// `POST /v5/partner/client/add` in either documented shape (§3.3): nested `company{…}` + `product{…}`, or the
/// old flat `name`/`bin`/`ceo_info`/`address_info`/`iban`/`description`. Encodes the shape it was built with.
public struct AddClientRequest: Codable, Sendable, Equatable {
    public var requestID: String
    public var company: PartnerCompany
    public var product: PartnerProduct?
    /// `ceo_info` of the flat shape: becomes the client's first user.
    public var ceo: PartnerPerson?
    public var flatShape: Bool

    public init(requestID: String, company: PartnerCompany, product: PartnerProduct? = nil) {
        self.requestID = requestID
        self.company = company
        self.product = product
        self.flatShape = false
    }

    /// The old RU shape.
    public init(requestID: String, flat company: PartnerCompany, ceo: PartnerPerson?) {
        self.requestID = requestID
        self.company = company
        self.ceo = ceo
        self.flatShape = true
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case company, product, name, bin, iban, description
        case ceoInfo = "ceo_info"
        case addressInfo = "address_info"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        requestID = try container.decode(String.self, forKey: .requestID)
        if container.contains(.company) || !container.contains(.name) {
            company = try container.decode(PartnerCompany.self, forKey: .company)
            product = try container.decodeIfPresent(PartnerProduct.self, forKey: .product)
            flatShape = false
        } else {
            company = PartnerCompany(
                name: try container.decode(String.self, forKey: .name),
                bin: try container.decode(FlexibleString.self, forKey: .bin).value,
                address: try container.decode(PartnerAddress.self, forKey: .addressInfo),
                iban: try container.decodeIfPresent(String.self, forKey: .iban),
                description: try container.decodeIfPresent(String.self, forKey: .description))
            ceo = try container.decodeIfPresent(PartnerPerson.self, forKey: .ceoInfo)
            flatShape = true
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(requestID, forKey: .requestID)
        guard flatShape else {
            try container.encode(company, forKey: .company)
            try container.encodeIfPresent(product, forKey: .product)
            return
        }
        try container.encode(company.name, forKey: .name)
        try container.encode(company.bin, forKey: .bin)
        try container.encodeIfPresent(ceo, forKey: .ceoInfo)
        try container.encode(company.address, forKey: .addressInfo)
        try container.encodeIfPresent(company.iban, forKey: .iban)
        try container.encodeIfPresent(company.description, forKey: .description)
    }
}

/// `POST /v5/partner/client/user/add` (§3.4).
public struct AddClientUserRequest: Codable, Sendable, Equatable {
    public var requestID: String
    public var clientID: Int64
    public var userInfo: PartnerPerson

    public init(requestID: String, clientID: Int64, userInfo: PartnerPerson) {
        self.requestID = requestID
        self.clientID = clientID
        self.userInfo = userInfo
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case clientID = "client_id"
        case userInfo = "user_info"
    }
}

/// `POST /v5/partner/client/product/add` (§3.5).
public struct AddClientProductRequest: Codable, Sendable, Equatable {
    public var requestID: String
    public var clientID: Int64
    public var product: PartnerProduct

    public init(requestID: String, clientID: Int64, product: PartnerProduct) {
        self.requestID = requestID
        self.clientID = clientID
        self.product = product
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case clientID = "client_id"
        case product
    }
}

/// `POST /v5/partner/client/user/grant` [inferred] (§3.6): the product is named by `product_uuid` or `terminal_id`.
public struct GrantUserRequest: Codable, Sendable, Equatable {
    public var requestID: String
    public var clientID: Int64
    public var userID: Int64
    public var productUUID: String?
    public var terminalID: Int64?
    public var role: String?

    public init(requestID: String, clientID: Int64, userID: Int64, productUUID: String? = nil, terminalID: Int64? = nil, role: String? = nil) {
        self.requestID = requestID
        self.clientID = clientID
        self.userID = userID
        self.productUUID = productUUID
        self.terminalID = terminalID
        self.role = role
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case clientID = "client_id"
        case userID = "user_id"
        case productUUID = "product_uuid"
        case terminalID = "terminal_id"
        case role
    }
}

/// `POST /v5/partner/client/user/send_auth` [inferred] (§3.7).
public struct SendAuthDataRequest: Codable, Sendable, Equatable {
    public var requestID: String
    public var clientID: Int64
    public var userID: Int64

    public init(requestID: String, clientID: Int64, userID: Int64) {
        self.requestID = requestID
        self.clientID = clientID
        self.userID = userID
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case clientID = "client_id"
        case userID = "user_id"
    }
}

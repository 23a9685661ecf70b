import Foundation

/// The product part of Add product / Add client answers (§3.5): `status` is `1` (active) or `0`.
public struct ProductRegistration: Codable, Sendable, Equatable {
    public var productID: Int
    public var productUUID: String
    public var terminalID: Int64
    public var status: Int

    public init(productID: Int, productUUID: String, terminalID: Int64, status: Int) {
        self.productID = productID
        self.productUUID = productUUID
        self.terminalID = terminalID
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case productID = "product_id"
        case productUUID = "product_uuid"
        case terminalID = "terminal_id"
        case status
    }
}

/// Every Products answer: Add client (`client_id`, `user_id` of a flat-shape CEO, `product`), Add user
/// (`client_id`, `user_id`, `error_code: 0`, `error_description: ""`), Add product (`client_id`, `product`, …),
/// Grant / Send auth data (envelope only) and Request status (whatever the request produced).
/// The server leaves `status`, `request_status` and `dt` nil; its envelope writes them.
public struct ProductsResponse: Codable, Sendable, Equatable {
    public var status: String?
    public var requestStatus: RequestStatus?
    public var clientID: Int64?
    public var userID: Int64?
    public var product: ProductRegistration?
    public var errorCode: Int?
    public var errorDescription: String?
    public var dt: String?

    public init(
        clientID: Int64? = nil, userID: Int64? = nil, product: ProductRegistration? = nil, errorCode: Int? = nil,
        errorDescription: String? = nil
    ) {
        self.clientID = clientID
        self.userID = userID
        self.product = product
        self.errorCode = errorCode
        self.errorDescription = errorDescription
    }

    /// Add user / Add product carry `error_code: 0` and an empty description on success (schema: required).
    public static func success(clientID: Int64, userID: Int64? = nil, product: ProductRegistration? = nil) -> ProductsResponse {
        ProductsResponse(clientID: clientID, userID: userID, product: product, errorCode: 0, errorDescription: "")
    }

    enum CodingKeys: String, CodingKey {
        case status
        case requestStatus = "request_status"
        case clientID = "client_id"
        case userID = "user_id"
        case product
        case errorCode = "error_code"
        case errorDescription = "error_description"
        case dt
    }
}

/// `POST /v5/partner/request/status` (and `/client/request/status`, `/wallet/request/status`) [inferred].
public struct PartnerRequestStatusRequest: Codable, Sendable, Equatable {
    public var requestID: String
    public init(requestID: String) { self.requestID = requestID }
    enum CodingKeys: String, CodingKey { case requestID = "request_id" }
}

/// `POST /v5/partner/dictionaries` [inferred]: all dictionaries, or the one named by `dictionary`
/// (`request`, `product`, `freedom_pos`, `freedom_ecom`, `freedom_box`, `limits`).
public struct PartnerDictionariesRequest: Codable, Sendable, Equatable {
    public var dictionary: String?
    public init(dictionary: String? = nil) { self.dictionary = dictionary }
}

public struct PartnerDictionaryEntry: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// One field of a product object as the docs describe it.
public struct ProductFieldEntry: Codable, Sendable, Equatable {
    public var field: String
    public var type: String
    public var required: Bool
    public var description: String
    public init(field: String, type: String, required: Bool, description: String) {
        self.field = field
        self.type = type
        self.required = required
        self.description = description
    }
}

/// Per-product limits [inferred: the docs name a Limits dictionary but its shape was not harvested].
/// Amounts are decimal strings in `currency`.
public struct ProductLimitEntry: Codable, Sendable, Equatable {
    public var productID: Int
    public var currency: String
    public var perTransaction: String
    public var perDay: String
    public var perMonth: String
    public init(productID: Int, currency: String, perTransaction: String, perDay: String, perMonth: String) {
        self.productID = productID
        self.currency = currency
        self.perTransaction = perTransaction
        self.perDay = perDay
        self.perMonth = perMonth
    }
    enum CodingKeys: String, CodingKey {
        case productID = "product_id"
        case currency
        case perTransaction = "per_transaction"
        case perDay = "per_day"
        case perMonth = "per_month"
    }
}

public struct PartnerDictionaries: Codable, Sendable, Equatable {
    public var request: [PartnerDictionaryEntry]?
    public var product: [PartnerDictionaryEntry]?
    public var freedomPOS: [ProductFieldEntry]?
    public var freedomECOM: [ProductFieldEntry]?
    public var freedomBOX: [ProductFieldEntry]?
    public var limits: [ProductLimitEntry]?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case request, product
        case freedomPOS = "freedom_pos"
        case freedomECOM = "freedom_ecom"
        case freedomBOX = "freedom_box"
        case limits
    }
}

public struct PartnerDictionariesResponse: Codable, Sendable, Equatable {
    public var status: String
    public var dictionaries: PartnerDictionaries
    public var dt: String
    public init(status: String = "ok", dictionaries: PartnerDictionaries, dt: String) {
        self.status = status
        self.dictionaries = dictionaries
        self.dt = dt
    }
}

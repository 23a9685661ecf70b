/// Wire models of the Card API client methods (card-api.md §3.2–§3.4, §3.12, §3.20 "Cards' list").

/// A postal address of `client/add` (`address1` registration, `address2` residence).
public typealias ClientAddress = PostalAddress

/// KYC evidence of `client/add`.
public struct IdentificationInfo: Codable, Sendable, Equatable {
    public var idnDate: String
    public var identifiedBy: String

    public init(idnDate: String, identifiedBy: String) {
        self.idnDate = idnDate
        self.identifiedBy = identifiedBy
    }

    enum CodingKeys: String, CodingKey {
        case idnDate = "idn_date"
        case identifiedBy = "identified_by"
    }
}

/// The `client` object of `client/add`.
public struct ClientData: Codable, Sendable, Equatable {
    public var phone: Int64
    public var type: Int
    public var resident: Int
    public var firstName: String
    public var lastName: String
    public var middleName: String?
    public var birthdate: String?
    public var email: String?
    public var country: String?
    public var personID: String?
    public var language: String?
    /// Base64 PDF scan of an identity document (max 2 MB).
    public var document: String?
    public var externalUserID: String?
    public var address1: ClientAddress?
    public var address2: ClientAddress?
    public var identificationInfo: IdentificationInfo?

    public init(
        phone: Int64, type: Int, resident: Int, firstName: String, lastName: String, middleName: String? = nil,
        birthdate: String? = nil, email: String? = nil, country: String? = nil, personID: String? = nil,
        language: String? = nil, document: String? = nil, externalUserID: String? = nil,
        address1: ClientAddress? = nil, address2: ClientAddress? = nil, identificationInfo: IdentificationInfo? = nil
    ) {
        self.phone = phone
        self.type = type
        self.resident = resident
        self.firstName = firstName
        self.lastName = lastName
        self.middleName = middleName
        self.birthdate = birthdate
        self.email = email
        self.country = country
        self.personID = personID
        self.language = language
        self.document = document
        self.externalUserID = externalUserID
        self.address1 = address1
        self.address2 = address2
        self.identificationInfo = identificationInfo
    }

    enum CodingKeys: String, CodingKey {
        case phone, type, resident, birthdate, email, country, language, document, address1, address2
        case firstName = "first_name"
        case lastName = "last_name"
        case middleName = "middle_name"
        case personID = "person_id"
        case externalUserID = "external_user_id"
        case identificationInfo = "identification_info"
    }
}

/// `POST /v5/card-api/client/add` (§3.2).
public struct ClientAddRequest: Codable, Sendable, Equatable {
    public var requestID: String
    public var productID: Int
    public var branchID: String?
    public var client: ClientData

    public init(requestID: String, productID: Int, branchID: String? = nil, client: ClientData) {
        self.requestID = requestID
        self.productID = productID
        self.branchID = branchID
        self.client = client
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case productID = "product_id"
        case branchID = "branch_id"
        case client
    }
}

/// Answer of `client/add`: the envelope plus `client_id` ([inferred]: the docs' table is cut).
public struct ClientAddResponse: Codable, Sendable, Equatable {
    public var status: String
    public var requestStatus: RequestStatus
    public var clientID: String?
    public var dt: String

    enum CodingKeys: String, CodingKey {
        case status
        case requestStatus = "request_status"
        case clientID = "client_id"
        case dt
    }
}

/// The `client` object of `client/update`: only the phone can change.
public struct ClientPhone: Codable, Sendable, Equatable {
    public var phone: Int64
    public init(phone: Int64) { self.phone = phone }
}

/// `POST /v5/card-api/client/update` (§3.3).
public struct ClientUpdateRequest: Codable, Sendable, Equatable {
    public var requestID: String
    public var clientID: String
    public var productID: Int
    public var client: ClientPhone

    public init(requestID: String, clientID: String, productID: Int, client: ClientPhone) {
        self.requestID = requestID
        self.clientID = clientID
        self.productID = productID
        self.client = client
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case clientID = "client_id"
        case productID = "product_id"
        case client
    }
}

/// `POST /v5/card-api/card/link` (§3.4): binds a client to a card.
public struct CardLinkRequest: Codable, Sendable, Equatable {
    public var requestID: String
    public var clientID: String
    public var cardID: String

    public init(requestID: String, clientID: String, cardID: String) {
        self.requestID = requestID
        self.clientID = clientID
        self.cardID = cardID
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case clientID = "client_id"
        case cardID = "card_id"
    }
}

/// `POST /v5/card-api/external/cardholder_validate` (§3.12).
public struct CardholderValidateRequest: Codable, Sendable, Equatable {
    public var userPhone: String
    public var firstName: String
    public var lastName: String
    public var cardToken: String
    public var requestID: String

    public init(userPhone: String, firstName: String, lastName: String, cardToken: String, requestID: String) {
        self.userPhone = userPhone
        self.firstName = firstName
        self.lastName = lastName
        self.cardToken = cardToken
        self.requestID = requestID
    }

    enum CodingKeys: String, CodingKey {
        case userPhone = "user_phone"
        case firstName = "first_name"
        case lastName = "last_name"
        case cardToken = "card_token"
        case requestID = "request_id"
    }
}

/// Answer of `external/cardholder_validate`: `score` like `"44.37%"`, `fishy` 1 when suspicious.
public struct CardholderValidateResponse: Codable, Sendable, Equatable {
    public var status: String
    public var score: String
    public var fishy: Int?
    public var dt: String

    public init(status: String = "ok", score: String, fishy: Int?, dt: String) {
        self.status = status
        self.score = score
        self.fishy = fishy
        self.dt = dt
    }
}

/// `POST /v5/card-api/client/cards` (§3.20 "Cards' list"); `page`/`per_page` are [inferred].
public struct ClientCardsRequest: Codable, Sendable, Equatable {
    public var clientID: String
    public var page: Int?
    public var perPage: Int?

    public init(clientID: String, page: Int? = nil, perPage: Int? = nil) {
        self.clientID = clientID
        self.page = page
        self.perPage = perPage
    }

    enum CodingKeys: String, CodingKey {
        case clientID = "client_id"
        case page
        case perPage = "per_page"
    }
}

public struct CardListItem: Codable, Sendable, Equatable {
    public var cardID: String
    public var cardMask: String
    public var cardStatus: Int
    public var productID: Int

    public init(cardID: String, cardMask: String, cardStatus: Int, productID: Int) {
        self.cardID = cardID
        self.cardMask = cardMask
        self.cardStatus = cardStatus
        self.productID = productID
    }

    enum CodingKeys: String, CodingKey {
        case cardID = "card_id"
        case cardMask = "card_mask"
        case cardStatus = "card_status"
        case productID = "product_id"
    }
}

public struct ClientCardsResponse: Codable, Sendable, Equatable {
    public var status: String
    public var requestStatus: RequestStatus
    public var cards: [CardListItem]
    public var page: Int
    public var perPage: Int
    public var total: Int
    public var dt: String

    public init(status: String = "ok", requestStatus: RequestStatus = .success, cards: [CardListItem], page: Int, perPage: Int, total: Int, dt: String) {
        self.status = status
        self.requestStatus = requestStatus
        self.cards = cards
        self.page = page
        self.perPage = perPage
        self.total = total
        self.dt = dt
    }

    enum CodingKeys: String, CodingKey {
        case status
        case requestStatus = "request_status"
        case cards, page, total, dt
        case perPage = "per_page"
    }
}

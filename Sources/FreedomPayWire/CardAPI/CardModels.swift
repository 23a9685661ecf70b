/// Wire models of the Card API card methods (card-api.md §3.5–§3.9, §3.20). Paths and fields of §3.20 are [inferred].

/// `POST /v5/card-api/card/issue`: a virtual card for an existing client.
public struct IssueCardRequest: Codable, Sendable, Equatable {
    public var requestID: String
    public var productID: Int
    public var clientID: String
    /// [inferred] alpha-3 card currency, `KZT` when absent.
    public var currency: String?

    public init(requestID: String, productID: Int, clientID: String, currency: String? = nil) {
        self.requestID = requestID
        self.productID = productID
        self.clientID = clientID
        self.currency = currency
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case productID = "product_id"
        case clientID = "client_id"
        case currency
    }
}

/// `POST /v5/card-api/card/bulk_issue`: `count` unlinked cards, returned through request/status `cards[]`.
public struct BulkIssueRequest: Codable, Sendable, Equatable {
    public var requestID: String
    public var productID: Int
    public var count: Int
    public var currency: String?

    public init(requestID: String, productID: Int, count: Int, currency: String? = nil) {
        self.requestID = requestID
        self.productID = productID
        self.count = count
        self.currency = currency
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case productID = "product_id"
        case count, currency
    }
}

/// `POST /v5/card-api/card/issue_plastic`: a physical card that starts issued, not active.
public struct IssuePlasticCardRequest: Codable, Sendable, Equatable {
    public var requestID: String
    public var productID: Int
    public var clientID: String
    public var branchID: String?
    public var embossedName: String?
    public var currency: String?

    public init(requestID: String, productID: Int, clientID: String, branchID: String? = nil, embossedName: String? = nil, currency: String? = nil) {
        self.requestID = requestID
        self.productID = productID
        self.clientID = clientID
        self.branchID = branchID
        self.embossedName = embossedName
        self.currency = currency
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case productID = "product_id"
        case clientID = "client_id"
        case branchID = "branch_id"
        case embossedName = "embossed_name"
        case currency
    }
}

/// Body of activate, block, unblock, close and reset_counter_pin: the card and (block/unblock/close) a reason.
public struct CardActionRequest: Codable, Sendable, Equatable {
    public var requestID: String
    public var cardID: String
    public var description: String?

    public init(requestID: String, cardID: String, description: String? = nil) {
        self.requestID = requestID
        self.cardID = cardID
        self.description = description
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case cardID = "card_id"
        case description
    }
}

/// `POST /v5/card-api/card/set_pin` (§3.8). `pin` is the encrypted PIN (see `CardDataCipher`);
/// absent means "generate one". `request_id` is not documented here and is optional [inferred].
public struct SetPINRequest: Codable, Sendable, Equatable {
    public var cardID: String
    public var pin: String?
    public var requestID: String?

    public init(cardID: String, pin: String? = nil, requestID: String? = nil) {
        self.cardID = cardID
        self.pin = pin
        self.requestID = requestID
    }

    enum CodingKeys: String, CodingKey {
        case cardID = "card_id"
        case pin
        case requestID = "request_id"
    }
}

/// Body of the read-only card methods: info, secret, balance.
public struct CardRequest: Codable, Sendable, Equatable {
    public var cardID: String
    public init(cardID: String) { self.cardID = cardID }
    enum CodingKeys: String, CodingKey { case cardID = "card_id" }
}

/// `POST /v5/card-api/card/info`.
public struct CardInfoResponse: Codable, Sendable, Equatable {
    public var status: String
    public var requestStatus: RequestStatus
    public var cardID: String
    /// Empty string while the card is not linked to a client.
    public var clientID: String
    public var productID: Int
    public var cardMask: String
    public var cardStatus: Int
    /// `MM/YY`.
    public var expiry: String
    public var currency: String
    /// [inferred] the UUID used by `external/cardholder_validate`.
    public var cardToken: String
    /// [inferred] PIN-try lock after too many wrong PINs (reset by `card/reset_counter_pin`).
    public var pinLocked: Bool
    public var dt: String

    public init(
        status: String = "ok", requestStatus: RequestStatus = .success, cardID: String, clientID: String, productID: Int,
        cardMask: String, cardStatus: Int, expiry: String, currency: String, cardToken: String, pinLocked: Bool, dt: String
    ) {
        self.status = status
        self.requestStatus = requestStatus
        self.cardID = cardID
        self.clientID = clientID
        self.productID = productID
        self.cardMask = cardMask
        self.cardStatus = cardStatus
        self.expiry = expiry
        self.currency = currency
        self.cardToken = cardToken
        self.pinLocked = pinLocked
        self.dt = dt
    }

    enum CodingKeys: String, CodingKey {
        case status
        case requestStatus = "request_status"
        case cardID = "card_id"
        case clientID = "client_id"
        case productID = "product_id"
        case cardMask = "card_mask"
        case cardStatus = "card_status"
        case expiry, currency
        case cardToken = "card_token"
        case pinLocked = "pin_locked"
        case dt
    }
}

/// `POST /v5/card-api/card/secret`: `pan`, `expiry`, `cvv`, each sealed with `CardDataCipher`.
public struct CardSecretResponse: Codable, Sendable, Equatable {
    public var status: String
    public var requestStatus: RequestStatus
    public var pan: String
    public var expiry: String
    public var cvv: String
    public var dt: String

    public init(status: String = "ok", requestStatus: RequestStatus = .success, pan: String, expiry: String, cvv: String, dt: String) {
        self.status = status
        self.requestStatus = requestStatus
        self.pan = pan
        self.expiry = expiry
        self.cvv = cvv
        self.dt = dt
    }

    enum CodingKeys: String, CodingKey {
        case status
        case requestStatus = "request_status"
        case pan, expiry, cvv, dt
    }
}

/// `POST /v5/card-api/card/secret_v2`: the caller's RSA public key (PEM).
public struct CardSecretV2Request: Codable, Sendable, Equatable {
    public var cardID: String
    public var publicKey: String

    public init(cardID: String, publicKey: String) {
        self.cardID = cardID
        self.publicKey = publicKey
    }

    enum CodingKeys: String, CodingKey {
        case cardID = "card_id"
        case publicKey = "public_key"
    }
}

/// `data`: Base64 RSA-OAEP (SHA-256) ciphertext of `CardSecretPlain` JSON.
public struct CardSecretV2Response: Codable, Sendable, Equatable {
    public var status: String
    public var requestStatus: RequestStatus
    public var data: String
    public var dt: String

    public init(status: String = "ok", requestStatus: RequestStatus = .success, data: String, dt: String) {
        self.status = status
        self.requestStatus = requestStatus
        self.data = data
        self.dt = dt
    }

    enum CodingKeys: String, CodingKey {
        case status
        case requestStatus = "request_status"
        case data, dt
    }
}

/// The cleartext inside `secret_v2`'s `data`.
public struct CardSecretPlain: Codable, Sendable, Equatable {
    public var pan: String
    public var expiry: String
    public var cvv: String

    public init(pan: String, expiry: String, cvv: String) {
        self.pan = pan
        self.expiry = expiry
        self.cvv = cvv
    }
}

/// Wire models of `limits/set` and `limits/list` (card-api.md §3.13, §3.14).

/// What a limit applies to: `type` is `card`, `account` or `client`; `value` the id.
public struct LimitObject: Codable, Sendable, Equatable {
    public var type: String
    public var value: String

    public init(type: String, value: String) {
        self.type = type
        self.value = value
    }
}

/// One amount of a limit; `value` is a decimal string in major units (`"5000"`).
public struct LimitAmount: Codable, Sendable, Equatable {
    public var type: String
    public var value: String
    public var currency: String

    public init(type: String, value: String, currency: String) {
        self.type = type
        self.value = value
        self.currency = currency
    }
}

public struct LimitEntry: Codable, Sendable, Equatable {
    public var transactionType: String
    public var region: String?
    public var period: String?
    public var amount: [LimitAmount]?
    /// [inferred] used within the current period (limits/list only).
    public var counter: String?
    /// [inferred] remaining = max − counter (limits/list only).
    public var available: String?

    public init(transactionType: String, region: String? = nil, period: String? = nil, amount: [LimitAmount]? = nil, counter: String? = nil, available: String? = nil) {
        self.transactionType = transactionType
        self.region = region
        self.period = period
        self.amount = amount
        self.counter = counter
        self.available = available
    }

    enum CodingKeys: String, CodingKey {
        case transactionType = "transaction_type"
        case region, period, amount, counter, available
    }
}

public struct SetLimitsRequest: Codable, Sendable, Equatable {
    public var requestID: String
    public var object: LimitObject
    public var limits: [LimitEntry]

    public init(requestID: String, object: LimitObject, limits: [LimitEntry]) {
        self.requestID = requestID
        self.object = object
        self.limits = limits
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case object, limits
    }
}

public struct ListLimitsRequest: Codable, Sendable, Equatable {
    public var requestID: String
    public var object: LimitObject

    public init(requestID: String, object: LimitObject) {
        self.requestID = requestID
        self.object = object
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case object
    }
}

public struct ListLimitsResponse: Codable, Sendable, Equatable {
    public var status: String
    public var requestStatus: RequestStatus
    public var limits: [LimitEntry]
    public var dt: String

    public init(status: String = "ok", requestStatus: RequestStatus = .success, limits: [LimitEntry], dt: String) {
        self.status = status
        self.requestStatus = requestStatus
        self.limits = limits
        self.dt = dt
    }

    enum CodingKeys: String, CodingKey {
        case status
        case requestStatus = "request_status"
        case limits, dt
    }
}

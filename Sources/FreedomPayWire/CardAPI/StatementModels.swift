import Foundation

/// `POST /v5/card-api/card/statement` (card-api.md §3.10). Dates optional (RFC 3339); `page`/`per_page` [inferred].
public struct CardStatementRequest: Codable, Sendable {
    public var cardID: String
    public var startDate: String?
    public var endDate: String?
    public var page: Int?
    public var perPage: Int?

    public init(cardID: String, startDate: String? = nil, endDate: String? = nil, page: Int? = nil, perPage: Int? = nil) {
        self.cardID = cardID
        self.startDate = startDate
        self.endDate = endDate
        self.page = page
        self.perPage = perPage
    }

    enum CodingKeys: String, CodingKey {
        case cardID = "card_id"
        case startDate = "start_date"
        case endDate = "end_date"
        case page
        case perPage = "per_page"
    }
}

/// The `merchant` object of a statement line ([inferred] fields).
public struct StatementMerchant: Codable, Sendable, Equatable {
    public var name: String
    public var city: String
    public var country: String

    public init(name: String, city: String, country: String) {
        self.name = name
        self.city = city
        self.country = country
    }
}

public struct StatementOperation: Codable, Sendable, Equatable {
    public var type: String
    public var amount: Decimal
    public var commission: Decimal
    public var currency: String
    public var mcc: Int
    public var datetime: String
    public var rrn: String
    public var merchant: StatementMerchant

    public init(type: String, amount: Decimal, commission: Decimal, currency: String, mcc: Int, datetime: String, rrn: String, merchant: StatementMerchant) {
        self.type = type
        self.amount = amount
        self.commission = commission
        self.currency = currency
        self.mcc = mcc
        self.datetime = datetime
        self.rrn = rrn
        self.merchant = merchant
    }
}

public struct CardStatementResponse: Codable, Sendable {
    public var status: String
    public var requestStatus: RequestStatus
    public var operations: [StatementOperation]
    public var dt: String

    public init(operations: [StatementOperation], dt: String) {
        self.status = "ok"
        self.requestStatus = .success
        self.operations = operations
        self.dt = dt
    }

    enum CodingKeys: String, CodingKey {
        case status
        case requestStatus = "request_status"
        case operations, dt
    }
}

public struct NameValue: Codable, Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// One authorisation (hold) or operation (posted) of `statement_extended` (§3.11).
public struct ExtendedStatementItem: Codable, Sendable, Equatable {
    public var datetime: String
    public var type: String
    public var amount: Decimal
    public var commission: Decimal
    public var fullAmount: Decimal
    public var cashback: Decimal
    public var currency: String
    public var iban: String
    public var merchant: StatementMerchant
    public var additionalParameters: [NameValue]

    public init(datetime: String, type: String, amount: Decimal, currency: String, iban: String, merchant: StatementMerchant, additionalParameters: [NameValue]) {
        self.datetime = datetime
        self.type = type
        self.amount = amount
        self.commission = 0
        self.fullAmount = amount
        self.cashback = 0
        self.currency = currency
        self.iban = iban
        self.merchant = merchant
        self.additionalParameters = additionalParameters
    }

    enum CodingKeys: String, CodingKey {
        case datetime, type, amount, commission
        case fullAmount = "full_amount"
        case cashback, currency, iban, merchant
        case additionalParameters = "additional_parameters"
    }
}

public struct StatementCard: Codable, Sendable, Equatable {
    public var cardID: String
    public var cardMask: String
    public init(cardID: String, cardMask: String) {
        self.cardID = cardID
        self.cardMask = cardMask
    }
    enum CodingKeys: String, CodingKey {
        case cardID = "card_id"
        case cardMask = "card_mask"
    }
}

public struct CardStatementExtendedResponse: Codable, Sendable {
    public var status: String
    public var requestStatus: RequestStatus
    public var clientID: String
    public var card: StatementCard
    public var balances: CardBalances
    public var authorizations: [ExtendedStatementItem]
    public var operations: [ExtendedStatementItem]
    public var dt: String

    public init(clientID: String, card: StatementCard, balances: CardBalances, authorizations: [ExtendedStatementItem], operations: [ExtendedStatementItem], dt: String) {
        self.status = "ok"
        self.requestStatus = .success
        self.clientID = clientID
        self.card = card
        self.balances = balances
        self.authorizations = authorizations
        self.operations = operations
        self.dt = dt
    }

    enum CodingKeys: String, CodingKey {
        case status
        case requestStatus = "request_status"
        case clientID = "client_id"
        case card, balances, authorizations, operations, dt
    }
}

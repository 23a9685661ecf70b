/// `POST /v5/card-api/transaction/create` (card-api.md §3.17, [inferred]).
public struct CreateTransactionRequest: Codable, Sendable {
    public var requestID: String
    public var orderID: String
    public var cardID: String
    /// `debit` (authorisation hold, cleared later) or `credit` (funding).
    public var type: String
    public var amount: WireDecimal
    public var currency: String
    public var description: String?

    public init(requestID: String, orderID: String, cardID: String, type: String, amount: WireDecimal, currency: String, description: String? = nil) {
        self.requestID = requestID
        self.orderID = orderID
        self.cardID = cardID
        self.type = type
        self.amount = amount
        self.currency = currency
        self.description = description
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case orderID = "order_id"
        case cardID = "card_id"
        case type, amount, currency, description
    }
}

public struct CreateTransactionAnswer: Codable, Sendable {
    public var transactionID: String

    public init(transactionID: String) { self.transactionID = transactionID }

    enum CodingKeys: String, CodingKey { case transactionID = "transaction_id" }
}

/// Clearing (§3.16), refund (§3.15) and cancel ([inferred]): the transaction plus an optional amount.
public struct TransactionStepRequest: Codable, Sendable {
    public var requestID: String
    public var orderID: String
    public var transactionID: String
    public var amount: WireDecimal?
    public var description: String?

    public init(requestID: String, orderID: String, transactionID: String, amount: WireDecimal? = nil, description: String? = nil) {
        self.requestID = requestID
        self.orderID = orderID
        self.transactionID = transactionID
        self.amount = amount
        self.description = description
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case orderID = "order_id"
        case transactionID = "transaction_id"
        case amount, description
    }
}

/// `POST /v5/card-api/transaction/info` (§3.19, [inferred]): by `transaction_id` or `order_id`.
public struct TransactionInfoRequest: Codable, Sendable {
    public var transactionID: String?
    public var orderID: String?

    public init(transactionID: String? = nil, orderID: String? = nil) {
        self.transactionID = transactionID
        self.orderID = orderID
    }

    enum CodingKeys: String, CodingKey {
        case transactionID = "transaction_id"
        case orderID = "order_id"
    }
}

public struct TransactionInfoResponse: Codable, Sendable, Equatable {
    public var status: String
    public var requestStatus: RequestStatus
    public var transactionID: String
    public var finDocumentID: String
    public var orderID: String
    public var cardID: String
    public var type: String
    public var amount: WireDecimal
    public var clearingAmount: WireDecimal
    public var refundAmount: WireDecimal
    public var currency: String
    public var transactionStatus: String
    public var createdAt: String
    /// Present when the transaction was asked in another currency than the card's ([inferred]).
    public var originalAmount: WireDecimal?
    public var originalCurrency: String?
    public var rate: WireDecimal?
    public var dt: String

    public init(
        transactionID: String, finDocumentID: String, orderID: String, cardID: String, type: String, amount: WireDecimal,
        clearingAmount: WireDecimal, refundAmount: WireDecimal, currency: String, transactionStatus: String, createdAt: String, dt: String
    ) {
        self.status = "ok"
        self.requestStatus = .success
        self.transactionID = transactionID
        self.finDocumentID = finDocumentID
        self.orderID = orderID
        self.cardID = cardID
        self.type = type
        self.amount = amount
        self.clearingAmount = clearingAmount
        self.refundAmount = refundAmount
        self.currency = currency
        self.transactionStatus = transactionStatus
        self.createdAt = createdAt
        self.dt = dt
    }

    enum CodingKeys: String, CodingKey {
        case status
        case requestStatus = "request_status"
        case transactionID = "transaction_id"
        case finDocumentID = "fin_document_id"
        case orderID = "order_id"
        case cardID = "card_id"
        case type, amount
        case clearingAmount = "clearing_amount"
        case refundAmount = "refund_amount"
        case currency
        case transactionStatus = "transaction_status"
        case createdAt = "created_at"
        case originalAmount = "original_amount"
        case originalCurrency = "original_currency"
        case rate
        case dt
    }
}

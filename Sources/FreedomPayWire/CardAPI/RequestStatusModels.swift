/// `POST /v5/card-api/request/status` (card-api.md §3.1 and §3.18).
public struct RequestStatusRequest: Codable, Sendable, Equatable {
    public var requestID: String

    public init(requestID: String) { self.requestID = requestID }

    enum CodingKeys: String, CodingKey { case requestID = "request_id" }
}

public struct CardRef: Codable, Sendable, Equatable {
    public var cardID: String
    public init(cardID: String) { self.cardID = cardID }
    enum CodingKeys: String, CodingKey { case cardID = "card_id" }
}

/// One shape for both kinds of request: card/client requests fill `cards` + `client_id`,
/// transaction requests fill `transaction_id` + `fin_document_id`; only the matching set is emitted.
public struct RequestStatusResponse: Codable, Sendable, Equatable {
    public var status: String
    public var requestStatus: RequestStatus
    public var cards: [CardRef]?
    public var clientID: String?
    public var transactionID: String?
    public var finDocumentID: String?
    public var errorCode: String?
    public var errorDescription: String?
    public var dt: String

    public init(
        status: String = "ok", requestStatus: RequestStatus, cards: [CardRef]? = nil, clientID: String? = nil,
        transactionID: String? = nil, finDocumentID: String? = nil, errorCode: String? = nil,
        errorDescription: String? = nil, dt: String
    ) {
        self.status = status
        self.requestStatus = requestStatus
        self.cards = cards
        self.clientID = clientID
        self.transactionID = transactionID
        self.finDocumentID = finDocumentID
        self.errorCode = errorCode
        self.errorDescription = errorDescription
        self.dt = dt
    }

    enum CodingKeys: String, CodingKey {
        case status
        case requestStatus = "request_status"
        case cards
        case clientID = "client_id"
        case transactionID = "transaction_id"
        case finDocumentID = "fin_document_id"
        case errorCode = "error_code"
        case errorDescription = "error_description"
        case dt
    }
}

/// `POST /v5/card-api/dictionaries` [inferred route]: the Payment Cards dictionaries (card-api.md §2).
public struct DictionaryEntry: Codable, Sendable, Equatable {
    public var code: String
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

public struct DictionariesResponse: Codable, Sendable, Equatable {
    public var status: String
    public var requestStatus: RequestStatus
    public var clientProduct: [DictionaryEntry]
    public var cardProduct: [DictionaryEntry]
    public var cardStatus: [DictionaryEntry]
    public var cardBlock: [DictionaryEntry]
    public var requestStatuses: [DictionaryEntry]
    public var dt: String

    public init(
        status: String = "ok", requestStatus: RequestStatus = .success, clientProduct: [DictionaryEntry],
        cardProduct: [DictionaryEntry], cardStatus: [DictionaryEntry], cardBlock: [DictionaryEntry],
        requestStatuses: [DictionaryEntry], dt: String
    ) {
        self.status = status
        self.requestStatus = requestStatus
        self.clientProduct = clientProduct
        self.cardProduct = cardProduct
        self.cardStatus = cardStatus
        self.cardBlock = cardBlock
        self.requestStatuses = requestStatuses
        self.dt = dt
    }

    enum CodingKeys: String, CodingKey {
        case status
        case requestStatus = "request_status"
        case clientProduct = "client_product"
        case cardProduct = "card_product"
        case cardStatus = "card_status"
        case cardBlock = "card_block"
        case requestStatuses = "request_statuses"
        case dt
    }
}

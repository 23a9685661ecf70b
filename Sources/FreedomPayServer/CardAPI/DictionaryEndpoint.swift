import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// `POST /v5/card-api/dictionaries` [inferred route]: the Payment Cards dictionaries of card-api.md §2.
struct DictionaryEndpoint: Sendable {
    let support: CardEndpointSupport

    /// [inferred] suggested block reasons; `card/block` accepts any free-text `description`.
    static let blockReasons = [
        DictionaryEntry(code: "lost", name: "Card lost"),
        DictionaryEntry(code: "stolen", name: "Card stolen"),
        DictionaryEntry(code: "suspected_fraud", name: "Suspected fraud"),
        DictionaryEntry(code: "client_request", name: "At the client's request"),
    ]

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("dictionaries", use: handle)
    }

    func handle(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.partner()
        if !context.rawBody.isEmpty {
            _ = try context.decodeCardAPI([String: JSONIgnored].self)
        }
        return JSONBody.response(Self.dictionaries(dt: support.dt()))
    }

    static func dictionaries(dt: String) -> DictionariesResponse {
        DictionariesResponse(
            clientProduct: ClientProduct.allCases.map { DictionaryEntry(code: String($0.rawValue), name: $0.name) },
            cardProduct: CardKind.allCases.map { DictionaryEntry(code: $0.rawValue, name: $0.name) },
            cardStatus: CardStatus.allCases.map { DictionaryEntry(code: String($0.rawValue), name: $0.name) },
            cardBlock: blockReasons,
            requestStatuses: RequestStatus.allCases.map { DictionaryEntry(code: $0.rawValue, name: $0.rawValue) },
            dt: dt)
    }
}

/// Accepts any JSON value (the dictionaries body has no fields).
struct JSONIgnored: Decodable {
    init(from decoder: any Decoder) throws {}
}

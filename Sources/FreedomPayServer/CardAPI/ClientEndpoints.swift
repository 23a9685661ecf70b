import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// `client/add`, `client/update`, `card/link`, `client/cards`, `external/cardholder_validate`
/// (card-api.md §3.2–§3.4, §3.12, §3.20).
struct ClientEndpoints: Sendable {
    let support: CardEndpointSupport

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("client/add", use: add)
        group.post("client/update", use: update)
        group.post("card/link", use: link)
        group.post("client/cards", use: list)
        group.post("external/cardholder_validate", use: validateCardholder)
    }

    func add(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(ClientAddRequest.self)
        return try await support.change(context, requestID: body.requestID, kind: "client.add") { db, partner in
            let id = try await support.cards.addClient(body, partner: partner.id, now: support.now, in: db)
            return CardAPIResult(outcome: RequestOutcome(cards: [], clientID: id.rawValue), answer: ClientIDAnswer(clientID: id.rawValue))
        }
    }

    func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(ClientUpdateRequest.self)
        return try await support.change(context, requestID: body.requestID, kind: "client.update") { db, partner in
            try await support.cards.updateClient(body, partner: partner.id, now: support.now, in: db)
            return CardAPIResult(outcome: RequestOutcome(cards: [], clientID: body.clientID), answer: EmptyAnswer())
        }
    }

    func link(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(CardLinkRequest.self)
        return try await support.change(context, requestID: body.requestID, kind: "card.link") { db, partner in
            try await support.cards.link(
                client: ClientID(rawValue: body.clientID), card: CardID(rawValue: body.cardID), partner: partner.id,
                now: support.now, in: db)
            return CardAPIResult(outcome: RequestOutcome(cards: [body.cardID], clientID: body.clientID), answer: EmptyAnswer())
        }
    }

    /// [inferred] paging: `page` from 1, `per_page` 1...100 (default 50).
    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(ClientCardsRequest.self)
        let page = body.page ?? 1
        let perPage = body.perPage ?? 50
        guard (1...1_000_000).contains(page) else { throw CardAPIFailure(.validationError, "field 'page' must be between 1 and 1000000") }
        guard (1...100).contains(perPage) else { throw CardAPIFailure(.validationError, "field 'per_page' must be between 1 and 100") }
        return try await support.read(context) { db, partner in
            let client = try await support.cards.client(ClientID(rawValue: body.clientID), partner: partner.id, in: db)
            let now = support.now
            let (cards, total) = try await support.cards.cards.list(
                client: client.id, partner: partner.id, offset: (page - 1) * perPage, limit: perPage, in: db)
            let items = cards.map { card in
                CardListItem(
                    cardID: card.id.rawValue, cardMask: card.mask,
                    cardStatus: card.status(at: now).rawValue,
                    productID: card.productID)
            }
            return ClientCardsResponse(cards: items, page: page, perPage: perPage, total: total, dt: support.dt())
        }
    }

    /// Read-only: the `request_id` is required but not recorded [inferred].
    func validateCardholder(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(CardholderValidateRequest.self)
        guard !body.requestID.isEmpty else { throw CardAPIFailure(.validationError, "field 'request_id' must not be empty") }
        // Bounded lengths also bound the similarity computation (quadratic in the lengths).
        for (field, value) in [("user_phone", body.userPhone), ("first_name", body.firstName), ("last_name", body.lastName)]
        where value.isEmpty || value.count > 64 {
            throw CardAPIFailure(.validationError, "field '\(field)' must be 1 to 64 characters")
        }
        return try await support.read(context) { db, partner in
            let score = try await support.cards.cardholderScore(
                token: body.cardToken, firstName: body.firstName, lastName: body.lastName, phone: body.userPhone,
                partner: partner.id, now: support.now, in: db)
            return CardholderValidateResponse(score: score.text, fishy: score.fishy ? 1 : 0, dt: support.dt())
        }
    }
}

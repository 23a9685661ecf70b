import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// `card/activate`, `card/block`, `card/unblock`, `card/close` (card-api.md §3.5–§3.7, §3.20): one event of
/// the card state machine each; a refused transition answers `invalid_card_state` and changes nothing.
struct CardLifecycleEndpoints: Sendable {
    let support: CardEndpointSupport

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("card/activate") { request, context in try await self.handle(.activate, context: context, needsReason: false) }
        group.post("card/block") { request, context in try await self.handle(.block, context: context, needsReason: true) }
        group.post("card/unblock") { request, context in try await self.handle(.unblock, context: context, needsReason: true) }
        group.post("card/close") { request, context in try await self.handle(.close, context: context, needsReason: true) }
    }

    func handle(_ event: CardLifecycle.Event, context: AppRequestContext, needsReason: Bool) async throws -> Response {
        let body = try context.decodeCardAPI(CardActionRequest.self)
        if needsReason {
            guard let reason = body.description else { throw CardAPIFailure(.validationError, "field 'description' is required") }
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty, reason.count <= 255 else {
                throw CardAPIFailure(.validationError, "field 'description' must be 1 to 255 characters")
            }
        }
        return try await support.change(context, requestID: body.requestID, kind: "card.\(event.rawValue)") { db, partner in
            let status = try await support.cards.apply(
                event, card: CardID(rawValue: body.cardID), reason: body.description, partner: partner.id, now: support.now, in: db)
            support.services.logger.info("card status changed", metadata: ["card_id": "\(body.cardID)", "status": "\(status.rawValue)"])
            return CardAPIResult(outcome: RequestOutcome(cards: [body.cardID]), answer: EmptyAnswer())
        }
    }
}

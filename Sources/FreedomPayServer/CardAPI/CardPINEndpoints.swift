import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// `card/set_pin` and `card/reset_counter_pin` (card-api.md §3.8, §3.9). The PIN arrives encrypted with the
/// partner's card-data key (`CardDataCipher`); it is validated, hashed (PBKDF2) and never stored or logged.
struct CardPINEndpoints: Sendable {
    let support: CardEndpointSupport
    /// [inferred] sandbox-only plaintext form of `pin`, for manual testing: `plain:1234`.
    static let sandboxPlaintextPrefix = "plain:"

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("card/set_pin", use: setPIN)
        group.post("card/reset_counter_pin", use: resetCounter)
    }

    func setPIN(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(SetPINRequest.self)
        let partner = try context.partner()
        // No `pin`: the processor chooses one (nobody learns it until a PIN-reveal flow exists).
        let pin = try body.pin.map { try decrypt($0, partner: partner) } ?? RandomToken.digits(4, firstNonZero: false)
        do {
            try PINHash.validate(pin)
        } catch {
            throw CardAPIFailure(error)
        }
        let cardID = CardID(rawValue: body.cardID)
        if body.requestID != nil || context.legacyRequestID != nil {
            return try await support.change(context, requestID: body.requestID, kind: "card.set_pin") { db, partner in
                try await support.cards.setPIN(pin, card: cardID, partner: partner.id, now: support.now, in: db)
                return CardAPIResult(outcome: RequestOutcome(cards: [body.cardID]), answer: EmptyAnswer())
            }
        }
        return try await support.unrecordedChange(context) { db, partner in
            try await support.cards.setPIN(pin, card: cardID, partner: partner.id, now: support.now, in: db)
        }
    }

    func resetCounter(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(CardActionRequest.self)
        return try await support.change(context, requestID: body.requestID, kind: "card.reset_counter_pin") { db, partner in
            try await support.cards.resetPINCounter(card: CardID(rawValue: body.cardID), partner: partner.id, now: support.now, in: db)
            return CardAPIResult(outcome: RequestOutcome(cards: [body.cardID]), answer: EmptyAnswer())
        }
    }

    private func decrypt(_ value: String, partner: Partner) throws -> String {
        if support.services.configuration.sandbox, value.hasPrefix(Self.sandboxPlaintextPrefix) {
            return String(value.dropFirst(Self.sandboxPlaintextPrefix.count))
        }
        do {
            return try CardDataCipher(partnerSecret: partner.secret, authID: partner.authID).open(value)
        } catch .malformed {
            throw CardAPIFailure(.validationError, "field 'pin' must be Base64 of nonce(12) || ciphertext || tag(16), AES-256-GCM")
        } catch {
            throw CardAPIFailure(.validationError, "field 'pin' does not decrypt with this partner's card-data key")
        }
    }
}

import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// Gift cards under `/v5/cards` (card-api.md §3.21–§3.24): integer `status`, `datetime` timestamps,
/// both Card API auth variants.
struct GiftCardRoutes: Sendable {
    let services: AppServices

    var giftCards: GiftCardService {
        GiftCardService(secrets: services.credentials.secrets, policy: services.configuration.giftCodePolicy, clock: services.clock)
    }

    func register(on router: Router<AppRequestContext>) {
        let group = router.group("v5/cards").add(middleware: CardAPIAuthMiddleware(services: services))
        group.post("product_list", use: productList)
        group.post("issue_card", use: issue)
        group.post("activate_card", use: confirm)
        group.post("resend_code", use: resendCode)
        group.post("resend", use: resend)
        group.post("card_status", use: status)
        group.post("**") { request, _ -> Response in
            throw GiftCardFailure(.generalError, "no gift card route \(request.uri.path)", status: .notFound)
        }
    }

    @Sendable func productList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let partner = try context.partner()
        let products = try await services.store.read { db in try await giftCards.products(for: partner.id, in: db) }
        let list = products.map { product in
            GiftProduct(
                code: product.code, name: product.name, nameEN: product.nameEN, currency: product.currency.code,
                balance: WireDecimal(Money(minorUnits: product.faceValueMinor, currency: product.currency).decimal),
                image: services.configuration.baseURL + product.image)
        }
        return JSONBody.response(GiftProductListResponse(datetime: now(), productList: list))
    }

    @Sendable func issue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeGift(IssueGiftCardRequest.self)
        let service = giftCards
        return try await GiftCardExecution(services: services).run(context: context, kind: "gift.issue") { db, partner, now in
            let id = try await service.issue(body, partner: partner.id, now: now, in: db)
            return IssueGiftCardResponse(datetime: WireDate.plain(now), cardID: id.rawValue)
        }
    }

    /// A wrong code is answered `-8` but still counted: the attempt is committed, then reported.
    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeGift(ConfirmGiftCardRequest.self)
        guard !body.otp.isEmpty else { throw GiftCardFailure(.wrongCode, "otp must not be empty") }
        let service = giftCards
        let policy = services.configuration.giftCodePolicy
        return try await GiftCardExecution(services: services).run(context: context, kind: "gift.confirm") { db, partner, now -> GiftConfirmAnswer in
            let (card, result) = try await service.confirm(
                otp: body.otp, cardID: body.cardID.map(GiftCardID.init(rawValue:)), partner: partner.id, now: now, in: db)
            switch result {
            case .activated:
                let (_, balance) = try await service.state(cardID: card.id, partner: partner.id, in: db)
                return .state(Self.state(card, balance, now: now))
            case .wrongCode(let left):
                return .refusal(GiftErrorResponse(datetime: WireDate.plain(now), status: .wrongCode, errorDescription: "wrong code; \(left) attempt(s) left"))
            case .expired:
                return .refusal(GiftErrorResponse(
                    datetime: WireDate.plain(now), status: .wrongCode, errorDescription: "the code has expired; request a new one with resend_code"))
            case .attemptsExhausted:
                return .refusal(GiftErrorResponse(
                    datetime: WireDate.plain(now), status: .activationFailed,
                    errorDescription: "too many wrong codes (\(policy.maxAttempts)); request a new one with resend_code"))
            case .alreadyActivated:
                return .refusal(GiftErrorResponse(datetime: WireDate.plain(now), status: .alreadyActivated, errorDescription: "card is already activated"))
            case .notConfirmable(let status):
                return .refusal(GiftErrorResponse(
                    datetime: WireDate.plain(now), status: .activationFailed, errorDescription: "card in status \(status.rawValue) cannot be activated"))
            }
        }
    }

    @Sendable func resendCode(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeGift(GiftCardIDRequest.self)
        let service = giftCards
        return try await GiftCardExecution(services: services).run(context: context, kind: "gift.resend_code") { db, partner, now in
            try await service.resendCode(cardID: GiftCardID(rawValue: body.cardID), partner: partner.id, now: now, in: db)
            return GiftAcknowledgement(datetime: WireDate.plain(now))
        }
    }

    @Sendable func resend(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeGift(GiftCardIDRequest.self)
        let service = giftCards
        return try await GiftCardExecution(services: services).run(context: context, kind: "gift.resend") { db, partner, now in
            try await service.resendDetails(cardID: GiftCardID(rawValue: body.cardID), partner: partner.id, now: now, in: db)
            return GiftAcknowledgement(datetime: WireDate.plain(now))
        }
    }

    @Sendable func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeGift(GiftCardIDRequest.self)
        let partner = try context.partner()
        let service = giftCards
        do {
            let (card, balance) = try await services.store.read { db in
                try await service.state(cardID: GiftCardID(rawValue: body.cardID), partner: partner.id, in: db)
            }
            return JSONBody.response(Self.state(card, balance, now: services.clock.now()))
        } catch let error as GiftCardError {
            throw GiftCardFailure(error)
        }
    }

    static func state(_ card: GiftCard, _ balance: AccountBalance, now: Date) -> GiftCardStateResponse {
        GiftCardStateResponse(
            datetime: WireDate.plain(now), cardStatus: card.status, cardCurrency: card.currency.code,
            cardBalance: WireDecimal(balance.available.decimal), cardMask: card.panMask)
    }

    private func now() -> String { WireDate.plain(services.clock.now()) }
}

/// Confirm answers either the card's state or a refusal, both committed with the attempt.
enum GiftConfirmAnswer: Encodable, Sendable {
    case state(GiftCardStateResponse)
    case refusal(GiftErrorResponse)

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .state(let state): try state.encode(to: encoder)
        case .refusal(let refusal): try refusal.encode(to: encoder)
        }
    }
}

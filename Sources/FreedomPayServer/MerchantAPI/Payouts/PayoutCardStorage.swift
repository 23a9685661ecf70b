import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// The hosted form where the recipient enters the payout card: the purchase add-card page, no hold [inferred].
struct PayoutCardPages: Sendable {
    let services: AppServices
    var flow: PaymentPageFlow { PaymentPageFlow(services: services) }
    var repository: CardTokenRepository { CardTokenRepository(.payout) }

    func register(on router: Router<AppRequestContext>) {
        router.get("v1/merchant/:merchant_id/cardstoragepayout/view", use: show)
        router.post("v1/merchant/:merchant_id/cardstoragepayout/view", use: submit)
    }

    func pending(_ request: Request) async throws -> CardToken? {
        guard let pageToken = request.uri.queryParameters.get("pg_payment_id") else { return nil }
        return try await services.store.read { db in try await repository.token(pageToken: pageToken, in: db) }
    }

    func merchantName(_ token: CardToken) async throws -> String {
        try await services.store.read { db in try await services.credentials.merchant(id: token.merchantID, in: db)?.name } ?? ""
    }

    func form(_ request: Request, _ token: CardToken, problems: CardEntry.Problems?, holder: String) async throws -> String {
        PaymentPageHTML.addCardForm(action: "\(request.uri.path)?pg_payment_id=\(token.pageToken)", merchantName: try await merchantName(token),
                                    problems: problems, holder: holder)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await flow.guarded {
            guard let token = try await pending(request) else { return flow.notFound() }
            guard token.status == .pending else { return flow.redirect(to: token.backLink) }
            return PaymentPageHTML.response(try await form(request, token, problems: nil, holder: ""))
        }
    }

    /// Saves the masked card (never the number or CVV), notifies `pg_post_link` through the outbox (signed with the
    /// payment secret, §3.13 [code]) and sends the recipient to `pg_back_link`.
    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let fields = try await flow.form(&request)
        return try await flow.guarded {
            guard let token = try await pending(request) else { return flow.notFound() }
            guard token.status == .pending else { return flow.redirect(to: token.backLink) }
            let now = services.clock.now()
            switch CardEntry.validate(number: fields.value("card_number") ?? "", expiry: fields.value("expiry") ?? "", cvv: fields.value("cvv") ?? "",
                                      holder: fields.value("holder") ?? "", now: now) {
            case .failure(let problems):
                return PaymentPageHTML.response(try await form(request, token, problems: problems, holder: fields.value("holder") ?? ""),
                                                status: .unprocessableContent)
            case .success(let entry):
                let pageToken = token.pageToken
                let policy = services.purchases.retryPolicy
                let repository = repository
                let saved = try await services.store.write { db -> CardToken? in
                    guard var token = try await repository.token(pageToken: pageToken, in: db), token.status == .pending else { return nil }
                    token.card = entry.stored
                    token.status = .success
                    try await repository.update(token, in: db)
                    try await OutboxRepository().enqueue(NewCallback(
                        merchantID: token.merchantID, secret: .payment, kind: .cardStorage, subjectID: token.token, url: token.postLink,
                        method: .post, parameters: CardTokenCallbacks.parameters(token), canReject: nil),
                        policy: policy, nowMs: Int64(now.timeIntervalSince1970 * 1000), in: db)
                    return token
                }
                return flow.redirect(to: saved?.backLink ?? token.backLink)
            }
        }
    }
}

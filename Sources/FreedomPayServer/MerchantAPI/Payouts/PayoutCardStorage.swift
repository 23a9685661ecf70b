import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// Payout card storage (merchant-api.md §3.13–§3.14): the purchase card-storage endpoints and hosted form,
/// on the payout card table and signed with the payout secret. Tokens are bound to the merchant and `pg_user_id`.
struct PayoutCardStorageEndpoints: Sendable {
    let services: AppServices

    func register(on group: RouterGroup<AppRequestContext>) {
        for script in ["add", "add2"] { group.post("v1/merchant/:merchant_id/cardstoragepayout/\(script)", use: add) }
        group.post("v1/merchant/:merchant_id/cardstoragepayout/list", use: list)
        group.post("v1/merchant/:merchant_id/cardstoragepayout/remove", use: remove)
    }

    @Sendable func add(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await call.run(services) {
            try CardStorageEndpoints.checkPath(context, call)
            let rules = FieldRules(call.parameters)
            let user = try CardStorageEndpoints.userID(call)
            let postLink = try rules.url("pg_post_link", required: true)!
            let backLink = try rules.url("pg_back_link", required: true)!
            let orderID = try rules.text("pg_order_id", maxLength: 50)
            let now = Int64(services.clock.now().timeIntervalSince1970)
            let merchant = call.merchant.id
            let token = try await services.store.write { db in
                let token = CardToken.pending(
                    merchant: merchant, userID: user, orderID: orderID, operationID: try await PayoutRepository().newID(in: db).rawValue,
                    postLink: postLink, backLink: backLink, now: now)
                try await CardTokenRepository(.payout).insert(token, in: db)
                return token
            }
            let base = PurchaseEndpoints.publicBaseURL(request, services.configuration)
            return call.answer([
                PGParameter("pg_payment_id", String(token.operationID)),
                PGParameter("pg_merchant_id", String(merchant.rawValue)),
                PGParameter("pg_order_id", orderID ?? ""),
                PGParameter("pg_redirect_url", "\(base)/v1/merchant/\(merchant.rawValue)/cardstoragepayout/view?pg_payment_id=\(token.pageToken)"),
                PGParameter("pg_type", "init"),
            ])
        }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await call.run(services) {
            try CardStorageEndpoints.checkPath(context, call)
            let user = try CardStorageEndpoints.userID(call)
            let extended = try FieldRules(call.parameters).flag("pg_extend_data") ?? false
            let merchant = call.merchant.id
            let tokens = try await services.store.read { db in try await CardTokenRepository(.payout).active(merchant: merchant, userID: user, in: db) }
            let cards = tokens.map { PGParameter("card", .nested(CardStorageEndpoints.cardFields($0, extended: extended))) }
            return MerchantResponse.signed(cards, merchant: call.merchant, script: call.script, secret: call.secret)
        }
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await call.run(services) {
            try CardStorageEndpoints.checkPath(context, call)
            let user = try CardStorageEndpoints.userID(call)
            guard let reference = call.parameters.value("pg_card_token") ?? call.parameters.value("pg_card_id"), !reference.isEmpty else {
                throw PurchaseRuleViolation(.invalidParameter, "pg_card_token is required")
            }
            let merchant = call.merchant.id
            let now = services.clock.now()
            let removed = try await services.store.write { db -> Bool in
                guard var token = try await CardTokenRepository(.payout).token(reference, merchant: merchant, userID: user, in: db),
                      token.status == .success else { return false }
                token.status = .removed
                token.deletedAt = Int64(now.timeIntervalSince1970)
                try await CardTokenRepository(.payout).update(token, in: db)
                return true
            }
            guard removed else { throw MerchantAPIFailure(1999, "Card not found") }
            return MerchantResponse.signed(
                [PGParameter("pg_status", "success"), PGParameter("deleted_at", WireDate.rfc3339(now))],
                merchant: call.merchant, script: call.script, secret: call.secret)
        }
    }
}

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

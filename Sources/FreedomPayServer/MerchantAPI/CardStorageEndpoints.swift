import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// Card storage: tokenize a card on a hosted form, list and remove tokens. One implementation serves
/// purchase card storage (merchant-api.md §3.7–§3.9, payment secret) and payout card storage (§3.13–§3.14,
/// payout secret, its own token table); the group it is registered on decides the secret.
/// Every look-up is scoped to the merchant and `pg_user_id`.
struct CardStorageEndpoints: Sendable {
    /// What differs between the purchase and the payout card storage.
    struct Kind: Sendable {
        /// Path segment: `/v1/merchant/{id}/<segment>/add`.
        let segment: String
        let table: CardTokenRepository.Table
        /// Script names that create a token (`add2` is the payout docs' second spelling).
        let addScripts: [String]
        /// Allocates the operation id shown as `pg_payment_id`.
        let newOperationID: @Sendable (any SQLExecutor) async throws -> PaymentID

        static let purchase = Kind(
            segment: "cardstorage", table: .purchase, addScripts: ["add"],
            newOperationID: { try await PurchaseRepository().newID(in: $0) })
        static let payout = Kind(
            segment: "cardstoragepayout", table: .payout, addScripts: ["add", "add2"],
            newOperationID: { try await PayoutRepository().newID(in: $0) })
    }

    let services: AppServices
    var kind: Kind = .purchase
    var tokens: CardTokenRepository { CardTokenRepository(kind.table) }

    func register(on group: RouterGroup<AppRequestContext>) {
        for script in kind.addScripts { group.post("v1/merchant/:merchant_id/\(kind.segment)/\(script)", use: add) }
        group.post("v1/merchant/:merchant_id/\(kind.segment)/list", use: list)
        group.post("v1/merchant/:merchant_id/\(kind.segment)/remove", use: remove)
    }

    /// The merchant of the path must be the one that signed (`pg_merchant_id`).
    static func checkPath(_ context: AppRequestContext, _ call: MerchantCall) throws {
        guard context.parameters.get("merchant_id") == String(call.merchant.id.rawValue) else {
            throw MerchantAPIFailure(9997, "Wrong store number: the path merchant id differs from pg_merchant_id")
        }
    }

    static func userID(_ call: MerchantCall) throws -> String {
        let rules = FieldRules(call.parameters)
        guard let user = try rules.pattern(
            "pg_user_id", maxLength: 50, allowed: { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") },
            rule: "1..50 characters of a-z A-Z 0-9 _ -") else {
            throw PurchaseRuleViolation(.invalidParameter, "pg_user_id is required")
        }
        return user
    }

    @Sendable func add(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await call.run(services) {
            try Self.checkPath(context, call)
            let rules = FieldRules(call.parameters)
            let user = try Self.userID(call)
            let postLink = try rules.url("pg_post_link", required: true)!
            let backLink = try rules.url("pg_back_link", required: true)!
            let orderID = try rules.text("pg_order_id", maxLength: 50)
            let now = Int64(services.clock.now().timeIntervalSince1970)
            let merchant = call.merchant.id
            let (kind, tokens) = (kind, tokens)
            let token = try await services.store.write { db in
                let token = CardToken.pending(
                    merchant: merchant, userID: user, orderID: orderID, operationID: try await kind.newOperationID(db).rawValue,
                    postLink: postLink, backLink: backLink, now: now)
                try await tokens.insert(token, in: db)
                return token
            }
            let base = PurchaseEndpoints.publicBaseURL(request, services.configuration)
            return call.answer([
                PGParameter("pg_payment_id", String(token.operationID)),
                PGParameter("pg_merchant_id", String(merchant.rawValue)),
                PGParameter("pg_order_id", orderID ?? ""),
                PGParameter("pg_redirect_url", "\(base)/v1/merchant/\(merchant.rawValue)/\(kind.segment)/view?pg_payment_id=\(token.pageToken)"),
                PGParameter("pg_type", "init"),
            ])
        }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await call.run(services) {
            try Self.checkPath(context, call)
            let user = try Self.userID(call)
            let extended = try FieldRules(call.parameters).flag("pg_extend_data") ?? false
            let merchant = call.merchant.id
            let repository = tokens
            let tokens = try await services.store.read { db in try await repository.active(merchant: merchant, userID: user, in: db) }
            let cards = tokens.map { PGParameter("card", .nested(Self.cardFields($0, extended: extended))) }
            // The list has no pg_status of its own: each <card> carries its status (§3.8).
            return MerchantResponse.signed(cards, merchant: call.merchant, script: call.script, secret: call.secret)
        }
    }

    static func cardFields(_ token: CardToken, extended: Bool) -> [PGParameter] {
        let card = token.card
        var fields = [
            PGParameter("pg_status", "success"),
            PGParameter("pg_merchant_id", String(token.merchantID.rawValue)),
            PGParameter("pg_card_id", String(token.cardID)),
            PGParameter("pg_card_token", token.token),
            PGParameter("pg_card_hash", card?.mask ?? ""),
            PGParameter("pg_card_hhash", token.maskHash),
            PGParameter("pg_recurring_profile_id", ""),
            PGParameter("created_at", WireDate.rfc3339(Date(timeIntervalSince1970: TimeInterval(token.createdAt)))),
        ]
        if extended, let card {
            let parts = card.expiry.split(separator: "/").map(String.init)
            fields += [PGParameter("bank_alias", "sandbox"), PGParameter("brand_alias", card.brand),
                       PGParameter("expiry_year", parts.last ?? ""), PGParameter("expiry_month", parts.first ?? "")]
        }
        return fields
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await call.run(services) {
            try Self.checkPath(context, call)
            let user = try Self.userID(call)
            guard let reference = call.parameters.value("pg_card_token") ?? call.parameters.value("pg_card_id"), !reference.isEmpty else {
                throw PurchaseRuleViolation(.invalidParameter, "pg_card_token is required")
            }
            let merchant = call.merchant.id
            let now = services.clock.now()
            let tokens = tokens
            let removed = try await services.store.write { db -> CardToken? in
                guard var token = try await tokens.token(reference, merchant: merchant, userID: user, in: db),
                      token.status == .success else { return nil }
                token.status = .removed
                token.deletedAt = Int64(now.timeIntervalSince1970)
                try await tokens.update(token, in: db)
                return token
            }
            guard removed != nil else { throw MerchantAPIFailure(1999, "Card not found") }
            return MerchantResponse.signed(
                [PGParameter("pg_status", "success"), PGParameter("deleted_at", WireDate.rfc3339(now))],
                merchant: call.merchant, script: call.script, secret: call.secret)
        }
    }
}

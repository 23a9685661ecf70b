import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// One card, one payment, one callback; and the operator actions: rotate a secret, redeliver a callback.
extension DashboardRoutes {
    func registerDetails(on group: RouterGroup<AppRequestContext>) {
        group.get("cards/:id", use: page(cardPage))
        group.get("payments/:id", use: page(paymentPage))
        group.get("callbacks/:id", use: page(callbackPage))
        group.post("partners/:id/rotate", use: form(rotatePartner))
        group.post("merchants/:id/rotate", use: form(rotateMerchant))
        group.post("callbacks/:id/redeliver", use: form(redeliver))
    }

    typealias Field = DashboardTableView.Field

    @Sendable func cardPage(_ request: Request, context: AppRequestContext, session: DashboardSession) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        let paging = Self.paging(request)
        let found = try await services.store.read { [queries] db -> ([(String, String)], DashboardListing, DashboardListing)? in
            guard let card = try await queries.card(id, in: db) else { return nil }
            return (card.fields, try await queries.statement(account: card.account, paging, in: db),
                    try await queries.transactions(card: id, DashboardPaging(size: 20), in: db))
        }
        guard let (fields, statement, transactions) = found else { return notFound("card", session: session) }
        let escaped = DashboardFormat.escape(id)
        return render("Card \(id)", template: "detail", [
            "fields": fields.map { Field(name: $0.0, value: $0.1) },
            "tables": [DashboardTableView(statement, heading: "Statement (ledger entries)", base: "/dashboard/cards/\(escaped)"),
                       DashboardTableView(transactions, heading: "Latest transactions", base: "/dashboard/transactions?card=\(escaped)")],
        ], session: session)
    }

    @Sendable func paymentPage(_ request: Request, context: AppRequestContext, session: DashboardSession) async throws -> Response {
        guard let id = context.parameters.get("id", as: Int64.self) else { return notFound("payment", session: session) }
        let found = try await services.store.read { [queries] db -> ([(String, String)], DashboardListing, DashboardListing)? in
            guard let payment = try await queries.payment(id, in: db) else { return nil }
            return (payment.fields, payment.history, try await queries.callbacks(subject: String(id), DashboardPaging(size: 20), in: db))
        }
        guard let (fields, history, callbacks) = found else { return notFound("payment", session: session) }
        return render("Payment \(id)", template: "detail", [
            "fields": fields.map { Field(name: $0.0, value: $0.1) },
            "tables": [DashboardTableView(history, heading: "State history (operations)", base: "/dashboard/payments/\(id)"),
                       DashboardTableView(callbacks, heading: "Callbacks", base: "/dashboard/callbacks?subject=\(id)")],
        ], session: session)
    }

    /// What was sent (unsigned parameters; `pg_salt`/`pg_sig` are added per attempt), the merchant's reply,
    /// the attempts, and the redeliver button.
    @Sendable func callbackPage(_ request: Request, context: AppRequestContext, session: DashboardSession) async throws -> Response {
        guard let id = context.parameters.get("id", as: Int64.self),
              let found = try await services.store.read({ [queries] db in try await queries.callback(id, in: db) }) else {
            return notFound("callback", session: session)
        }
        let callback = found.row.callback, delivery = found.row.delivery
        let fields: [Field] = [
            .init(name: "Callback", value: String(id)), .init(name: "Kind", value: callback.kind.rawValue),
            .init(name: "Merchant", value: String(callback.merchantID.rawValue)), .init(name: "Subject", value: callback.subjectID),
            .init(name: "URL", value: callback.url), .init(name: "Method", value: callback.method.rawValue),
            .init(name: "State", value: delivery.state.storageName),
            .init(name: "Attempts", value: "\(delivery.attempts) of \(delivery.maxAttempts)"),
            .init(name: "Merchant reply", value: [found.row.replyStatus, found.row.replyDescription].compactMap { $0 }.joined(separator: ": ")),
            .init(name: "Last error", value: delivery.lastError ?? ""),
            .init(name: "Queued", value: DashboardFormat.time(Double(found.createdAtMs) / 1000)),
            .init(name: "Finished", value: found.finishedAtMs.map { DashboardFormat.time(Double($0) / 1000) } ?? ""),
        ]
        let request = callback.parameters.compactMap { parameter -> String? in
            if case .text(let value) = parameter.value { return "\(parameter.name)=\(value)" }
            return "\(parameter.name)=(nested)"
        }.joined(separator: "\n")
        return render("Callback \(id)", template: "detail", [
            "fields": fields, "preformatted": ["heading": "Request parameters (signed at each attempt)", "text": request],
            "actions": [DashboardTableView.Action(path: "callbacks/\(id)/redeliver", label: "Redeliver", id: "redeliver", field: nil)],
        ], session: session)
    }

    @Sendable func rotatePartner(_ request: Request, context: AppRequestContext, session: DashboardSession, fields: [String: String]) async throws -> Response {
        guard let id = context.parameters.get("id", as: Int64.self) else { return notFound("partner", session: session) }
        return try await rotate(.partner, ownerID: id, owner: "partner \(id)", back: "partners", session: session)
    }

    @Sendable func rotateMerchant(_ request: Request, context: AppRequestContext, session: DashboardSession, fields: [String: String]) async throws -> Response {
        guard let id = context.parameters.get("id", as: Int64.self) else { return notFound("merchant", session: session) }
        guard let kind = RotatableSecret(rawValue: fields["secret"] ?? ""), kind != .partner else {
            return render("Bad request", template: "message", ["tone": "bad", "text": "Choose the payment or the payout secret.", "back": "merchants"],
                          session: session, status: .badRequest)
        }
        return try await rotate(kind, ownerID: id, owner: "merchant \(id)", back: "merchants", session: session)
    }

    /// Generates and stores a new secret and shows it in this one response only (never logged, not cacheable).
    private func rotate(_ kind: RotatableSecret, ownerID: Int64, owner: String, back: String, session: DashboardSession) async throws -> Response {
        let fresh = try await services.store.write { [services] db in try await services.credentials.rotate(kind, ownerID: ownerID, in: db) }
        guard let fresh else { return notFound(back == "partners" ? "partner" : "merchant", session: session) }
        // Committed: the authenticators' credentials cache must drop the old secret now.
        if kind == .partner {
            services.credentials.credentialsChanged(partner: PartnerID(rawValue: ownerID))
        } else {
            services.credentials.credentialsChanged(merchant: MerchantID(rawValue: ownerID))
        }
        services.logger.notice("secret rotated", metadata: [
            "operator": "\(session.operatorAccount.username)", "owner": "\(owner)", "secret": "\(kind.rawValue)"])
        let label = kind == .partner ? "secret" : "\(kind.rawValue) secret"
        return render("New \(label)", template: "secret", ["kind": label, "owner": owner, "secret": fresh, "back": back], session: session)
    }

    /// Queues a copy of the callback in the outbox; the running dispatcher sends it, signed as usual.
    @Sendable func redeliver(_ request: Request, context: AppRequestContext, session: DashboardSession, fields: [String: String]) async throws -> Response {
        guard let id = context.parameters.get("id", as: Int64.self) else { return notFound("callback", session: session) }
        let configuration = services.configuration
        let policy = CallbackRetryPolicy(intervalMs: configuration.callbackRetryIntervalMs, windowMs: configuration.callbackRetryWindowMs)
        let nowMs = Int64(services.clock.now().timeIntervalSince1970 * 1000)
        guard let copy = try await services.store.write({ db in
            try await OutboxRepository().redeliver(id: id, policy: policy, nowMs: nowMs, in: db)
        }) else { return notFound("callback", session: session) }
        services.logger.notice("callback redelivery queued", metadata: [
            "operator": "\(session.operatorAccount.username)", "callback": "\(id)", "copy": "\(copy)"])
        return Self.redirect("/dashboard/callbacks/\(copy)")
    }
}

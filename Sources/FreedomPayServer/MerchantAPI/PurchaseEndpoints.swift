import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// Purchase endpoints (merchant-api.md §3.1–§3.5): create, status, clearing, cancel, refund.
struct PurchaseEndpoints: Sendable {
    let services: AppServices

    /// Each endpoint answers POST (form or `pg_xml`) and GET (query string), under both spellings (§1.2).
    func register(on group: RouterGroup<AppRequestContext>) {
        let routes: [(String, @Sendable (Request, AppRequestContext) async throws -> Response)] = [
            ("init_payment", initPayment), ("get_status3", status), ("do_capture", capture), ("cancel", cancel), ("revoke", refund),
        ]
        for (name, handler) in routes {
            for path in [name + ".php", name] {
                group.post(RouterPath(stringLiteral: path), use: handler)
                group.get(RouterPath(stringLiteral: path), use: handler)
            }
        }
    }

    /// `init_payment.php`: validates, creates the payment and answers the hosted page URL.
    @Sendable func initPayment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await call.run(services) {
            let draft = try PaymentDraft.validate(call.parameters, sandbox: services.configuration.sandbox)
            let hash = PurchaseService.requestHash(call.parameters)
            let now = services.clock.now()
            let payment: PurchasePayment
            do {
                payment = try await create(draft, merchant: call.merchant.id, hash: hash, now: now)
            } catch StoreError.uniqueViolation {
                // A concurrent request with the same pg_idempotency_key won the insert: answer its payment.
                payment = try await create(draft, merchant: call.merchant.id, hash: hash, now: now)
            }
            return call.answer([
                PGParameter("pg_payment_id", String(payment.id.rawValue)),
                PGParameter("pg_redirect_url", PaymentPageRoutes.pageURL(base: publicBaseURL(request), token: payment.pageToken)),
                PGParameter("pg_redirect_url_type", "need data"),
            ])
        }
    }

    private func create(_ draft: PaymentDraft, merchant: MerchantID, hash: String, now: Date) async throws -> PurchasePayment {
        try await services.store.write { db in
            try await services.purchases.create(draft, merchant: merchant, requestHash: hash, now: now, in: db)
        }
    }

    private func publicBaseURL(_ request: Request) -> String { Self.publicBaseURL(request, services.configuration) }

    /// The configured public URL, else the Host the merchant called us on (http) [inferred].
    static func publicBaseURL(_ request: Request, _ configuration: ServerConfiguration) -> String {
        if let configured = configuration.publicBaseURL { return configured.hasSuffix("/") ? String(configured.dropLast()) : configured }
        if let authority = request.head.authority, !authority.isEmpty { return "http://" + authority }
        return configuration.baseURL
    }

    /// `get_status3.php` by `pg_payment_id` (payment or operation) or by `pg_order_id` (last payment).
    @Sendable func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await call.run(services) {
            let merchant = call.merchant.id
            let now = services.clock.now()
            let byPaymentID = call.parameters.value("pg_payment_id").map { !$0.isEmpty && $0 != "0" } ?? false
            let id = byPaymentID ? try call.paymentID() : nil
            guard id != nil || call.parameters.value("pg_order_id").map({ !$0.isEmpty }) == true else {
                throw MerchantAPIFailure(PGErrorCode.invalidParameter.rawValue, "pg_payment_id or pg_order_id is required")
            }
            let fields = try await services.store.write { db -> [PGParameter]? in
                let service = services.purchases
                var payment: PurchasePayment?
                if let id {
                    payment = try await service.load(id, merchant: merchant, now: now, in: db)
                    if payment == nil, let operation = try await service.repository.operation(id: id, merchant: merchant, in: db),
                       let parent = try await service.load(operation.paymentID, merchant: merchant, now: now, in: db) {
                        return PurchaseStatusFields.operation(operation, of: parent)
                    }
                } else if let orderID = call.parameters.value("pg_order_id"),
                          var found = try await service.repository.lastPayment(orderID: orderID, merchant: merchant, in: db) {
                    try await service.applyTimeRules(&found, now: now, in: db)
                    payment = found
                }
                guard let payment else { return nil }
                return PurchaseStatusFields.payment(payment, operations: try await service.repository.operations(of: payment.id, in: db))
            }
            guard let fields else { throw MerchantCall.notFound() }
            return call.answer(fields)
        }
    }

    /// `do_capture.php`: clears a held payment, fully or by `pg_clearing_amount`.
    @Sendable func capture(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await call.run(services) {
            let amount = try FieldRules(call.parameters).amount("pg_clearing_amount")
            let (payment, _) = try await operate(call) { payment, db, now in
                try await services.purchases.capture(&payment, amountMinor: amount, now: now, in: db)
            }
            return call.answer([
                PGParameter("pg_payment_id", String(payment.id.rawValue)),
                PGParameter("pg_amount", PGAmount.render(payment.amountMinor)),
                PGParameter("pg_clearing_amount", PGAmount.render(payment.machine.clearedMinor)),
                PGParameter("pg_clearing_status", "1"),
            ])
        }
    }

    /// `cancel.php`: releases a held payment.
    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await call.run(services) {
            let (payment, operation) = try await operate(call) { payment, db, now in
                try await services.purchases.cancel(&payment, now: now, in: db)
            }
            return call.answer([
                PGParameter("pg_payment_id", String(payment.id.rawValue)),
                PGParameter("pg_payment_revoke_id", String(operation.id.rawValue)),
                PGParameter("pg_revoke_status", "success"),
            ])
        }
    }

    /// `revoke.php`: refunds `pg_refund_amount` (or everything not yet refunded) of a cleared payment.
    @Sendable func refund(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await call.run(services) {
            let amount = try FieldRules(call.parameters).amount("pg_refund_amount")
            let (payment, operation) = try await operate(call) { payment, db, now in
                try await services.purchases.refund(&payment, amountMinor: amount, now: now, in: db)
            }
            return call.answer([
                PGParameter("pg_payment_id", String(payment.id.rawValue)),
                PGParameter("pg_payment_refund_id", String(operation.id.rawValue)),
                PGParameter("pg_refund_status", "success"),
            ])
        }
    }

    /// Loads the caller's payment (not found for any other merchant's id) and applies `change` in one transaction.
    private func operate(
        _ call: MerchantCall,
        _ change: @escaping @Sendable (inout PurchasePayment, any SQLExecutor, Date) async throws -> PurchaseOperation
    ) async throws -> (PurchasePayment, PurchaseOperation) {
        let id = try call.paymentID()
        let now = services.clock.now()
        let merchant = call.merchant.id
        return try await services.store.write { db in
            guard var payment = try await services.purchases.load(id, merchant: merchant, now: now, in: db) else {
                throw MerchantCall.notFound()
            }
            let operation = try await change(&payment, db, now)
            return (payment, operation)
        }
    }
}

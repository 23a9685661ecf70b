import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// Payout endpoints of the Merchant API (merchant-api.md §3.15, §3.18–§3.20), all verified with the payout secret.
struct PayoutEndpoints: Sendable {
    let services: AppServices

    /// Routes under `/api` (the group already verifies the payout secret).
    func register(api group: RouterGroup<AppRequestContext>) {
        group.post("reg2reg", use: reg2reg)
        group.post("to_iban", use: toIBAN)
        group.post("balance_status", use: balanceStatus)
        group.post("payment_status", use: paymentStatus)
        group.post("payment_status2", use: paymentStatus2)
        group.post("sandbox/fund", use: fund)
    }

    /// Root routes that use the payout secret (`get_status2.php` for payouts [inferred]).
    func register(root group: RouterGroup<AppRequestContext>) {
        group.post("get_status2.php", use: statusByOrder)
    }

    /// Runs `body`, answering payout refusals with their documented code (signed).
    static func run(_ call: MerchantCall, _ services: AppServices, _ body: () async throws -> Response) async -> Response {
        await call.run(services) {
            do {
                return try await body()
            } catch let refusal as PayoutRefusal {
                throw MerchantAPIFailure(refusal.code, refusal.message)
            }
        }
    }

    @Sendable func reg2reg(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await Self.run(call, services) {
            let now = services.clock.now()
            let draft = try PayoutDraft.validate(call.parameters, now: now)
            let payouts = services.payouts
            let payout = try await create(call) { merchant, hash, db in
                try await payouts.payToToken(draft, merchant: merchant, requestHash: hash, now: now, in: db)
            }
            return Self.answer(call, payout, includeCard: true)
        }
    }

    @Sendable func toIBAN(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await Self.run(call, services) {
            let now = services.clock.now()
            let draft = try IBANPayoutDraft.validate(call.parameters)
            let payouts = services.payouts
            let payout = try await create(call) { merchant, hash, db in
                try await payouts.payToIBAN(draft, merchant: merchant, requestHash: hash, now: now, in: db)
            }
            return Self.answer(call, payout, includeCard: false)
        }
    }

    /// Runs a payout creation in one transaction. Identical requests racing (a retry sent to another instance)
    /// are serialised by the service's payout lock: the later one replays the earlier one's payout, or gets 9991
    /// for a different request with the same order id.
    func create(_ call: MerchantCall, _ body: @escaping @Sendable (MerchantID, String, any SQLExecutor) async throws -> PayoutService.Outcome) async throws -> Payout {
        let hash = PurchaseService.requestHash(call.parameters)
        let merchant = call.merchant.id
        return try await services.store.write { db in try await body(merchant, hash, db) }.payout
    }

    /// The payout fields (§3.15); a failed payout answers `pg_status=error` with its code and the same fields.
    static func answer(_ call: MerchantCall, _ payout: Payout, includeCard: Bool) -> Response {
        var fields = [
            PGParameter("pg_payment_id", String(payout.id.rawValue)),
            PGParameter("pg_merchant_id", String(payout.merchantID.rawValue)),
            PGParameter("pg_order_id", payout.orderID),
            PGParameter("pg_balance", PGAmount.render(payout.balanceAfterMinor ?? 0)),
        ]
        if includeCard {
            fields += [PGParameter("pg_card_hash", payout.cardMask ?? ""), PGParameter("pg_card_token", payout.cardToken ?? "")]
        }
        fields += [
            PGParameter("pg_payment_amount", PGAmount.render(payout.amountMinor)),
            PGParameter("pg_to_pay", PGAmount.render(payout.toPayMinor)),
            PGParameter("pg_payment_status", payout.machine.paymentStatus),
            PGParameter("pg_payment_date", PayoutFields.date(payout.finishedAt ?? payout.createdAt)),
        ]
        if let code = payout.machine.errorCode {
            return MerchantResponse.signed(
                [PGParameter("pg_status", "error"), PGParameter("pg_error_code", String(code)),
                 PGParameter("pg_error_description", payout.errorDescription ?? "")] + fields,
                merchant: call.merchant, script: call.script, secret: call.secret)
        }
        return call.answer(fields + [PGParameter("pg_error_code", "0"), PGParameter("pg_error_description", "")])
    }

    static func currency(_ call: MerchantCall) throws -> Currency {
        let code = call.parameters.value("pg_currency") ?? PayoutService.currency.code
        guard let currency = Currency(code: code) else {
            throw PurchaseRuleViolation(.invalidParameter, "pg_currency must be an ISO 4217 code such as KZT")
        }
        return currency
    }

    @Sendable func balanceStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await Self.run(call, services) {
            let currency = try Self.currency(call)
            let merchant = call.merchant.id
            let balance = try await services.store.write { db in try await services.payouts.balance(merchant: merchant, currency: currency, in: db) }
            return call.answer([PGParameter("pg_balance", PGAmount.render(balance)), PGParameter("pg_currency", currency.code)])
        }
    }

    /// The payout named by `pg_payment_id` (and `pg_order_id` when both are given), this merchant's only.
    func find(_ call: MerchantCall, requireOrder: Bool) async throws -> Payout {
        let orderID = call.parameters.value("pg_order_id").flatMap { $0.isEmpty ? nil : $0 }
        if requireOrder, orderID == nil { throw PurchaseRuleViolation(.invalidParameter, "pg_order_id is required") }
        let paymentID = call.parameters.value("pg_payment_id").flatMap { $0.isEmpty ? nil : $0 }
        if !requireOrder, paymentID == nil { throw PurchaseRuleViolation(.invalidParameter, "pg_payment_id is required") }
        let merchant = call.merchant.id
        let id = paymentID == nil ? nil : try call.paymentID()
        let payout = try await services.store.read { db -> Payout? in
            if let id { return try await PayoutRepository().payout(id: id, merchant: merchant, in: db) }
            return try await PayoutRepository().payout(orderID: orderID!, merchant: merchant, in: db)
        }
        guard let payout, orderID == nil || payout.orderID == orderID else { throw MerchantCall.notFound() }
        return payout
    }

    @Sendable func paymentStatus2(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await Self.run(call, services) {
            let payout = try await find(call, requireOrder: true)
            return call.answer(Self.statusFields(payout) + [PGParameter("pg_payment_status", payout.machine.paymentStatus)])
        }
    }

    @Sendable func paymentStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await Self.run(call, services) {
            let payout = try await find(call, requireOrder: false)
            return call.answer(Self.statusFields(payout) + [PGParameter("pg_payment_status", payout.machine.legacyStatus)])
        }
    }

    @Sendable func statusByOrder(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await Self.run(call, services) {
            let payout = try await find(call, requireOrder: true)
            return call.answer([
                PGParameter("pg_payment_id", String(payout.id.rawValue)),
                PGParameter("pg_transaction_status", payout.machine.transactionStatus),
                PGParameter("pg_can_reject", "0"),
                PGParameter("pg_testing_mode", services.configuration.sandbox ? "1" : "0"),
                PGParameter("pg_captured", payout.machine.state == .ok ? "1" : "0"),
                PGParameter("pg_create_date", WireDate.plain(Date(timeIntervalSince1970: TimeInterval(payout.createdAt)), timeZone: TimeZone(identifier: "UTC")!)),
            ])
        }
    }

    static func statusFields(_ payout: Payout) -> [PGParameter] {
        var fields = [
            PGParameter("pg_payment_id", String(payout.id.rawValue)),
            PGParameter("pg_merchant_id", String(payout.merchantID.rawValue)),
            PGParameter("pg_order_id", payout.orderID),
            PGParameter("pg_amount", PGAmount.render(payout.amountMinor)),
            PGParameter("pg_to_pay", PGAmount.render(payout.toPayMinor)),
            PGParameter("pg_card_hash", payout.cardMask ?? ""),
        ]
        if let code = payout.machine.errorCode {
            fields += [PGParameter("pg_error_code", String(code)), PGParameter("pg_error_description", payout.errorDescription ?? "")]
        }
        return fields
    }

    /// Sandbox only (9994 otherwise): credits the merchant's payout balance (`pg_amount`, optional `pg_currency`).
    @Sendable func fund(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await Self.run(call, services) {
            guard services.configuration.sandbox else { throw MerchantAPIFailure(9994, "Action disabled: sandbox funding exists only in sandbox mode") }
            let amount = try FieldRules(call.parameters).amount("pg_amount", required: true)!
            let currency = try Self.currency(call)
            let merchant = call.merchant.id
            let balance = try await services.store.write { db in
                try await services.payouts.fund(merchant: merchant, amountMinor: amount, currency: currency, in: db)
            }
            return call.answer([PGParameter("pg_balance", PGAmount.render(balance)), PGParameter("pg_currency", currency.code)])
        }
    }
}

extension AppServices {
    /// Payout operations with the configured fee, sandbox delay and callback retry schedule.
    public var payouts: PayoutService {
        PayoutService(
            fee: configuration.payoutFee, processingDelaySeconds: configuration.payoutProcessingDelaySeconds,
            retryPolicy: purchases.retryPolicy, ledger: LedgerRepository(clock: clock))
    }
}

import Foundation
import FreedomPayWire

/// Payout operations, each inside the caller's transaction. Money moves through the ledger: a payout debits
/// the merchant's account by amount + fee (amount to the outside world, fee to the platform's fees account);
/// a payout that finally fails gets both back. The payout notify is written to the callback outbox in the same
/// transaction as the final state (merchant-api.md §3.24, §4.3).
public struct PayoutService: Sendable {
    public let fee: PayoutFee
    public let processingDelaySeconds: Int
    public let retryPolicy: CallbackRetryPolicy
    let ledger: LedgerRepository

    /// Payouts have no currency field; they are paid from the merchant's KZT balance [inferred].
    public static let currency = Currency.kzt

    public init(fee: PayoutFee, processingDelaySeconds: Int, retryPolicy: CallbackRetryPolicy, ledger: LedgerRepository) {
        self.fee = fee
        self.processingDelaySeconds = max(processingDelaySeconds, 0)
        self.retryPolicy = retryPolicy
        self.ledger = ledger
    }

    public struct Outcome: Sendable {
        public let payout: Payout
        /// True when an identical earlier request created it (nothing new happened).
        public let replayed: Bool
    }

    /// `reg2reg`: pays `draft` out to a saved payout card, or returns the payout an identical earlier request
    /// created. A different request with a used order id is refused (9991); an unknown token 1999;
    /// a balance that does not cover amount + fee 8888 (nothing is written).
    public func payToToken(_ draft: PayoutDraft, merchant: MerchantID, requestHash: String, now: Date, in db: any SQLExecutor) async throws -> Outcome {
        if let existing = try await existing(draft.orderID, merchant: merchant, requestHash: requestHash, in: db) { return existing }
        guard let token = try await CardTokenRepository(.payout).token(draft.cardToken, merchant: merchant, userID: draft.userID, in: db),
              token.status == .success, let card = token.card else {
            throw PayoutRefusal(1999, "Card token not found for this pg_user_id")
        }
        let order = PayoutOrder(kind: .reg2reg, orderID: draft.orderID, amountMinor: draft.amountMinor, description: draft.description,
                                userID: draft.userID, postLink: draft.postLink, timeLimit: Int64(draft.timeLimit.timeIntervalSince1970),
                                cardToken: token.token, recipient: card.mask)
        return try await pay(order, plan: PayoutTestCards.plan(mask: card.mask), merchant: merchant, requestHash: requestHash, now: now, in: db)
    }

    /// `to_iban`: pays out to a bank account; the sandbox always succeeds at once.
    public func payToIBAN(_ draft: IBANPayoutDraft, merchant: MerchantID, requestHash: String, now: Date, in db: any SQLExecutor) async throws -> Outcome {
        if let existing = try await existing(draft.orderID, merchant: merchant, requestHash: requestHash, in: db) { return existing }
        let order = PayoutOrder(kind: .toIBAN, orderID: draft.orderID, amountMinor: draft.amountMinor, description: draft.description,
                                userID: nil, postLink: draft.postLink, timeLimit: Int64(now.timeIntervalSince1970), cardToken: nil,
                                recipient: draft.iban)
        return try await pay(order, plan: .success, merchant: merchant, requestHash: requestHash, now: now, in: db)
    }

    /// The payout an identical earlier request created (nil when the order id is unused); 9991 for a different request.
    /// Takes the merchant's payout lock first, so a concurrent twin (same order id, another instance) waits for
    /// its winner to commit and then finds the winner's payout here, instead of meeting the balance the winner
    /// just used (8888) or its order id (unique violation).
    func existing(_ orderID: String, merchant: MerchantID, requestHash: String, in db: any SQLExecutor) async throws -> Outcome? {
        try await PayoutRepository().lockPayouts(of: merchant, in: db)
        guard let existing = try await PayoutRepository().payout(orderID: orderID, merchant: merchant, in: db) else { return nil }
        guard existing.requestHash == requestHash else {
            throw PayoutRefusal(PayoutRefusal.nonUniqueOrderID, "Non-unique order id: pg_order_id \(orderID) was already used for another payout")
        }
        return Outcome(payout: existing, replayed: true)
    }

    struct PayoutOrder {
        var kind: Payout.Kind
        var orderID: String
        var amountMinor: Int64
        var description: String
        var userID: String?
        var postLink: String
        var timeLimit: Int64
        var cardToken: String?
        /// Masked card or IBAN.
        var recipient: String
    }

    func pay(_ order: PayoutOrder, plan: PayoutPlan, merchant: MerchantID, requestHash: String, now: Date, in db: any SQLExecutor) async throws -> Outcome {
        if case .failure(let code) = plan, code == PayoutRefusal.insufficientBalance {
            throw PayoutRefusal(code, PayoutTestCards.description(of: code))
        }
        let account = AccountKey.merchant(merchant, Self.currency)
        try await ledger.openAccount(account, in: db)
        let nowSeconds = Int64(now.timeIntervalSince1970)
        var payout = Payout(
            id: try await PayoutRepository().newID(in: db), merchantID: merchant, orderID: order.orderID, kind: order.kind,
            amountMinor: order.amountMinor, feeMinor: fee.fee(forMinor: order.amountMinor), currency: Self.currency,
            description: order.description, userID: order.userID, postLink: order.postLink, cardToken: order.cardToken,
            cardMask: order.recipient, machine: PayoutMachine(), plan: plan, errorDescription: nil, requestHash: requestHash,
            timeLimit: order.timeLimit, settleAt: nil, balanceAfterMinor: nil, createdAt: nowSeconds, finishedAt: nil)
        try await execute(&payout, now: now, in: db)
        payout.balanceAfterMinor = try await ledger.balance(of: account, in: db).availableMinor
        try await PayoutRepository().insert(payout, in: db)
        if payout.machine.isFinal { try await notify(payout, now: now, in: db) }
        return Outcome(payout: payout, replayed: false)
    }

    /// Checks the balance (8888) and applies the payout's plan: fail at once, pay, or debit and wait in `process`.
    func execute(_ payout: inout Payout, now: Date, in db: any SQLExecutor) async throws {
        let nowSeconds = Int64(now.timeIntervalSince1970)
        let available = try await ledger.balance(of: .merchant(payout.merchantID, payout.currency), in: db).availableMinor
        guard available >= payout.toPayMinor else {
            throw PayoutRefusal(PayoutRefusal.insufficientBalance, PayoutTestCards.description(of: PayoutRefusal.insufficientBalance))
        }
        switch payout.plan {
        case .failure(let code):
            try payout.machine.fail(code: code)
            payout.errorDescription = PayoutTestCards.description(of: code)
            payout.finishedAt = nowSeconds
        case .success:
            try await debit(payout, in: db)
            try payout.machine.start()
            try payout.machine.succeed()
            payout.finishedAt = nowSeconds
        case .delayed:
            try await debit(payout, in: db)
            try payout.machine.start()
            payout.settleAt = nowSeconds + Int64(processingDelaySeconds)
        }
    }

    /// Moves amount + fee off the merchant's balance in one posting; 8888 when it does not cover them.
    func debit(_ payout: Payout, in db: any SQLExecutor) async throws {
        let account = AccountKey.merchant(payout.merchantID, payout.currency)
        var entries = [LedgerEntry(account, -payout.toPayMinor), LedgerEntry(.external(payout.currency), payout.amountMinor)]
        if payout.feeMinor > 0 {
            try await ledger.openAccount(.fees(payout.currency), in: db)
            entries.append(LedgerEntry(.fees(payout.currency), payout.feeMinor))
        }
        do {
            try await ledger.post(Posting(id: "payout:\(payout.id.rawValue)", kind: "payout", reference: String(payout.id.rawValue), entries: entries), in: db)
        } catch LedgerError.insufficientFunds {
            throw PayoutRefusal(PayoutRefusal.insufficientBalance, PayoutTestCards.description(of: PayoutRefusal.insufficientBalance))
        }
    }

    /// Gives a failed payout's amount and fee back to the merchant.
    func refund(_ payout: Payout, in db: any SQLExecutor) async throws {
        let account = AccountKey.merchant(payout.merchantID, payout.currency)
        var entries = [LedgerEntry(account, payout.toPayMinor), LedgerEntry(.external(payout.currency), -payout.amountMinor)]
        if payout.feeMinor > 0 { entries.append(LedgerEntry(.fees(payout.currency), -payout.feeMinor)) }
        try await ledger.post(Posting(id: "payout:\(payout.id.rawValue):return", kind: "payout.return", reference: String(payout.id.rawValue), entries: entries), in: db)
    }

    /// Finishes the payouts whose processing delay has passed (the "process, then ..." test cards); returns how many.
    public func sweep(now: Date, limit: Int, in db: any SQLExecutor) async throws -> Int {
        let due = try await PayoutRepository().due(now: Int64(now.timeIntervalSince1970), limit: limit, in: db)
        for payout in due { try await settle(payout, now: now, in: db) }
        return due.count
    }

    func settle(_ original: Payout, now: Date, in db: any SQLExecutor) async throws {
        var payout = original
        guard case .delayed(let code) = payout.plan, payout.machine.state == .process else { return }
        if let code {
            try payout.machine.fail(code: code)
            payout.errorDescription = PayoutTestCards.description(of: code)
            try await refund(payout, in: db)
        } else {
            try payout.machine.succeed()
        }
        payout.finishedAt = Int64(now.timeIntervalSince1970)
        payout.balanceAfterMinor = try await ledger.balance(of: .merchant(payout.merchantID, payout.currency), in: db).availableMinor
        try await PayoutRepository().update(payout, in: db)
        try await notify(payout, now: now, in: db)
    }

    /// The payout notify (§3.24) as signed XML in `pg_xml`, signed with the payout secret at each attempt.
    func notify(_ payout: Payout, now: Date, in db: any SQLExecutor) async throws {
        try await OutboxRepository().enqueue(NewCallback(
            merchantID: payout.merchantID, secret: .payout, kind: .payout, subjectID: String(payout.id.rawValue), url: payout.postLink,
            method: .xml, parameters: PayoutFields.notify(payout), canReject: nil),
            policy: retryPolicy, nowMs: Int64(now.timeIntervalSince1970 * 1000), in: db)
    }

    /// The merchant's available payout balance in minor units.
    public func balance(merchant: MerchantID, currency: Currency, in db: any SQLExecutor) async throws -> Int64 {
        let account = AccountKey.merchant(merchant, currency)
        try await ledger.openAccount(account, in: db)
        return try await ledger.balance(of: account, in: db).availableMinor
    }

    /// Sandbox: credits the merchant's balance from the outside world; returns the new balance.
    public func fund(merchant: MerchantID, amountMinor: Int64, currency: Currency, in db: any SQLExecutor) async throws -> Int64 {
        let account = AccountKey.merchant(merchant, currency)
        try await ledger.openAccount(account, in: db)
        try await ledger.post(.transfer(
            id: "sandbox.fund:" + RandomToken.uuid(), kind: "sandbox.fund", reference: String(merchant.rawValue), amountMinor: amountMinor,
            from: .external(currency), to: account), in: db)
        return try await ledger.balance(of: account, in: db).availableMinor
    }
}

/// The payout fields shared by the reg2reg answer, the status answers and the payout notify.
public enum PayoutFields {
    public static func date(_ seconds: Int64?) -> String {
        seconds.map { WireDate.rfc3339(Date(timeIntervalSince1970: TimeInterval($0)), timeZone: TimeZone(identifier: "UTC")!) } ?? ""
    }

    public static func notify(_ payout: Payout) -> [PGParameter] {
        var fields = [
            PGParameter("pg_payment_id", String(payout.id.rawValue)),
            PGParameter("pg_order_id", payout.orderID),
            PGParameter("pg_card_hash", payout.cardMask ?? ""),
            PGParameter("pg_status", payout.machine.state == .ok ? "ok" : "error"),
            PGParameter("pg_balance", PGAmount.render(payout.balanceAfterMinor ?? 0)),
            PGParameter("pg_payment_amount", PGAmount.render(payout.amountMinor)),
            PGParameter("pg_to_pay", PGAmount.render(payout.toPayMinor)),
            PGParameter("pg_merchant_id", String(payout.merchantID.rawValue)),
            PGParameter("pg_payment_date", date(payout.finishedAt ?? payout.createdAt)),
        ]
        if let code = payout.machine.errorCode {
            fields.append(PGParameter("pg_error_code", String(code)))
            fields.append(PGParameter("pg_error_description", payout.errorDescription ?? ""))
        }
        return fields
    }
}

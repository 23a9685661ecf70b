import Foundation
import FreedomPayWire

/// Purchase operations over one open store transaction: the state change, its operation record, the
/// Result notify in the outbox and the ledger postings all commit together or not at all.
public struct PurchaseService: Sendable {
    public let repository = PurchaseRepository()
    public let outbox = OutboxRepository()
    public let retryPolicy: CallbackRetryPolicy
    public let ledger: PurchaseLedger

    public init(retryPolicy: CallbackRetryPolicy, ledger: PurchaseLedger = PurchaseLedger()) {
        self.retryPolicy = retryPolicy
        self.ledger = ledger
    }

    /// Loads a merchant's payment and applies what time alone changes (lifetime expiry, auto-clearing).
    public func load(_ id: PaymentID, merchant: MerchantID, now: Date, in db: any SQLExecutor) async throws -> PurchasePayment? {
        guard var payment = try await repository.payment(id: id, merchant: merchant, in: db) else { return nil }
        try await applyTimeRules(&payment, now: now, in: db)
        return payment
    }

    /// Applies the time rules to up to `limit` due payments (expiry, auto-clearing); returns how many changed.
    /// Lets a payment nobody looks at still expire (with its Result notify) and be cleared after 5 days.
    public func sweep(now: Date, limit: Int, in db: any SQLExecutor) async throws -> Int {
        var changed = 0
        for var payment in try await repository.dueForTimeRules(now: Int64(now.timeIntervalSince1970), limit: limit, in: db) {
            let before = payment.status
            try await applyTimeRules(&payment, now: now, in: db)
            if payment.status != before { changed += 1 }
        }
        return changed
    }

    /// Expires unpaid payments past `pg_lifetime`; clears held payments older than 5 days (when the card allows).
    public func applyTimeRules(_ payment: inout PurchasePayment, now: Date, in db: any SQLExecutor) async throws {
        let seconds = Int64(now.timeIntervalSince1970)
        if (payment.status == .created || payment.status == .pending), seconds >= payment.expiresAt {
            try payment.machine.expire()
            payment.failureCode = PGErrorCode.lifetimeExpired.rawValue
            payment.failureDescription = "Payment lifetime expired"
            try await repository.update(payment, in: db)
            try await enqueueResult(payment, now: now, in: db)
        } else if payment.status == .authorized, let authorizedAt = payment.authorizedAt,
                  seconds >= authorizedAt + PaymentMachine.autoClearingDelaySeconds, payment.card?.profile.canClear ?? true {
            _ = try await capture(&payment, amountMinor: nil, now: now, in: db)
        }
    }

    /// Issuer approval (after card entry or 3-D Secure): one-step payments are cleared at once.
    public func authorize(_ payment: inout PurchasePayment, now: Date, in db: any SQLExecutor) async throws {
        let cleared = try payment.machine.authorize(autoClearing: payment.autoClearing)
        let seconds = Int64(now.timeIntervalSince1970)
        payment.authorizedAt = seconds
        payment.paymentAt = seconds
        payment.authCode = RandomToken.digits(6)
        payment.reference = RandomToken.digits(12)
        try await startRecurringProfile(&payment, now: now, in: db)
        try await repository.update(payment, in: db)
        if cleared > 0 { try await ledger.credit(payment, amountMinor: cleared, postingID: "purchase:\(payment.id.rawValue):clearing", in: db) }
        try await enqueueResult(payment, now: now, in: db)
    }

    /// Issuer, 3-D Secure or check-request refusal.
    public func decline(_ payment: inout PurchasePayment, code: PGErrorCode, description: String, now: Date, in db: any SQLExecutor) async throws {
        try payment.fail(code, description, at: Int64(now.timeIntervalSince1970))
        try await repository.update(payment, in: db)
        try await enqueueResult(payment, now: now, in: db)
    }

    /// `do_capture.php`. Returns the clearing operation.
    public func capture(_ payment: inout PurchasePayment, amountMinor: Int64?, now: Date, in db: any SQLExecutor) async throws -> PurchaseOperation {
        if payment.status == .authorized, payment.card?.profile.canClear == false {
            throw PurchaseRuleViolation(.contactIssuer, "Clearing declined by the issuer for this card")
        }
        let cleared = try payment.machine.capture(amountMinor: amountMinor)
        try await repository.update(payment, in: db)
        try await ledger.credit(payment, amountMinor: cleared, postingID: "purchase:\(payment.id.rawValue):clearing", in: db)
        return try await record(.clearing, of: payment, amountMinor: cleared, now: now, in: db)
    }

    /// `cancel.php`. Returns the cancel operation.
    public func cancel(_ payment: inout PurchasePayment, now: Date, in db: any SQLExecutor) async throws -> PurchaseOperation {
        if payment.status == .authorized, payment.card?.profile.canCancel == false {
            throw PurchaseRuleViolation(.unableToCancel, "Unable to cancel the transaction for this card")
        }
        try payment.machine.cancel()
        try await repository.update(payment, in: db)
        return try await record(.cancel, of: payment, amountMinor: payment.amountMinor, now: now, in: db)
    }

    /// `revoke.php`. Returns the refund operation.
    public func refund(_ payment: inout PurchasePayment, amountMinor: Int64?, now: Date, in db: any SQLExecutor) async throws -> PurchaseOperation {
        if payment.status == .captured, payment.card?.profile.canRefund == false {
            throw PurchaseRuleViolation(.contactIssuer, "Refund declined by the issuer for this card")
        }
        let refunded = try payment.machine.refund(amountMinor: amountMinor)
        try await repository.update(payment, in: db)
        try await ledger.debit(
            payment, amountMinor: refunded, kind: "purchase.refund",
            postingID: "purchase:\(payment.id.rawValue):refund:\(payment.machine.refundedMinor)", in: db)
        return try await record(.refund, of: payment, amountMinor: refunded, now: now, in: db)
    }

    /// The merchant rejected the Result notify while `pg_can_reject=1`: the payment is reversed.
    public func reverseAfterRejection(_ id: PaymentID, merchant: MerchantID, now: Date, in db: any SQLExecutor) async throws {
        guard var payment = try await repository.payment(id: id, merchant: merchant, in: db),
              payment.status == .authorized || payment.status == .captured else { return }
        let returned = try payment.machine.reverse()
        try await repository.update(payment, in: db)
        if returned > 0 {
            try await ledger.debit(payment, amountMinor: returned, kind: "purchase.reversal", postingID: "purchase:\(payment.id.rawValue):reversal", in: db)
        }
        _ = try await record(.reversal, of: payment, amountMinor: payment.amountMinor, now: now, in: db)
    }

    private func record(_ kind: PurchaseOperationKind, of payment: PurchasePayment, amountMinor: Int64, now: Date,
                        in db: any SQLExecutor) async throws -> PurchaseOperation {
        let operation = PurchaseOperation(
            id: try await repository.newID(in: db), paymentID: payment.id, kind: kind, amountMinor: amountMinor,
            createdAt: Int64(now.timeIntervalSince1970))
        try await repository.addOperation(operation, merchant: payment.merchantID, in: db)
        return operation
    }

    /// Writes the Result notify (§3.21) for a payment that reached a final state, if it has a Result URL.
    func enqueueResult(_ payment: PurchasePayment, now: Date, in db: any SQLExecutor) async throws {
        guard let url = payment.option("pg_result_url"), !url.isEmpty else { return }
        let success = payment.status == .authorized || payment.status == .captured
        let callback = NewCallback(
            merchantID: payment.merchantID, secret: .payment, kind: .result, subjectID: String(payment.id.rawValue), url: url,
            method: payment.requestMethod, parameters: PurchaseCallbacks.resultParameters(payment),
            canReject: success)
        try await outbox.enqueue(callback, policy: retryPolicy, nowMs: Int64(now.timeIntervalSince1970 * 1000), in: db)
    }
}

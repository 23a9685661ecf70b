import FreedomPayWire

/// A rule of the Merchant API a payment operation broke, with the documented error code (merchant-api.md §5).
public struct PurchaseRuleViolation: Error, Equatable, Sendable {
    public let code: PGErrorCode
    public let message: String

    public init(_ code: PGErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// The payment-page purchase as a pure state machine (merchant-api.md §4.1). Amounts are minor units.
///
/// created --submitCard--> pending --authorize--> authorized (two-step) | captured (one-step)
/// pending --decline--> failed;  created|pending --expire--> incomplete
/// authorized --capture(full|partial)--> captured;  authorized --cancel--> cancelled
/// captured --refund(partial)--> captured;  captured --refund(rest)--> refunded
/// authorized|captured --reverse (merchant rejected the Result notify)--> cancelled
public struct PaymentMachine: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case created, pending, authorized, captured, failed, cancelled, refunded, incomplete

        /// `pg_payment_status` on the wire; a full refund reads `revoked` (§4.1 [inferred]).
        public var wire: PGPaymentStatus {
            switch self {
            case .created: return .new
            case .pending: return .process
            case .authorized, .captured: return .success
            case .failed: return .error
            case .cancelled, .refunded: return .revoked
            case .incomplete: return .incomplete
            }
        }
    }

    public private(set) var status: Status
    public let amountMinor: Int64
    public private(set) var clearedMinor: Int64
    public private(set) var refundedMinor: Int64

    public init(status: Status = .created, amountMinor: Int64, clearedMinor: Int64 = 0, refundedMinor: Int64 = 0) {
        self.status = status
        self.amountMinor = amountMinor
        self.clearedMinor = clearedMinor
        self.refundedMinor = refundedMinor
    }

    /// The buyer submitted card data on the payment page.
    public mutating func submitCard() throws(PurchaseRuleViolation) {
        switch status {
        case .created: status = .pending
        case .incomplete: throw PurchaseRuleViolation(.lifetimeExpired, "Payment lifetime expired, create a new payment")
        default: throw PurchaseRuleViolation(.repeatedOperation, "The payment has already been submitted")
        }
    }

    /// The issuer approved. Returns the newly cleared amount (the whole amount for one-step payments, else 0).
    public mutating func authorize(autoClearing: Bool) throws(PurchaseRuleViolation) -> Int64 {
        guard status == .pending else { throw PurchaseRuleViolation(.repeatedOperation, "The payment is not awaiting authorisation") }
        if autoClearing {
            status = .captured
            clearedMinor = amountMinor
            return amountMinor
        }
        status = .authorized
        return 0
    }

    /// The issuer, 3-D Secure or the merchant's check request refused.
    public mutating func decline() throws(PurchaseRuleViolation) {
        guard status == .pending else { throw PurchaseRuleViolation(.repeatedOperation, "The payment is not awaiting authorisation") }
        status = .failed
    }

    /// `pg_lifetime` passed without a payment.
    public mutating func expire() throws(PurchaseRuleViolation) {
        guard status == .created || status == .pending else {
            throw PurchaseRuleViolation(.repeatedOperation, "Only unpaid payments expire")
        }
        status = .incomplete
    }

    /// `do_capture.php`: clears a held payment fully (nil) or partly. Returns the cleared amount.
    public mutating func capture(amountMinor requested: Int64?) throws(PurchaseRuleViolation) -> Int64 {
        switch status {
        case .authorized: break
        case .captured, .refunded: throw PurchaseRuleViolation(.clearingAlreadyDone, "Clearing has already been done for this payment")
        case .cancelled: throw PurchaseRuleViolation(.clearingOfFailedPayment, "The payment was cancelled and cannot be cleared")
        case .created, .pending, .failed, .incomplete:
            throw PurchaseRuleViolation(.clearingOfFailedPayment, "Unsuccessful payments cannot be cleared")
        }
        let amount = requested ?? amountMinor
        guard amount > 0, amount <= amountMinor else {
            throw PurchaseRuleViolation(.invalidParameter, "pg_clearing_amount must be between 0.01 and the payment amount \(PGAmount.render(amountMinor))")
        }
        status = .captured
        clearedMinor = amount
        return amount
    }

    /// `cancel.php`: releases a held (not yet cleared) payment.
    public mutating func cancel() throws(PurchaseRuleViolation) {
        switch status {
        case .authorized: status = .cancelled
        case .cancelled: throw PurchaseRuleViolation(.alreadyCancelled, "The payment has already been cancelled")
        case .captured, .refunded:
            throw PurchaseRuleViolation(.unableToCancel, "Unable to cancel: the payment is already cleared, use revoke.php to refund it")
        case .created, .pending, .failed, .incomplete:
            throw PurchaseRuleViolation(.cancelOfFailedPayment, "Unsuccessful payments cannot be cancelled")
        }
    }

    /// `revoke.php`: refunds part (or, with nil, all) of what remains of the cleared amount. Returns the refunded amount.
    public mutating func refund(amountMinor requested: Int64?) throws(PurchaseRuleViolation) -> Int64 {
        switch status {
        case .captured: break
        case .authorized: throw PurchaseRuleViolation(.clearingRequired, "Refund error: clearing is required first (or cancel the held payment)")
        case .refunded: throw PurchaseRuleViolation(.alreadyRefunded, "The payment has already been refunded in full")
        case .cancelled: throw PurchaseRuleViolation(.alreadyCancelled, "The payment has been cancelled")
        case .created, .pending, .failed, .incomplete:
            throw PurchaseRuleViolation(.refundNotAllowed, "The payment status does not allow a refund")
        }
        let remaining = clearedMinor - refundedMinor
        let amount = requested ?? remaining
        guard amount > 0 else { throw PurchaseRuleViolation(.invalidParameter, "pg_refund_amount must be at least 0.01") }
        guard amount <= remaining else {
            throw PurchaseRuleViolation(.refundExceedsPayment, "Refund amount exceeds the payment: at most \(PGAmount.render(remaining)) can be refunded")
        }
        refundedMinor += amount
        if refundedMinor == clearedMinor { status = .refunded }
        return amount
    }

    /// The merchant rejected the Result notify while it could: the payment is reversed.
    /// Returns the cleared amount that goes back to the buyer.
    public mutating func reverse() throws(PurchaseRuleViolation) -> Int64 {
        guard status == .authorized || status == .captured else {
            throw PurchaseRuleViolation(.unableToCancel, "Only successful payments can be reversed")
        }
        let returned = clearedMinor - refundedMinor
        status = .cancelled
        return returned
    }

    /// The held payment is cleared automatically when neither clearing nor cancel came within 5 days (§3.3).
    public static let autoClearingDelaySeconds: Int64 = 5 * 24 * 3600
}

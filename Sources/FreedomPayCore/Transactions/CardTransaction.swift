import Foundation

/// A debit (authorisation hold, then clearing) or credit (funding) on a payment card.
public struct CardTransaction: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable { case debit, credit }

    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Debit authorised: the amount is held, not yet cleared.
        case created
        /// Cleared (fully or partially; the rest of the hold released). Credits are cleared at once.
        case cleared
        case partiallyRefunded = "partially_refunded"
        case refunded
        /// Hold released without clearing.
        case canceled
    }

    public let id: String
    public let partnerID: PartnerID
    public let orderID: String
    public let cardID: String
    public let kind: Kind
    public let currency: Currency
    public let amountMinor: Int64
    public var clearedMinor: Int64
    public var refundedMinor: Int64
    public var status: Status
    public let finDocumentID: String
    public let description: String?
    public let createdAt: Date
    /// Set when the caller's currency differed from the card's: what was asked and the rate that converted it.
    public var conversion: Conversion?

    /// A currency conversion at the partner's rate in force (Partner API rates).
    public struct Conversion: Sendable, Equatable {
        public let original: String
        public let originalCurrency: String
        public let rate: String

        public init(original: String, originalCurrency: String, rate: String) {
            self.original = original
            self.originalCurrency = originalCurrency
            self.rate = rate
        }
    }

    public init(
        id: String, partnerID: PartnerID, orderID: String, cardID: String, kind: Kind, currency: Currency, amountMinor: Int64,
        clearedMinor: Int64, refundedMinor: Int64, status: Status, finDocumentID: String, description: String?, createdAt: Date
    ) {
        self.id = id
        self.partnerID = partnerID
        self.orderID = orderID
        self.cardID = cardID
        self.kind = kind
        self.currency = currency
        self.amountMinor = amountMinor
        self.clearedMinor = clearedMinor
        self.refundedMinor = refundedMinor
        self.status = status
        self.finDocumentID = finDocumentID
        self.description = description
        self.createdAt = createdAt
        self.conversion = nil
    }

    /// The ledger hold of a debit.
    public var holdID: String { "hold-\(id)" }
}

/// Why a transaction step is refused (pure rule failures).
public enum TransactionRuleError: Error, Equatable, Sendable {
    case notClearable(CardTransaction.Status)
    case notRefundable(CardTransaction.Status)
    case notCancelable(CardTransaction.Status)
    case amountExceeds(allowedMinor: Int64, requestedMinor: Int64)
    case nonPositiveAmount
}

/// The transaction state machine (card-api.md §4.4) as a value type: each event checks the state and the
/// amounts and returns the new state plus the money to move; it never touches storage.
public enum TransactionMachine {
    /// Clearing `amount` (nil = the whole authorised amount) of a created debit; the rest is released.
    public static func clear(_ transaction: inout CardTransaction, amountMinor: Int64?) throws(TransactionRuleError) -> Int64 {
        guard transaction.kind == .debit, transaction.status == .created else { throw .notClearable(transaction.status) }
        let amount = amountMinor ?? transaction.amountMinor
        guard amount > 0 else { throw .nonPositiveAmount }
        guard amount <= transaction.amountMinor else { throw .amountExceeds(allowedMinor: transaction.amountMinor, requestedMinor: amount) }
        transaction.clearedMinor = amount
        transaction.status = .cleared
        return amount
    }

    /// Refunding `amount` (nil = everything cleared and not yet refunded); never above that remainder.
    public static func refund(_ transaction: inout CardTransaction, amountMinor: Int64?) throws(TransactionRuleError) -> Int64 {
        guard transaction.kind == .debit, [.cleared, .partiallyRefunded].contains(transaction.status) else {
            throw .notRefundable(transaction.status)
        }
        let remaining = transaction.clearedMinor - transaction.refundedMinor
        let amount = amountMinor ?? remaining
        guard amount > 0 else { throw .nonPositiveAmount }
        guard amount <= remaining else { throw .amountExceeds(allowedMinor: remaining, requestedMinor: amount) }
        transaction.refundedMinor += amount
        transaction.status = transaction.refundedMinor == transaction.clearedMinor ? .refunded : .partiallyRefunded
        return amount
    }

    /// Releasing the hold of a debit that was never cleared.
    public static func cancel(_ transaction: inout CardTransaction) throws(TransactionRuleError) {
        guard transaction.kind == .debit, transaction.status == .created else { throw .notCancelable(transaction.status) }
        transaction.status = .canceled
    }
}

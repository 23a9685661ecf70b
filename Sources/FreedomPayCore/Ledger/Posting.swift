/// One line of a posting: `amountMinor` added to (positive) or taken from (negative) an account.
public struct LedgerEntry: Sendable, Equatable {
    public let account: AccountKey
    public let amountMinor: Int64

    public init(_ account: AccountKey, _ amountMinor: Int64) {
        self.account = account
        self.amountMinor = amountMinor
    }
}

/// A balanced set of entries: for every currency the amounts sum to zero. Construction refuses anything else,
/// so an unbalanced posting cannot exist in memory, let alone be written.
public struct Posting: Sendable, Equatable {
    public let id: String
    /// What moved the money (`card.debit`, `purchase.capture`, `payout`, ...), shown in statements.
    public let kind: String
    /// The business object behind it (transaction id, payment id), for statements and audits.
    public let reference: String?
    public let entries: [LedgerEntry]

    public init(id: String, kind: String, reference: String? = nil, entries: [LedgerEntry]) throws(LedgerError) {
        try Self.validate(entries)
        self.id = id
        self.kind = kind
        self.reference = reference
        self.entries = entries
    }

    /// The common two-legged transfer of `amountMinor` from one account to another (same currency).
    public static func transfer(
        id: String, kind: String, reference: String? = nil, amountMinor: Int64, from source: AccountKey, to destination: AccountKey
    ) throws(LedgerError) -> Posting {
        try Posting(id: id, kind: kind, reference: reference, entries: [LedgerEntry(source, -amountMinor), LedgerEntry(destination, amountMinor)])
    }

    static func validate(_ entries: [LedgerEntry]) throws(LedgerError) {
        guard entries.count >= 2, entries.count <= 64 else { throw .malformed("a posting has 2 to 64 entries, got \(entries.count)") }
        var sums: [Currency: Int64] = [:]
        for entry in entries {
            guard entry.amountMinor != 0 else { throw .malformed("entry on \(entry.account) has a zero amount") }
            let (sum, overflow) = sums[entry.account.currency, default: 0].addingReportingOverflow(entry.amountMinor)
            guard !overflow else { throw .malformed("amounts overflow") }
            sums[entry.account.currency] = sum
        }
        for (currency, sum) in sums where sum != 0 {
            throw .unbalanced(currency: currency.code, differenceMinor: sum)
        }
    }

    /// The accounts this posting touches, in the fixed order locks are taken in (by storage key).
    public var accountsInLockOrder: [AccountKey] {
        Array(Set(entries.map(\.account))).sorted { $0.storageKey < $1.storageKey }
    }

    /// Net change per account.
    public var netByAccount: [AccountKey: Int64] {
        entries.reduce(into: [:]) { $0[$1.account, default: 0] += $1.amountMinor }
    }
}

public enum LedgerError: Error, Equatable, Sendable {
    case malformed(String)
    case unbalanced(currency: String, differenceMinor: Int64)
    case insufficientFunds(account: String, availableMinor: Int64, requestedMinor: Int64)
    case unknownAccount(String)
    case holdNotFound(String)
    case holdNotActive(String, status: String)
    case captureExceedsHold(holdMinor: Int64, requestedMinor: Int64)
    case duplicatePosting(String)
}

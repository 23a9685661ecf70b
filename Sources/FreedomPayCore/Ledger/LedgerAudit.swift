/// A broken ledger invariant, as found by `LedgerAudit`.
public enum LedgerViolation: Sendable, Equatable, CustomStringConvertible {
    case unbalancedPosting(id: String, currency: String, differenceMinor: Int64)
    case postedMismatch(account: String, storedMinor: Int64, entriesMinor: Int64)
    case heldMismatch(account: String, storedMinor: Int64, holdsMinor: Int64)
    case overdrawn(account: String, availableMinor: Int64, limitMinor: Int64)
    /// An entry naming a posting or an account that does not exist (entries carry no foreign keys).
    case orphanEntry(id: Int64, postingID: String, accountID: Int64)

    public var description: String {
        switch self {
        case .unbalancedPosting(let id, let currency, let difference): return "posting \(id) is off by \(difference) \(currency)"
        case .postedMismatch(let account, let stored, let entries): return "\(account): posted \(stored) but entries sum to \(entries)"
        case .heldMismatch(let account, let stored, let holds): return "\(account): held \(stored) but active holds sum to \(holds)"
        case .overdrawn(let account, let available, let limit): return "\(account): available \(available) below -\(limit)"
        case .orphanEntry(let id, let posting, let account):
            return "entry \(id) names posting \(posting) and account #\(account), one of which does not exist"
        }
    }
}

/// Re-checks, from the stored rows, what the ledger asserts on write: every entry belongs to an existing
/// posting and account, every posting sums to zero per currency, every account's totals equal its entries
/// and holds, and no account passed its limit.
public struct LedgerAudit: Sendable {
    public init() {}

    public func violations(in db: any SQLExecutor) async throws -> [LedgerViolation] {
        var found: [LedgerViolation] = []
        for row in try await db.query(
            """
            SELECT e.id, e.posting_id, e.account_id FROM ledger_entries e
            WHERE NOT EXISTS (SELECT 1 FROM ledger_postings p WHERE p.id = e.posting_id)
               OR NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.id = e.account_id)
            ORDER BY e.id
            """, []) {
            found.append(.orphanEntry(id: try row.int("id"), postingID: try row.text("posting_id"), accountID: try row.int("account_id")))
        }
        // Currency comes from the entry's account, so an entry without one is reported above only.
        for row in try await db.query(
            """
            SELECT e.posting_id, a.currency, SUM(e.amount_minor) AS total
            FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
            GROUP BY e.posting_id, a.currency HAVING SUM(e.amount_minor) <> 0
            """, []) {
            found.append(.unbalancedPosting(id: try row.text("posting_id"), currency: try row.text("currency"), differenceMinor: try row.int("total")))
        }
        for row in try await db.query(
            """
            SELECT a.account_key, a.posted_minor, a.held_minor, a.overdraft_limit_minor,
                   COALESCE((SELECT SUM(e.amount_minor) FROM ledger_entries e WHERE e.account_id = a.id), 0) AS entries_total,
                   COALESCE((SELECT SUM(h.amount_minor) FROM ledger_holds h WHERE h.account_key = a.account_key AND h.status = 'active'), 0) AS holds_total
            FROM ledger_accounts a
            """, []) {
            let key = try row.text("account_key")
            let posted = try row.int("posted_minor"), held = try row.int("held_minor")
            let entries = try row.int("entries_total"), holds = try row.int("holds_total")
            if posted != entries { found.append(.postedMismatch(account: key, storedMinor: posted, entriesMinor: entries)) }
            if held != holds { found.append(.heldMismatch(account: key, storedMinor: held, holdsMinor: holds)) }
            if let limit = row.optionalInt("overdraft_limit_minor"), posted - held < -limit {
                found.append(.overdrawn(account: key, availableMinor: posted - held, limitMinor: limit))
            }
        }
        return found
    }
}

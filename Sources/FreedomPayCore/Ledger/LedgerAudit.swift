/// A broken ledger invariant, as found by `LedgerAudit`.
public enum LedgerViolation: Sendable, Equatable, CustomStringConvertible {
    case unbalancedPosting(id: String, currency: String, differenceMinor: Int64)
    case postedMismatch(account: String, storedMinor: Int64, entriesMinor: Int64)
    case heldMismatch(account: String, storedMinor: Int64, holdsMinor: Int64)
    case overdrawn(account: String, availableMinor: Int64, limitMinor: Int64)
    /// A journal entry naming an account that does not exist (the journal carries no foreign keys).
    case orphanEntry(seq: Int64, postingID: String, accountID: Int64)
    /// A journal row whose entries cannot be read.
    case malformedPosting(seq: Int64, postingID: String)
    /// An account's debit or credit turnover disagreeing with its journal entries.
    case turnoverMismatch(account: String, storedDebitedMinor: Int64, storedCreditedMinor: Int64, entriesDebitedMinor: Int64, entriesCreditedMinor: Int64)
    /// The per-account history index listing an account a different number of times than the indexed
    /// part of the journal names it.
    case historyMismatch(account: String, listed: Int64, journal: Int64)

    public var description: String {
        switch self {
        case .unbalancedPosting(let id, let currency, let difference): return "posting \(id) is off by \(difference) \(currency)"
        case .postedMismatch(let account, let stored, let entries): return "\(account): posted \(stored) but entries sum to \(entries)"
        case .heldMismatch(let account, let stored, let holds): return "\(account): held \(stored) but active holds sum to \(holds)"
        case .overdrawn(let account, let available, let limit): return "\(account): available \(available) below -\(limit)"
        case .orphanEntry(let seq, let posting, let account):
            return "posting \(posting) (journal position \(seq)) names account #\(account), which does not exist"
        case .malformedPosting(let seq, let posting): return "posting \(posting) (journal position \(seq)) has unreadable entries"
        case .turnoverMismatch(let account, let debited, let credited, let entriesDebited, let entriesCredited):
            return "\(account): turnover \(debited) out / \(credited) in but entries move \(entriesDebited) out / \(entriesCredited) in"
        case .historyMismatch(let account, let listed, let journal):
            return "\(account): history index lists \(listed) entries, the indexed journal has \(journal)"
        }
    }
}

/// Re-checks, from the stored rows, what the ledger asserts on write: every journal entry names an existing
/// account, every posting sums to zero per currency, every account's totals equal its entries and holds,
/// no account passed its limit, and the history index agrees with the journal it was built from.
/// Reads the whole journal (in pages), so it is for audits and tests, not for a request path.
public struct LedgerAudit: Sendable {
    public init() {}

    /// Journal rows per query.
    static let page = 10_000

    public func violations(in db: any SQLExecutor) async throws -> [LedgerViolation] {
        let accounts = try await AuditedAccounts.load(in: db)
        var totals = AuditedTotals(count: accounts.rows.count)
        var found = try await scanJournal(accounts, &totals, in: db)
        found += try await compareHistory(accounts, totals, in: db)
        for (slot, account) in accounts.rows.enumerated() {
            if account.posted != totals.posted[slot] {
                found.append(.postedMismatch(account: account.key, storedMinor: account.posted, entriesMinor: totals.posted[slot]))
            }
            if account.debited != totals.debited[slot] || account.credited != totals.credited[slot] {
                found.append(.turnoverMismatch(
                    account: account.key, storedDebitedMinor: account.debited, storedCreditedMinor: account.credited,
                    entriesDebitedMinor: totals.debited[slot], entriesCreditedMinor: totals.credited[slot]))
            }
            if account.held != account.holds { found.append(.heldMismatch(account: account.key, storedMinor: account.held, holdsMinor: account.holds)) }
            if let limit = account.limit, account.posted - account.held < -limit {
                found.append(.overdrawn(account: account.key, availableMinor: account.posted - account.held, limitMinor: limit))
            }
        }
        return found
    }

    private func scanJournal(_ accounts: AuditedAccounts, _ totals: inout AuditedTotals, in db: any SQLExecutor) async throws -> [LedgerViolation] {
        var found: [LedgerViolation] = []
        var after: Int64 = 0
        while true {
            let rows = try await db.query(
                "SELECT seq, id, entries FROM ledger_journal WHERE seq > ? ORDER BY seq LIMIT \(Self.page)", [.integer(after)])
            for row in rows {
                let seq = try row.int("seq"), id = try row.text("id")
                guard let entries = try? JournalText.entries(try row.text("entries")), entries.count >= 2 else {
                    found.append(.malformedPosting(seq: seq, postingID: id))
                    continue
                }
                var sums: [String: Int64] = [:]
                for entry in entries {
                    guard let slot = accounts.slot[entry.accountID] else {
                        found.append(.orphanEntry(seq: seq, postingID: id, accountID: entry.accountID))
                        continue
                    }
                    totals.add(entry.amountMinor, to: slot, indexed: seq <= accounts.indexedSeq)
                    sums[accounts.rows[slot].currency, default: 0] += entry.amountMinor
                }
                for (currency, sum) in sums.sorted(by: { $0.key < $1.key }) where sum != 0 {
                    found.append(.unbalancedPosting(id: id, currency: currency, differenceMinor: sum))
                }
            }
            guard rows.count == Self.page, let last = rows.last else { return found }
            after = try last.int("seq")
        }
    }

    /// Every indexed journal entry is listed once in its account's history, and nothing else is.
    private func compareHistory(_ accounts: AuditedAccounts, _ totals: AuditedTotals, in db: any SQLExecutor) async throws -> [LedgerViolation] {
        var listed = [Int64](repeating: 0, count: accounts.rows.count)
        var found: [LedgerViolation] = []
        for row in try await db.query("SELECT account_id, items FROM ledger_account_history", []) {
            let accountID = try row.int("account_id")
            let items = (try? JournalText.items(try row.text("items"))) ?? []
            guard let slot = accounts.slot[accountID] else {
                found.append(.historyMismatch(account: "#\(accountID)", listed: Int64(items.count), journal: 0))
                continue
            }
            listed[slot] += Int64(items.filter { $0.seq <= accounts.indexedSeq }.count)
        }
        for (slot, account) in accounts.rows.enumerated() where listed[slot] != totals.indexedEntries[slot] {
            found.append(.historyMismatch(account: account.key, listed: listed[slot], journal: totals.indexedEntries[slot]))
        }
        return found
    }
}

/// The accounts as stored, with their active holds summed, and how far the history index got.
private struct AuditedAccounts {
    struct Row {
        let key: String, currency: String
        let posted: Int64, held: Int64, debited: Int64, credited: Int64, holds: Int64
        let limit: Int64?
    }

    var rows: [Row] = []
    var slot: [Int64: Int] = [:]
    var indexedSeq: Int64 = 0

    static func load(in db: any SQLExecutor) async throws -> AuditedAccounts {
        var accounts = AuditedAccounts()
        for row in try await db.query(
            """
            SELECT a.id, a.account_key, a.currency, a.posted_minor, a.held_minor, a.debited_minor, a.credited_minor, a.overdraft_limit_minor,
                   COALESCE((SELECT SUM(h.amount_minor) FROM ledger_holds h WHERE h.account_key = a.account_key AND h.status = 'active'), 0) AS holds_total
            FROM ledger_accounts a ORDER BY a.id
            """, []) {
            accounts.slot[try row.int("id")] = accounts.rows.count
            accounts.rows.append(Row(
                key: try row.text("account_key"), currency: try row.text("currency"), posted: try row.int("posted_minor"),
                held: try row.int("held_minor"), debited: try row.int("debited_minor"), credited: try row.int("credited_minor"),
                holds: try row.int("holds_total"), limit: row.optionalInt("overdraft_limit_minor")))
        }
        accounts.indexedSeq = try await LedgerHistoryIndexer.progress(in: db)
        return accounts
    }
}

/// Per-account sums of the journal's entries.
private struct AuditedTotals {
    var posted: [Int64], debited: [Int64], credited: [Int64], indexedEntries: [Int64]

    init(count: Int) {
        posted = [Int64](repeating: 0, count: count)
        debited = posted
        credited = posted
        indexedEntries = posted
    }

    mutating func add(_ amount: Int64, to slot: Int, indexed: Bool) {
        posted[slot] += amount
        if amount < 0 { debited[slot] -= amount } else { credited[slot] += amount }
        if indexed { indexedEntries[slot] += 1 }
    }
}

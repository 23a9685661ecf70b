import Foundation
import Metrics

extension LedgerRepository {
    /// Rows per multi-row INSERT: few statements per batch, far below either engine's bind limit.
    static let rowsPerInsert = 200

    /// Writes many balanced postings in the caller's transaction with a handful of statements: every
    /// touched account is locked and read once (one query, in key order), the postings are checked one after
    /// another against running balances exactly as `post` would check them, their rows go in with multi-row
    /// INSERTs, and each account's total changes by one UPDATE. All or nothing: if any posting would pass
    /// an account's overdraft limit the whole batch is refused with `insufficientFunds` and nothing is written.
    public func post(_ postings: [Posting], in db: any SQLExecutor) async throws {
        guard !postings.isEmpty else { return }
        var keys: [AccountKey: String] = [:]
        for posting in postings {
            for entry in posting.entries where keys[entry.account] == nil { keys[entry.account] = entry.account.storageKey }
        }
        let unbounded = keys.filter { $0.key.defaultOverdraftLimitMinor == nil }
        if !unbounded.isEmpty { try await openAccounts(unbounded.keys.sorted { $0.storageKey < $1.storageKey }, in: db) }
        var balances = try await lockedBalances(keys, in: db)
        if let missing = keys.first(where: { balances[$0.key] == nil }) { throw LedgerError.unknownAccount(missing.value) }
        var net: [AccountKey: Int64] = [:]
        for posting in postings {
            for (account, change) in posting.netByAccount where change != 0 {
                guard let balance = balances[account] else { throw LedgerError.unknownAccount(account.storageKey) }
                if change < 0, !balance.canSpend(-change) {
                    throw LedgerError.insufficientFunds(account: balance.account.storageKey, availableMinor: balance.availableMinor, requestedMinor: -change)
                }
                balances[account] = AccountBalance(
                    account: account, postedMinor: balance.postedMinor + change, heldMinor: balance.heldMinor,
                    overdraftLimitMinor: balance.overdraftLimitMinor)
                net[account, default: 0] += change
            }
        }
        try await insertRows(postings, keys: keys, in: db)
        for (account, change) in net.sorted(by: { $0.key.storageKey < $1.key.storageKey }) where change != 0 {
            try await db.execute(
                "UPDATE ledger_accounts SET posted_minor = posted_minor + ? WHERE account_key = ?", [.integer(change), .text(keys[account]!)])
        }
        var byKind: [String: Int64] = [:]
        for posting in postings { byKind[posting.kind, default: 0] += 1 }
        for (kind, count) in byKind { Counter(label: "freedompay_ledger_postings_total", dimensions: [("kind", kind)]).increment(by: count) }
    }

    /// Opens (if missing) accounts that need no explicit opening, such as the outside world's.
    private func openAccounts(_ accounts: [AccountKey], in db: any SQLExecutor) async throws {
        for account in accounts { try await openAccount(account, in: db) }
    }

    /// The balances of `accounts`, row-locked in key order on engines with row locks (one query per chunk).
    private func lockedBalances(_ accounts: [AccountKey: String], in db: any SQLExecutor) async throws -> [AccountKey: AccountBalance] {
        let byKey = Dictionary(uniqueKeysWithValues: accounts.map { ($0.value, $0.key) })
        let sortedKeys = byKey.keys.sorted()
        var balances: [AccountKey: AccountBalance] = [:]
        var start = 0
        while start < sortedKeys.count {
            let chunk = sortedKeys[start..<min(start + Self.rowsPerInsert * 4, sortedKeys.count)]
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            let rows = try await db.query(
                "SELECT account_key, posted_minor, held_minor, overdraft_limit_minor FROM ledger_accounts WHERE account_key IN (\(placeholders)) "
                    + "ORDER BY account_key" + db.dialect.forUpdate,
                chunk.map { .text($0) })
            for row in rows {
                guard let account = byKey[try row.text("account_key")] else { continue }
                balances[account] = AccountBalance(
                    account: account, postedMinor: try row.int("posted_minor"), heldMinor: try row.int("held_minor"),
                    overdraftLimitMinor: row.optionalInt("overdraft_limit_minor"))
            }
            start += chunk.count
        }
        return balances
    }

    private func insertRows(_ postings: [Posting], keys: [AccountKey: String], in db: any SQLExecutor) async throws {
        let now = SQLValue.integer(timestamp())
        var ids = Set<String>()
        for posting in postings where !ids.insert(posting.id).inserted { throw LedgerError.duplicatePosting(posting.id) }
        do {
            try await insertChunked(
                "INSERT INTO ledger_postings (id, kind, reference, created_at) VALUES ", placeholders: "(?, ?, ?, ?)", postings, in: db
            ) { posting in [.text(posting.id), .text(posting.kind), SQLValue(posting.reference), now] }
        } catch StoreError.uniqueViolation {
            throw LedgerError.duplicatePosting(postings.count == 1 ? postings[0].id : "one of \(postings.count) postings")
        }
        let entries = postings.flatMap { posting in posting.entries.map { (posting.id, $0) } }
        try await insertChunked(
            "INSERT INTO ledger_entries (posting_id, account_key, currency, amount_minor, created_at) VALUES ", placeholders: "(?, ?, ?, ?, ?)",
            entries, in: db
        ) { id, entry in [.text(id), .text(keys[entry.account]!), .text(entry.account.currency.code), .integer(entry.amountMinor), now] }
    }

    private func insertChunked<Row>(
        _ prefix: String, placeholders: String, _ rows: [Row], in db: any SQLExecutor, binds: (Row) -> [SQLValue]
    ) async throws {
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + Self.rowsPerInsert, rows.count)]
            let sql = prefix + Array(repeating: placeholders, count: chunk.count).joined(separator: ", ")
            var values: [SQLValue] = []
            values.reserveCapacity(chunk.count * 5)
            for row in chunk { values.append(contentsOf: binds(row)) }
            try await db.execute(sql, values)
            start += chunk.count
        }
    }
}

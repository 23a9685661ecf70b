import Foundation
import Metrics

extension LedgerRepository {
    /// Rows per multi-row INSERT: few statements per batch, far below either engine's bind limit.
    static let rowsPerInsert = 200

    /// Writes many balanced postings in the caller's transaction with a handful of statements: every
    /// touched account is locked and read once (one query, in key order), the postings are checked one after
    /// another against running balances exactly as `post` would check them, each posting becomes one
    /// journal row (multi-row INSERTs), and each account's totals change by one UPDATE. All or nothing: if
    /// any posting would pass an account's overdraft limit the whole batch is refused with
    /// `insufficientFunds` and nothing is written. Per-account history is indexed later
    /// (`LedgerHistoryIndexer`); statements read the journal's unindexed tail meanwhile.
    ///
    /// Per posting the work is array indexing: each entry's account is resolved once to a slot of
    /// `TouchedAccounts`, and running balances live in arrays indexed by slot.
    public func post(_ postings: [Posting], in db: any SQLExecutor) async throws {
        try await post(try PostingBatch(postings), in: db)
    }

    /// `post(_ postings:)` with the pure preparation done beforehand, e.g. outside `store.write`, so that
    /// the store's single writer spends its time on the statements only.
    public func post(_ batch: PostingBatch, in db: any SQLExecutor) async throws {
        let postings = batch.postings, slots = batch.slots
        guard !postings.isEmpty else { return }
        var touched = batch.touched
        let unbounded = touched.accounts.filter { $0.defaultOverdraftLimitMinor == nil }
        if !unbounded.isEmpty { try await openAccounts(unbounded.sorted { $0.storageKey < $1.storageKey }, in: db) }
        try await LedgerHistoryIndexer.holdBackIndexing(in: db)
        try await lockAndRead(&touched, in: db)
        let changes = try touched.apply(postings, slots: slots)
        try await insertRows(postings, slots: slots, first: batch.first, ids: touched.ids, in: db)
        try await updateTotals(touched.lockOrder.filter { changes.debited[$0] != 0 || changes.credited[$0] != 0 }, changes, ids: touched.ids, in: db)
        countPostings(postings)
    }

    /// Adds each account's changes to its totals: one `UPDATE ... FROM (VALUES ...)` per chunk of accounts
    /// (both engines name the VALUES columns `column1`...), not one statement per account. The rows are
    /// already locked, in key order, by `lockAndRead`.
    private func updateTotals(_ slots: [Int], _ changes: TouchedAccounts.Changes, ids: [Int64], in db: any SQLExecutor) async throws {
        var start = 0
        while start < slots.count {
            let chunk = slots[start..<min(start + Self.rowsPerInsert, slots.count)]
            var values: [SQLValue] = []
            values.reserveCapacity(chunk.count * 4)
            for slot in chunk {
                values += [.integer(ids[slot]), .integer(changes.net[slot]), .integer(changes.debited[slot]), .integer(changes.credited[slot])]
            }
            try await db.execute(
                """
                UPDATE ledger_accounts SET posted_minor = posted_minor + v.column2, debited_minor = debited_minor + v.column3,
                    credited_minor = credited_minor + v.column4
                FROM (VALUES \(Array(repeating: "(?, ?, ?, ?)", count: chunk.count).joined(separator: ", "))) AS v
                WHERE ledger_accounts.id = v.column1
                """, values)
            start += chunk.count
        }
    }

    /// Opens (if missing) accounts that need no explicit opening, such as the outside world's.
    private func openAccounts(_ accounts: [AccountKey], in db: any SQLExecutor) async throws {
        for account in accounts { try await openAccount(account, in: db) }
    }

    /// Reads the ids and balances of the touched accounts, row-locked in key order on engines with row
    /// locks (one query per chunk). A missing account refuses the batch with `unknownAccount`.
    private func lockAndRead(_ touched: inout TouchedAccounts, in db: any SQLExecutor) async throws {
        let sortedSlots = touched.lockOrder
        var start = 0
        while start < sortedSlots.count {
            let chunk = sortedSlots[start..<min(start + Self.rowsPerInsert * 4, sortedSlots.count)]
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            let rows = try await db.query(
                "SELECT id, account_key, posted_minor, held_minor, overdraft_limit_minor FROM ledger_accounts WHERE account_key IN (\(placeholders)) "
                    + "ORDER BY account_key" + db.dialect.forUpdate,
                chunk.map { .text(touched.storageKeys[$0]) })
            for row in rows {
                guard let slot = touched.slot(storageKey: try row.text("account_key")) else { continue }
                touched.found(
                    slot, id: try row.int("id"), posted: try row.int("posted_minor"), held: try row.int("held_minor"),
                    limit: row.optionalInt("overdraft_limit_minor"))
            }
            start += chunk.count
        }
        if let missing = touched.missing { throw LedgerError.unknownAccount(touched.storageKeys[missing]) }
    }

    /// One journal row per posting, its entries packed as text (`JournalText`).
    private func insertRows(_ postings: [Posting], slots: [Int], first: [Int], ids: [Int64], in db: any SQLExecutor) async throws {
        let now = SQLValue.integer(timestamp())
        do {
            try await insertChunked(
                "INSERT INTO ledger_journal (id, kind, reference, created_at, entries) VALUES ", placeholders: "(?, ?, ?, ?, ?)", width: 5,
                count: postings.count, in: db
            ) { index, values in
                let posting = postings[index]
                let base = first[index]
                values.append(.text(posting.id))
                values.append(.text(posting.kind))
                values.append(SQLValue(posting.reference))
                values.append(now)
                values.append(.text(JournalText.encode(posting.entries.indices.lazy.map { offset in
                    JournalText.Entry(accountID: ids[slots[base + offset]], amountMinor: posting.entries[offset].amountMinor)
                })))
            }
        } catch StoreError.uniqueViolation {
            throw LedgerError.duplicatePosting(postings.count == 1 ? postings[0].id : "one of \(postings.count) postings")
        }
    }

    /// Multi-row INSERTs of `count` rows, `rowsPerInsert` at a time; `binds` appends row `i`'s values.
    private func insertChunked(
        _ prefix: String, placeholders: String, width: Int, count: Int, in db: any SQLExecutor,
        binds: (Int, inout [SQLValue]) -> Void
    ) async throws {
        let fullChunkSQL = prefix + Array(repeating: placeholders, count: Self.rowsPerInsert).joined(separator: ", ")
        var start = 0
        while start < count {
            let end = min(start + Self.rowsPerInsert, count)
            let sql = end - start == Self.rowsPerInsert
                ? fullChunkSQL : prefix + Array(repeating: placeholders, count: end - start).joined(separator: ", ")
            var values: [SQLValue] = []
            values.reserveCapacity((end - start) * width)
            for index in start..<end { binds(index, &values) }
            try await db.execute(sql, values)
            start = end
        }
    }

    /// One metric increment per kind; postings of a batch usually share their kind.
    private func countPostings(_ postings: [Posting]) {
        var byKind: [(kind: String, count: Int64)] = []
        for posting in postings {
            if let last = byKind.indices.last, byKind[last].kind == posting.kind {
                byKind[last].count += 1
            } else if let index = byKind.firstIndex(where: { $0.kind == posting.kind }) {
                byKind[index].count += 1
            } else {
                byKind.append((posting.kind, 1))
            }
        }
        for (kind, count) in byKind { Counter(label: "freedompay_ledger_postings_total", dimensions: [("kind", kind)]).increment(by: count) }
    }
}

/// Postings resolved for `LedgerRepository.post`: their accounts given dense slots, every entry's slot, and
/// duplicate ids within the batch refused. Pure; building it before `store.write` keeps that work off the
/// store's writer.
public struct PostingBatch: Sendable {
    let postings: [Posting]
    let touched: TouchedAccounts
    /// Every entry's slot, postings' entries flattened in order.
    let slots: [Int]
    /// `first[i]`: index in `slots` of posting i's first entry.
    let first: [Int]

    public init(_ postings: [Posting]) throws(LedgerError) {
        if postings.count > 1 {
            var seen = Set<String>(minimumCapacity: postings.count)
            for posting in postings where !seen.insert(posting.id).inserted { throw .duplicatePosting(posting.id) }
        }
        var touched = TouchedAccounts()
        var slots: [Int] = [], first: [Int] = []
        slots.reserveCapacity(postings.count * 2)
        first.reserveCapacity(postings.count)
        for posting in postings {
            first.append(slots.count)
            for entry in posting.entries { slots.append(touched.slot(of: entry.account)) }
        }
        self.postings = postings
        self.touched = touched
        self.slots = slots
        self.first = first
    }
}

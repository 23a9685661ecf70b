import Foundation
import Metrics

/// Builds the per-account history (`ledger_account_history`) from the journal, after the fact and in large
/// batches: one history row per account per run instead of one index row per entry on the posting's
/// critical path. The journal stays the truth; this index only makes statements cheap, and readers
/// (`LedgerHistory`) combine it with the journal's unindexed tail, so nothing waits for a run.
///
/// A run indexes journal rows after `ledger_history_progress.indexed_seq` and advances it in the same
/// transaction, so a crash leaves either both or neither. Positions must become visible in order for a
/// watermark to be safe: SQLite has one writer, so they do; on PostgreSQL a transaction can commit a
/// position lower than one already committed, so posting transactions hold a shared advisory lock and
/// the indexer first takes it exclusively for a moment: every position at or below the maximum it then
/// reads is final.
public struct LedgerHistoryIndexer: Sendable {
    /// Positions per history row at most, so no row grows without bound.
    static let itemsPerRow = 4_096
    static let advisoryLockKey = 724_312

    public init() {}

    /// Called by every posting transaction before it takes a journal position (PostgreSQL only).
    static func holdBackIndexing(in db: any SQLExecutor) async throws {
        if db.dialect == .postgres { _ = try await db.query("SELECT pg_advisory_xact_lock_shared(\(advisoryLockKey))", []) }
    }

    /// Indexes up to `maxPostings` journal rows; returns how many it indexed (0: nothing was pending).
    @discardableResult
    public func indexPending(in store: any Store, maxPostings: Int = 20_000) async throws -> Int {
        // A read first: an idle ledger costs no write transaction (and no fsync).
        let pending = try await store.read { db in
            let done = try await db.queryOne("SELECT indexed_seq FROM ledger_history_progress WHERE id = 1", [])?.int("indexed_seq") ?? 0
            return try await db.queryOne("SELECT COUNT(*) AS n FROM ledger_journal WHERE seq > ?", [.integer(done)])?.int("n") ?? 0
        }
        guard pending > 0 else { return 0 }
        var settled: Int64?
        if store.dialect == .postgres {
            settled = try await store.write { db in
                _ = try await db.query("SELECT pg_advisory_xact_lock(\(Self.advisoryLockKey))", [])
                return try await db.queryOne("SELECT COALESCE(MAX(seq), 0) AS top FROM ledger_journal", [])?.int("top") ?? 0
            }
        }
        let indexed = try await store.write { [settled] db in
            try await index(upTo: settled, maxPostings: max(maxPostings, 1), in: db)
        }
        if indexed > 0 { Counter(label: "freedompay_ledger_history_indexed_total").increment(by: Int64(indexed)) }
        return indexed
    }

    /// Indexes everything pending in repeated runs; for tools and tests that want the index complete.
    public func catchUp(in store: any Store) async throws {
        while try await indexPending(in: store) > 0 {}
    }

    private func index(upTo settled: Int64?, maxPostings: Int, in db: any SQLExecutor) async throws -> Int {
        let progress = try await db.queryOne("SELECT indexed_seq FROM ledger_history_progress WHERE id = 1" + db.dialect.forUpdate, [])
        let done = try progress?.int("indexed_seq") ?? 0
        let top: Int64
        if let settled {
            top = settled
        } else {
            top = try await db.queryOne("SELECT COALESCE(MAX(seq), 0) AS top FROM ledger_journal", [])?.int("top") ?? 0
        }
        guard top > done else { return 0 }
        let upper = min(top, done + Int64(maxPostings))
        let rows = try await db.query(
            "SELECT seq, created_at, entries FROM ledger_journal WHERE seq > ? AND seq <= ? ORDER BY seq", [.integer(done), .integer(upper)])
        var byAccount: [Int64: [JournalText.Item]] = [:]
        for row in rows {
            let item = JournalText.Item(seq: try row.int("seq"), createdAt: try row.int("created_at"))
            for entry in try JournalText.entries(try row.text("entries")) { byAccount[entry.accountID, default: []].append(item) }
        }
        try await insertHistory(byAccount, in: db)
        if progress == nil {
            try await db.execute("INSERT INTO ledger_history_progress (id, indexed_seq) VALUES (1, ?)", [.integer(upper)])
        } else {
            try await db.execute("UPDATE ledger_history_progress SET indexed_seq = ? WHERE id = 1", [.integer(upper)])
        }
        return rows.count
    }

    private func insertHistory(_ byAccount: [Int64: [JournalText.Item]], in db: any SQLExecutor) async throws {
        var values: [SQLValue] = []
        var rowCount = 0
        func flush() async throws {
            guard rowCount > 0 else { return }
            let sql = "INSERT INTO ledger_account_history (account_id, first_seq, last_seq, min_at, max_at, items) VALUES "
                + Array(repeating: "(?, ?, ?, ?, ?, ?)", count: rowCount).joined(separator: ", ")
            try await db.execute(sql, values)
            values.removeAll(keepingCapacity: true)
            rowCount = 0
        }
        for account in byAccount.keys.sorted() {
            let items = byAccount[account]!
            var start = 0
            while start < items.count {
                let chunk = Array(items[start..<min(start + Self.itemsPerRow, items.count)])
                let times = chunk.map(\.createdAt)
                values += [.integer(account), .integer(chunk[0].seq), .integer(chunk[chunk.count - 1].seq),
                           .integer(times.min()!), .integer(times.max()!), .text(JournalText.encode(chunk))]
                rowCount += 1
                if rowCount == 100 { try await flush() }
                start += chunk.count
            }
        }
        try await flush()
    }
}

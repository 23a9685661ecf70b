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

    /// Indexes up to `maxPostings` journal rows; returns how many it indexed (0: nothing was pending, or
    /// another instance indexed them first).
    ///
    /// The journal rows are read and turned into history rows in a read, off the store's writer; the write
    /// transaction only inserts the prepared rows and moves the progress mark, after checking that nobody
    /// moved it meanwhile.
    @discardableResult
    public func indexPending(in store: any Store, maxPostings: Int = 20_000) async throws -> Int {
        let (mark, top) = try await store.read { db in
            (try await Self.mark(in: db), try await db.queryOne("SELECT COALESCE(MAX(seq), 0) AS top FROM ledger_journal", [])?.int("top") ?? 0)
        }
        let done = mark.seq
        // Journal positions not yet in the history (gaps included): how much of the tail statements read.
        Gauge(label: "freedompay_ledger_history_lag_postings").record(max(top - done, 0))
        guard top > done else { return 0 }
        var settled: Int64?
        if store.dialect == .postgres {
            guard let top = try await Self.settledMaximum(in: store) else { return 0 }
            settled = top
        }
        let batch = try await store.read { [settled] db in
            try await Self.prepare(after: done, upTo: settled, maxPostings: max(maxPostings, 1), in: db)
        }
        guard batch.through > done else { return 0 }
        let indexed = try await store.write { db in
            guard try await Self.mark(in: db, forUpdate: true) == mark else { return 0 }
            try await Self.insert(batch.rows, in: db)
            try await db.execute("UPDATE ledger_history_progress SET indexed_seq = ? WHERE id = 1", [.integer(batch.through)])
            return batch.postings
        }
        if indexed > 0 { Counter(label: "freedompay_ledger_history_indexed_total").increment(by: Int64(indexed)) }
        return indexed
    }

    /// PostgreSQL: the highest position below which every position is final, read while no posting
    /// transaction is in flight. Waits at most 100 ms for them (nil: try next round): posting transactions
    /// queue behind this lock request, and one of them may hold a row another in-flight one waits for.
    private static func settledMaximum(in store: any Store) async throws -> Int64? {
        do {
            return try await store.write { db in
                try await db.execute("SET LOCAL lock_timeout = '100ms'", [])
                _ = try await db.query("SELECT pg_advisory_xact_lock(\(Self.advisoryLockKey))", [])
                return try await db.queryOne("SELECT COALESCE(MAX(seq), 0) AS top FROM ledger_journal", [])?.int("top") ?? 0
            }
        } catch StoreError.failed(let reason) where reason.hasPrefix("postgres 55P03") {
            return nil
        }
    }

    /// Indexes everything pending in repeated runs; for tools and tests that want the index complete. Stops
    /// when a run moves nothing (on PostgreSQL also when postings are still in flight past the lock timeout).
    public func catchUp(in store: any Store) async throws {
        var done = try await store.read { db in try await Self.progress(in: db) }
        while true {
            try await indexPending(in: store)
            let now = try await store.read { db in try await Self.progress(in: db) }
            if now == done { return }
            done = now
        }
    }

    static func progress(in db: any SQLExecutor) async throws -> Int64 {
        try await mark(in: db).seq
    }

    /// How far the index got, and in which generation of the journal (a sandbox reset starts a new one).
    struct Mark: Equatable {
        let seq: Int64
        let generation: Int64
    }

    static func mark(in db: any SQLExecutor, forUpdate: Bool = false) async throws -> Mark {
        guard let row = try await db.queryOne(
            "SELECT indexed_seq, generation FROM ledger_history_progress WHERE id = 1" + (forUpdate ? db.dialect.forUpdate : ""), []) else {
            throw StoreError.decoding("ledger_history_progress has no row")
        }
        return Mark(seq: try row.int("indexed_seq"), generation: try row.int("generation"))
    }

    /// Forgets the whole index (the journal was emptied): a run prepared before this cannot land after it.
    public static func reset(in db: any SQLExecutor) async throws {
        try await db.execute("DELETE FROM ledger_account_history", [])
        try await db.execute("UPDATE ledger_history_progress SET indexed_seq = 0, generation = generation + 1 WHERE id = 1", [])
    }

    /// Prepared history rows and the progress mark they bring the index to.
    struct Batch: Sendable {
        let rows: [[SQLValue]]
        let postings: Int
        let through: Int64
    }

    /// History rows for the journal rows after `done` (at most `maxPostings`, none above `settled`).
    private static func prepare(after done: Int64, upTo settled: Int64?, maxPostings: Int, in db: any SQLExecutor) async throws -> Batch {
        var upper = done + Int64(maxPostings)
        if let settled { upper = min(upper, settled) }
        let rows = try await db.query(
            "SELECT seq, created_at, entries FROM ledger_journal WHERE seq > ? AND seq <= ? ORDER BY seq", [.integer(done), .integer(upper)])
        // PostgreSQL: every position up to `upper` is final, missing ones are gaps left by rollbacks and are
        // passed over. SQLite: positions only grow (max + 1), so the last row read is the mark.
        let through = settled == nil ? (try rows.last?.int("seq") ?? done) : upper
        var byAccount: [Int64: [JournalText.Item]] = [:]
        for row in rows {
            let item = JournalText.Item(seq: try row.int("seq"), createdAt: try row.int("created_at"))
            for entry in try JournalText.entries(try row.text("entries")) { byAccount[entry.accountID, default: []].append(item) }
        }
        var prepared: [[SQLValue]] = []
        for account in byAccount.keys.sorted() {
            let items = byAccount[account]!
            var start = 0
            while start < items.count {
                let chunk = items[start..<min(start + itemsPerRow, items.count)]
                var minAt = Int64.max, maxAt = Int64.min
                for item in chunk { minAt = min(minAt, item.createdAt); maxAt = max(maxAt, item.createdAt) }
                prepared.append([.integer(account), .integer(chunk.first!.seq), .integer(chunk.last!.seq),
                                 .integer(minAt), .integer(maxAt), .text(JournalText.encode(chunk))])
                start += chunk.count
            }
        }
        return Batch(rows: prepared, postings: rows.count, through: through)
    }

    private static func insert(_ rows: [[SQLValue]], in db: any SQLExecutor) async throws {
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + 100, rows.count)]
            let sql = "INSERT INTO ledger_account_history (account_id, first_seq, last_seq, min_at, max_at, items) VALUES "
                + Array(repeating: "(?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
            try await db.execute(sql, chunk.flatMap { $0 })
            start += chunk.count
        }
    }
}

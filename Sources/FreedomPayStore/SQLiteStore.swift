import Foundation
import FreedomPayCore
import GRDB

/// The embedded default store: one SQLite file in WAL mode; a write is on disk (the WAL fdatasynced) before
/// `write` returns. Writers are serialised and group-committed (`SQLiteGroupCommit`: SQLite has one writer
/// anyway), with the flush of one batch overlapping the next (`SQLiteWALFlusher`); readers run concurrently
/// on WAL snapshots.
public final class SQLiteStore: Store {
    public let dialect: SQLDialect = .sqlite
    let pool: DatabasePool
    private let groupCommit: SQLiteGroupCommit
    private let writer: SQLiteWriterConnection
    private let checkpointer: SQLiteCheckpointer

    /// Opens (creating if needed) the database at `path`. The store is usable once `Schema.migrate` ran.
    public convenience init(path: String) throws {
        try self.init(path: path, flusher: SQLiteWALFlusher(databasePath: path))
    }

    /// A store whose WAL flushes go through `flusher` (tests observe or fail them).
    init(path: String, flusher: SQLiteWALFlusher) throws {
        // The page cache first: the VFS registration initializes SQLite, after which the cache is fixed.
        SQLitePageCache.install()
        SQLiteWALWriteCoalescing.install()
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.allowsUnsafeTransactions = true
        configuration.prepareDatabase { db in
            // NORMAL: a commit writes its WAL frames without syncing them; `SQLiteWALFlusher` syncs the WAL before
            // any caller is answered. SQLite still syncs the WAL before and the database after every checkpoint.
            // 2 KiB pages for a new database (an existing one keeps its size): a commit writes every page it
            // dirtied to the WAL in full, and a debit dirties pages at random places of several indexes (the
            // partner's request id, the card, the account), so smaller pages mean fewer bytes per commit.
            // Measured: debits +12 %, writer time per debit -14 %, bulk ledger postings within noise (BENCHMARKS).
            try db.execute(sql: "PRAGMA page_size = 2048")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // 32 MiB page cache per connection (default 2 MiB): bulk ledger writes touch many index pages,
            // and re-reading them from the WAL costs more than the memory. No effect on durability.
            try db.execute(sql: "PRAGMA cache_size = -32768")
            // `SQLiteCheckpointer` copies the WAL back in the background. Under a steady stream of commits its
            // passive checkpoint never catches the last frame, and only a checkpoint by the writer itself (nothing
            // commits meanwhile) lets the next transaction restart the WAL from its start: at 32768 pages (64 MiB
            // of 2 KiB pages) the writer does it, by then with little left to copy. Bounds the WAL; no effect on
            // durability.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 32768")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        let checkpointer = try SQLiteCheckpointer(path: path)
        self.checkpointer = checkpointer
        let writer = try SQLiteWriterConnection(pool: pool)
        self.writer = writer
        groupCommit = SQLiteGroupCommit(executor: SQLiteWriteExecutor(connection: writer), flusher: flusher, onCommit: { checkpointer.noteCommit() })
    }

    /// Heap bytes of the write connection's page cache.
    func writerPageCacheBytes() -> Int { writer.pageCacheBytes() }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await groupCommit.write(body)
    }

    public func read<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await body(SQLiteReadExecutor(pool: pool))
    }

    public func close() async throws {
        try await checkpointer.close()
        groupCommit.close()
        writer.close()
        try pool.close()
    }
}

/// Statements of one write transaction, each run on the writer connection (`SQLiteWriterConnection`).
///
/// Statements run synchronously, COMMIT included: with `synchronous=NORMAL` a commit only writes WAL frames to the
/// page cache (`SQLiteWALFlusher` syncs them off the cooperative pool, checkpoints run in the background), so every
/// statement is a short CPU-bound critical section and an async hop would cost more than the statement.
/// BEGIN IMMEDIATE waits only while another process (a CLI command) holds the write lock.
struct SQLiteWriteExecutor: SQLExecutor {
    let connection: SQLiteWriterConnection
    var dialect: SQLDialect { .sqlite }

    @discardableResult
    func execute(_ sql: String, _ binds: [SQLValue]) async throws -> Int {
        try connection.execute(sql, binds)
    }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try connection.fetch(sql, binds)
    }
}

/// Read-only statements, each on its own WAL snapshot.
struct SQLiteReadExecutor: SQLExecutor {
    let pool: DatabasePool
    var dialect: SQLDialect { .sqlite }

    @discardableResult
    func execute(_ sql: String, _ binds: [SQLValue]) async throws -> Int {
        throw StoreError.failed("read transactions cannot execute writes")
    }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await SQLiteBridge.mapErrors {
            try await pool.read { db in try SQLiteStatementRunner.fetch(sql, binds, in: db) }
        }
    }
}

enum SQLiteBridge {
    static func arguments(_ binds: [SQLValue]) -> StatementArguments {
        StatementArguments(binds.map { value -> (any DatabaseValueConvertible)? in
            switch value {
            case .null: return nil
            case .integer(let number): return number
            case .text(let text): return text
            case .blob(let bytes): return Data(bytes)
            }
        })
    }

    static func mapSyncErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw map(error)
        }
    }

    static func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DatabaseError {
            throw map(error)
        }
    }

    static func map(_ error: DatabaseError) -> StoreError {
        storeError(extendedCode: error.extendedResultCode.rawValue, message: error.message)
    }

    /// The store's error for an SQLite result code, whether GRDB or `SQLiteStatementRunner` met it.
    static func storeError(extendedCode: Int32, message: String?) -> StoreError {
        switch extendedCode {
        case 2067, 1555:  // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
            return .uniqueViolation(message ?? "unique constraint")
        default:
            switch extendedCode & 0xff {
            case 5, 6: return .unavailable(message ?? "database is busy")  // SQLITE_BUSY, SQLITE_LOCKED and their variants
            default: return .failed("\(extendedCode): \(message ?? "")")
            }
        }
    }
}

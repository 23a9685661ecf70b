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

    /// Opens (creating if needed) the database at `path`. The store is usable once `Schema.migrate` ran.
    public convenience init(path: String) throws {
        try self.init(path: path, flusher: SQLiteWALFlusher(databasePath: path))
    }

    /// A store whose WAL flushes go through `flusher` (tests observe or fail them).
    init(path: String, flusher: SQLiteWALFlusher) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.allowsUnsafeTransactions = true
        configuration.prepareDatabase { db in
            // NORMAL: a commit writes its WAL frames without syncing them; `SQLiteWALFlusher` syncs the WAL before
            // any caller is answered. SQLite still syncs the WAL before and the database after every checkpoint.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // 32 MiB page cache per connection (default 2 MiB): bulk ledger writes touch many index pages,
            // and re-reading them from the WAL costs more than the memory. No effect on durability.
            try db.execute(sql: "PRAGMA cache_size = -32768")
            // Checkpoint every 8192 pages (32 MiB of WAL) instead of 1000: bulk ledger batches dirty hundreds of
            // pages per commit, and a page rewritten by several commits is copied back to the database once.
            // Durability is unchanged: every commit is fsynced to the WAL before `write` returns.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 8192")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        groupCommit = SQLiteGroupCommit(executor: SQLiteWriteExecutor(pool: pool), flusher: flusher)
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await groupCommit.write(body)
    }

    public func read<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await body(SQLiteReadExecutor(pool: pool))
    }

    public func close() async throws {
        try pool.close()
    }
}

/// Statements of one write transaction, each run on GRDB's writer connection.
///
/// Statements run synchronously on the writer's queue: inside an open transaction they only touch SQLite's
/// page cache (WAL, no fsync), so they are short, CPU-bound critical sections, and an async hop per
/// statement cost more than the statement. The one call that waits on the disk, COMMIT, stays async
/// (`commit()`), so a cooperative thread is never parked on an fsync.
struct SQLiteWriteExecutor: SQLExecutor {
    let pool: DatabasePool
    var dialect: SQLDialect { .sqlite }

    @discardableResult
    func execute(_ sql: String, _ binds: [SQLValue]) async throws -> Int {
        try SQLiteBridge.mapSyncErrors {
            try pool.writeWithoutTransaction { db in try SQLiteStatementRunner.execute(sql, binds, in: db) }
        }
    }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try SQLiteBridge.mapSyncErrors {
            try pool.writeWithoutTransaction { db in try SQLiteStatementRunner.fetch(sql, binds, in: db) }
        }
    }

    /// Runs a statement that may wait on the disk (COMMIT, BEGIN IMMEDIATE under contention) asynchronously.
    func executeAsync(_ sql: String) async throws {
        try await SQLiteBridge.mapErrors {
            try await pool.writeWithoutTransaction { db in try db.execute(sql: sql) }
        }
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
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
            return .uniqueViolation(error.message ?? "unique constraint")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .unavailable(error.message ?? "database is busy")
        default:
            return .failed("\(error.resultCode): \(error.message ?? "")")
        }
    }
}

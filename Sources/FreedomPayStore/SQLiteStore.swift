import Foundation
import FreedomPayCore
import GRDB

/// The embedded default store: one SQLite file in WAL mode, `synchronous=FULL` so a commit is on disk
/// before `write` returns. Writers are serialised and group-committed (`SQLiteGroupCommit`: SQLite has
/// one writer anyway); readers run concurrently on WAL snapshots.
public final class SQLiteStore: Store {
    public let dialect: SQLDialect = .sqlite
    let pool: DatabasePool
    private let groupCommit: SQLiteGroupCommit

    /// Opens (creating if needed) the database at `path`. The store is usable once `Schema.migrate` ran.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.allowsUnsafeTransactions = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        groupCommit = SQLiteGroupCommit(executor: SQLiteWriteExecutor(pool: pool))
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
            try pool.writeWithoutTransaction { db in
                try SQLiteBridge.execute(sql, binds, in: db)
                return db.changesCount
            }
        }
    }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try SQLiteBridge.mapSyncErrors {
            try pool.writeWithoutTransaction { db in try SQLiteBridge.fetch(sql, binds, in: db) }
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
            try await pool.read { db in try SQLiteBridge.fetch(sql, binds, in: db) }
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

    /// Runs one statement. Repeated statements (every DML, savepoints) are prepared once per connection and
    /// kept in GRDB's statement cache: preparing cost more than running most of them.
    static func execute(_ sql: String, _ binds: [SQLValue], in db: Database) throws {
        if isCacheable(sql) {
            try db.cachedStatement(sql: sql).execute(arguments: arguments(binds))
        } else {
            try db.execute(sql: sql, arguments: arguments(binds))
        }
    }

    /// Runs one query, reading the rows straight off the statement (no intermediate row copies).
    static func fetch(_ sql: String, _ binds: [SQLValue], in db: Database) throws -> [SQLRow] {
        let statement = isCacheable(sql) ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
        let columns = statement.columnNames.map { $0.lowercased() }
        let cursor = try Row.fetchCursor(statement, arguments: arguments(binds))
        var rows: [SQLRow] = []
        while let row = try cursor.next() {
            rows.append(SQLRow(lowercasedColumns: columns, values: row.databaseValues.map(value)))
        }
        return rows
    }

    /// Schema changes and multi-statement scripts run once: not worth a cache slot (and a script cannot be cached).
    static func isCacheable(_ sql: String) -> Bool {
        let head = sql.utf8.drop { $0 == 32 || $0 == 10 || $0 == 9 || $0 == 13 }.prefix(5)
        let keyword = String(decoding: head, as: UTF8.self).uppercased()
        if keyword.hasPrefix("CREAT") || keyword.hasPrefix("ALTER") || keyword.hasPrefix("DROP") { return false }
        var end = sql.utf8.endIndex
        while end > sql.utf8.startIndex, [59, 32, 10, 9, 13].contains(sql.utf8[sql.utf8.index(before: end)]) {
            end = sql.utf8.index(before: end)
        }
        return !sql.utf8[..<end].contains(59)
    }

    static func value(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: return .null
        case .int64(let number): return .integer(number)
        case .double(let number): return .integer(Int64(number))
        case .string(let text): return .text(text)
        case .blob(let data): return .blob([UInt8](data))
        }
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

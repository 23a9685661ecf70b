import FreedomPayCore
import GRDB
import GRDBSQLite
import Synchronization

/// The write connection as the group commit uses it: statements prepared once and stepped straight on SQLite's
/// handle, from the writer thread.
///
/// GRDB owns and configures the connection; going through it for each statement (`writeWithoutTransaction`: a
/// dispatch-queue `sync`, its scheduling checks, and its statement cache) cost about a tenth of the writer's time
/// per debit (`perf`, BENCHMARKS.md session 8), on the one serial stage of every write. Only the group commit
/// writes on this connection, one statement at a time, so the lock here is never contended; it orders the
/// statements against `close`, which finalizes them before GRDB closes the connection. Schema changes and
/// scripts (migrations) still go through GRDB, which runs every statement of a script. GRDB's transaction
/// observation is switched off on this connection (see `init`): nothing here observes transactions.
final class SQLiteWriterConnection: Sendable {
    /// SQLite's handle and the statements prepared on it; touched only under `state`'s lock.
    private struct State: ~Copyable {
        let connection: Handle
        var statements: [String: Prepared] = [:]
        var closed = false

        /// The prepared statement for `sql`, prepared on first use and kept (SQLite re-prepares it itself
        /// after a schema change).
        mutating func statement(_ sql: String) throws -> OpaquePointer {
            let index = try entry(sql)
            return statements.values[index].handle.pointer
        }

        /// Runs the query `sql`, reading its column names once per preparation of the statement.
        mutating func fetch(_ sql: String, _ binds: [SQLValue]) throws -> [SQLRow] {
            let index = try entry(sql)
            let handle = statements.values[index].handle.pointer
            return try SQLiteStatementRunner.fetch(prepared: handle, binds, connection: connection.pointer, columns: &statements.values[index].columns)
        }

        private mutating func entry(_ sql: String) throws -> Dictionary<String, Prepared>.Index {
            if let index = statements.index(forKey: sql) { return index }
            var prepared: OpaquePointer?
            let code = sqlite3_prepare_v3(connection.pointer, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
            guard code == SQLITE_OK, let prepared else {
                let message = sqlite3_errmsg(connection.pointer).map { String(cString: $0) }
                sqlite3_finalize(prepared)
                throw SQLiteBridge.storeError(extendedCode: sqlite3_extended_errcode(connection.pointer), message: message)
            }
            statements[sql] = Prepared(handle: Handle(pointer: prepared))
            return statements.index(forKey: sql)!
        }
    }

    /// A prepared statement and, once a query ran, its result column names.
    private struct Prepared {
        let handle: Handle
        var columns: SQLiteStatementRunner.ColumnNames?
    }

    /// A pointer owned by SQLite, used only under the lock.
    private struct Handle: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    private let pool: DatabasePool
    private let state: Mutex<State>

    init(pool: DatabasePool) throws {
        self.pool = pool
        guard let connection = try pool.writeWithoutTransaction({ db -> SQLiteConnection? in
            // GRDB's commit and rollback hooks serve its transaction observers (this package adds none) and expect
            // every commit on GRDB's queue; commits made here would meet them on the writer thread.
            sqlite3_commit_hook(db.sqliteConnection, nil, nil)
            sqlite3_rollback_hook(db.sqliteConnection, nil, nil)
            return db.sqliteConnection
        }) else {
            throw StoreError.unavailable("the SQLite write connection is not open")
        }
        state = Mutex(State(connection: Handle(pointer: connection)))
    }

    /// Runs a statement to completion and returns how many rows it changed.
    func execute(_ sql: String, _ binds: [SQLValue]) throws -> Int {
        guard SQLiteStatementRunner.isCacheable(sql) else {
            return try SQLiteBridge.mapSyncErrors { try pool.writeWithoutTransaction { db in try SQLiteStatementRunner.executeScript(sql, binds, in: db) } }
        }
        return try state.withLock { state in
            guard !state.closed else { throw StoreError.unavailable("the store is closed") }
            return try SQLiteStatementRunner.execute(prepared: try state.statement(sql), binds, connection: state.connection.pointer)
        }
    }

    /// Runs a query and reads every row.
    func fetch(_ sql: String, _ binds: [SQLValue]) throws -> [SQLRow] {
        try state.withLock { state in
            guard !state.closed else { throw StoreError.unavailable("the store is closed") }
            return try state.fetch(sql, binds)
        }
    }

    /// Heap bytes of the connection's page cache (`SQLITE_DBSTATUS_CACHE_USED`): what the cache holds now.
    func pageCacheBytes() -> Int {
        state.withLock { state in
            var current: Int32 = 0, highest: Int32 = 0
            guard !state.closed, sqlite3_db_status(state.connection.pointer, SQLITE_DBSTATUS_CACHE_USED, &current, &highest, 0) == SQLITE_OK else { return 0 }
            return Int(current)
        }
    }

    /// Finalizes the prepared statements (GRDB then closes the connection); later statements fail.
    func close() {
        state.withLock { state in
            for statement in state.statements.values { sqlite3_finalize(statement.handle.pointer) }
            state.statements = [:]
            state.closed = true
        }
    }
}

import FreedomPayCore
import GRDB
import GRDBSQLite

/// Runs one statement by binding and stepping SQLite's handle directly, on a GRDB connection (readers) or on
/// the writer's own prepared statements (`SQLiteWriterConnection`).
///
/// GRDB prepares and caches the statements and owns the connections; this only replaces its argument and row
/// layers (`StatementArguments` boxes every value in an existential, `Row` copies it again), which cost more
/// than SQLite itself on the debit path (`perf record`, BENCHMARKS.md). Values go from `SQLValue` to
/// `sqlite3_bind_*` and from `sqlite3_column_*` to `SQLValue` without intermediate objects.
enum SQLiteStatementRunner {
    /// Runs a schema change or a script (migrations) through GRDB, which runs every statement of a script;
    /// returns how many rows the last statement changed.
    static func executeScript(_ sql: String, _ binds: [SQLValue], in db: Database) throws -> Int {
        try SQLiteBridge.mapSyncErrors { try db.execute(sql: sql, arguments: SQLiteBridge.arguments(binds)) }
        return db.changesCount
    }

    /// Runs a query and reads every row.
    static func fetch(_ sql: String, _ binds: [SQLValue], in db: Database) throws -> [SQLRow] {
        try fetch(prepared: try cached(sql, in: db), binds, connection: db.sqliteConnection)
    }

    /// Runs a prepared statement of `connection` to completion and returns how many rows it changed.
    static func execute(prepared handle: OpaquePointer, _ binds: [SQLValue], connection: OpaquePointer?) throws -> Int {
        try withBindings(binds, to: handle, connection: connection) {
            while true {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { break }
                if code != SQLITE_ROW { throw failure(code, handle: handle, connection: connection) }
            }
            return Int(sqlite3_changes(connection))
        }
    }

    /// Runs a prepared query of `connection` and reads every row.
    static func fetch(prepared handle: OpaquePointer, _ binds: [SQLValue], connection: OpaquePointer?) throws -> [SQLRow] {
        var columns: ColumnNames?
        return try fetch(prepared: handle, binds, connection: connection, columns: &columns)
    }

    /// The same, with the statement's column names kept by the caller between runs (read again when SQLite
    /// prepared the statement anew, as it does after a schema change).
    static func fetch(prepared handle: OpaquePointer, _ binds: [SQLValue], connection: OpaquePointer?, columns: inout ColumnNames?) throws -> [SQLRow] {
        try withBindings(binds, to: handle, connection: connection) {
            var rows: [SQLRow] = []
            while true {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else { throw failure(code, handle: handle, connection: connection) }
                // After the first step: a schema change re-prepares the statement inside it (`SELECT *` may then
                // have other columns), and the names and count must be those of the rows.
                if rows.isEmpty {
                    let preparation = sqlite3_stmt_status(handle, SQLITE_STMTSTATUS_REPREPARE, 0)
                    if columns?.preparation != preparation { columns = ColumnNames(names: columnNames(handle), preparation: preparation) }
                }
                let names = columns?.names ?? []
                var values: [SQLValue] = []
                values.reserveCapacity(names.count)
                for column in 0..<Int32(names.count) { values.append(value(handle, column)) }
                rows.append(SQLRow(lowercasedColumns: names, values: values))
            }
            return rows
        }
    }

    /// A prepared statement's lower-cased result column names, and which preparation of it they belong to.
    struct ColumnNames {
        var names: [String]
        var preparation: Int32
    }

    /// GRDB's cached statement for `sql` on this connection.
    private static func cached(_ sql: String, in db: Database) throws -> OpaquePointer {
        try SQLiteBridge.mapSyncErrors { try db.cachedStatement(sql: sql) }.sqliteStatement
    }

    /// Resets the statement, binds `binds` and runs `body` (the steps), then unbinds.
    ///
    /// Texts and blobs are bound in place (`SQLITE_STATIC`) instead of copied by SQLite: each is bound inside its
    /// own `withUTF8`/`withUnsafeBytes`, the next binding and finally `body` run inside that, so every bound
    /// buffer outlives the steps; the bindings are cleared before the buffers go. SQLite's copies were an
    /// allocation per text of every statement on the writer (`perf`, BENCHMARKS.md session 8).
    private static func withBindings<T>(
        _ binds: [SQLValue], to handle: OpaquePointer, connection: OpaquePointer?, _ body: () throws -> T
    ) throws -> T {
        sqlite3_reset(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard expected == binds.count else {
            let sql = sqlite3_sql(handle).map { String(cString: $0) } ?? ""
            throw StoreError.failed("statement expects \(expected) arguments, got \(binds.count): \(sql.prefix(120))")
        }
        defer { sqlite3_clear_bindings(handle) }
        func bound(_ code: Int32) throws {
            guard code == SQLITE_OK else { throw failure(code, handle: handle, connection: connection) }
        }
        func bindFrom(_ offset: Int) throws -> T {
            guard offset < binds.count else { return try body() }
            let index = Int32(offset + 1)
            switch binds[offset] {
            case .null:
                try bound(sqlite3_bind_null(handle, index))
            case .integer(let number):
                try bound(sqlite3_bind_int64(handle, index, number))
            case .text(var text):
                return try text.withUTF8 { bytes in
                    // A nil pointer would bind NULL: an empty string binds a zero-length text instead.
                    let start = bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) } ?? emptyText
                    try bound(sqlite3_bind_text(handle, index, start, Int32(bytes.count), inPlace))
                    return try bindFrom(offset + 1)
                }
            case .blob(let bytes):
                if bytes.isEmpty {
                    try bound(sqlite3_bind_zeroblob(handle, index, 0))
                } else {
                    return try bytes.withUnsafeBytes { buffer in
                        try bound(sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), inPlace))
                        return try bindFrom(offset + 1)
                    }
                }
            }
            return try bindFrom(offset + 1)
        }
        return try bindFrom(0)
    }

    private static func value(_ handle: OpaquePointer, _ column: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT:
            return .integer(Int64(sqlite3_column_double(handle, column)))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(handle, column) else { return .text("") }
            let count = Int(sqlite3_column_bytes(handle, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let blob = sqlite3_column_blob(handle, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
        default:
            return .null
        }
    }

    /// The column's name as `SQLRow` looks it up (lower case; only a name with capitals is copied again).
    /// The result columns of a prepared statement, lower-cased as `SQLRow` looks them up.
    private static func columnNames(_ handle: OpaquePointer) -> [String] {
        (0..<sqlite3_column_count(handle)).map { columnName(handle, $0) }
    }

    private static func columnName(_ handle: OpaquePointer, _ column: Int32) -> String {
        guard let name = sqlite3_column_name(handle, column) else { return "" }
        let text = String(cString: name)
        return text.utf8.contains(where: { $0 >= 65 && $0 <= 90 }) ? text.lowercased() : text
    }

    /// The store's error for a failed step or bind; the statement is reset so it holds no lock.
    private static func failure(_ code: Int32, handle: OpaquePointer, connection: OpaquePointer?) -> StoreError {
        let extended = sqlite3_extended_errcode(connection)
        let message = sqlite3_errmsg(connection).map { String(cString: $0) } ?? "SQLite error \(code)"
        sqlite3_reset(handle)
        return SQLiteBridge.storeError(extendedCode: extended, message: message)
    }

    /// Schema changes and multi-statement scripts run once: not worth a cache slot (and a script cannot be cached).
    static func isCacheable(_ sql: String) -> Bool {
        var sql = sql
        return sql.withUTF8 { bytes in
            var start = 0
            while start < bytes.count, isSpace(bytes[start]) { start += 1 }
            if bytes.count - start >= 4 {
                // CREATE, ALTER, DROP in any case: compare the first two letters, upper-cased.
                let head = (bytes[start] & 0xDF, bytes[start + 1] & 0xDF)
                if head == (67, 82) || head == (65, 76) || head == (68, 82) { return false }
            }
            var end = bytes.count
            while end > start, isSpace(bytes[end - 1]) || bytes[end - 1] == 59 { end -= 1 }
            var index = start
            while index < end {
                if bytes[index] == 59 { return false }
                index += 1
            }
            return true
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 10 || byte == 9 || byte == 13 }

    /// `SQLITE_STATIC` (a null destructor): SQLite reads the bound bytes where they are (they outlive the steps,
    /// see `withBindings`).
    private static let inPlace: sqlite3_destructor_type? = nil
    nonisolated(unsafe) private static let emptyText: UnsafePointer<CChar> = {
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return UnsafePointer(pointer)
    }()
}

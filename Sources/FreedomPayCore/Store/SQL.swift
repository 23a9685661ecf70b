/// A value bound to or read from a SQL statement. Money is always `.integer` minor units, never a float.
public enum SQLValue: Sendable, Equatable, Hashable {
    case null
    case integer(Int64)
    case text(String)
    case blob([UInt8])
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(nilLiteral: ()) { self = .null }

    public init(_ text: String?) { self = text.map(SQLValue.text) ?? .null }
    public init(_ number: Int64?) { self = number.map(SQLValue.integer) ?? .null }
    public init(_ number: Int) { self = .integer(Int64(number)) }
    public init(_ bool: Bool) { self = .integer(bool ? 1 : 0) }
}

/// One result row; columns are looked up by name (lower-cased, as both engines report them).
public struct SQLRow: Sendable {
    public let columns: [String]
    public let values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns.map { $0.lowercased() }
        self.values = values
    }

    /// For stores that lower-case a result's column names once per statement rather than once per row.
    public init(lowercasedColumns: [String], values: [SQLValue]) {
        self.columns = lowercasedColumns
        self.values = values
    }

    public subscript(_ column: String) -> SQLValue {
        // Repositories ask in lower case: try that before allocating a lower-cased copy.
        guard let index = columns.firstIndex(of: column) ?? columns.firstIndex(of: column.lowercased()) else { return .null }
        return values[index]
    }

    public func text(_ column: String) throws(StoreError) -> String {
        switch self[column] {
        case .text(let text): return text
        case .integer(let number): return String(number)
        default: throw .decoding("column \(column) is not text")
        }
    }

    public func optionalText(_ column: String) -> String? {
        switch self[column] {
        case .text(let text): return text
        case .integer(let number): return String(number)
        default: return nil
        }
    }

    public func int(_ column: String) throws(StoreError) -> Int64 {
        switch self[column] {
        case .integer(let number): return number
        case .text(let text):
            guard let number = Int64(text) else { throw .decoding("column \(column) is not an integer") }
            return number
        default: throw .decoding("column \(column) is not an integer")
        }
    }

    public func optionalInt(_ column: String) -> Int64? {
        if case .integer(let number) = self[column] { return number }
        return nil
    }

    public func blob(_ column: String) throws(StoreError) -> [UInt8] {
        if case .blob(let bytes) = self[column] { return bytes }
        throw .decoding("column \(column) is not a blob")
    }
}

/// The SQL flavour behind an executor. Repositories write portable SQL with `?` placeholders;
/// the dialect only decides the few things that differ (row locks).
public enum SQLDialect: Sendable {
    case sqlite
    case postgres

    /// `FOR UPDATE` where the engine has row locks; SQLite serialises writers, so it needs none.
    public var forUpdate: String { self == .postgres ? " FOR UPDATE" : "" }
}

/// Runs statements inside one open transaction.
public protocol SQLExecutor: Sendable {
    var dialect: SQLDialect { get }
    /// Returns the number of rows changed.
    @discardableResult
    func execute(_ sql: String, _ binds: [SQLValue]) async throws -> Int
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
}

extension SQLExecutor {
    public func queryOne(_ sql: String, _ binds: [SQLValue]) async throws -> SQLRow? {
        try await query(sql, binds).first
    }
}

/// Persistence for the whole system. Every implementation (SQLite, PostgreSQL) runs the same repositories.
public protocol Store: Sendable {
    var dialect: SQLDialect { get }
    /// Runs `body` in one serialisable read-write transaction; commits only if it returns, durably
    /// (fsync) before this call returns. Throws `StoreError.uniqueViolation` for constraint conflicts.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T
    /// Runs `body` against a consistent snapshot; nothing it does is written.
    func read<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T
    func close() async throws
}

public enum StoreError: Error, Equatable, Sendable {
    case uniqueViolation(String)
    case decoding(String)
    case unavailable(String)
    case failed(String)
}

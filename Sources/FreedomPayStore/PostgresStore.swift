import Foundation
import FreedomPayCore
import Logging
import NIOCore
import PostgresNIO

/// The production store: PostgreSQL through a PostgresNIO connection pool. Any number of server
/// instances share one database; correctness across them comes from the database (row locks taken in
/// a fixed order, unique constraints), and a transaction that loses a serialization or deadlock race is
/// retried a bounded number of times.
public final class PostgresStore: Store {
    public let dialect: SQLDialect = .postgres
    let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger
    /// Bound on re-running a transaction that failed with 40001/40P01.
    static let maxAttempts = 5

    /// `url`: `postgres://user:password@host:port/database` (`postgresql://` also accepted).
    public init(url: String, maxConnections: Int = 20, logger: Logger = Logger(label: "freedompay.postgres")) throws {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, let user = components.user else {
            throw StoreError.unavailable("expected postgres://user[:password]@host[:port]/database, got a malformed URL")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: components.path.isEmpty ? nil : String(components.path.dropFirst()), tls: .disable)
        configuration.options.maximumConnections = maxConnections
        self.logger = logger
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.runner = Task { await client.run() }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await PostgresBridge.mapErrors {
                    try await client.withTransaction(logger: logger) { connection in
                        try await body(PostgresExecutor(connection: connection, logger: logger))
                    }
                }
            } catch StoreError.unavailable(let reason) where reason.hasPrefix("retryable") && attempt < Self.maxAttempts {
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
            }
        }
    }

    public func read<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await PostgresBridge.mapErrors {
            try await client.withConnection { connection in
                try await body(PostgresExecutor(connection: connection, logger: logger))
            }
        }
    }

    public func close() async throws {
        runner.cancel()
        _ = await runner.value
    }
}

/// Statements on one leased connection (inside `withTransaction` for writes).
struct PostgresExecutor: SQLExecutor, @unchecked Sendable {
    // PostgresConnection is Sendable; the struct is only used within the closure that leased it.
    let connection: PostgresConnection
    let logger: Logger
    var dialect: SQLDialect { .postgres }

    @discardableResult
    func execute(_ sql: String, _ binds: [SQLValue]) async throws -> Int {
        let result = try await PostgresBridge.mapErrors {
            try await connection.query(PostgresBridge.query(sql, binds), logger: logger).get()
        }
        return result.metadata.rows ?? 0
    }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let result = try await PostgresBridge.mapErrors {
            try await connection.query(PostgresBridge.query(sql, binds), logger: logger).get()
        }
        return try result.rows.map(PostgresBridge.row)
    }
}

enum PostgresBridge {
    /// Rewrites `?` placeholders (outside quoted literals) to `$1…$n` and binds the values.
    static func query(_ sql: String, _ binds: [SQLValue]) throws -> PostgresQuery {
        var text = ""
        text.reserveCapacity(sql.utf8.count + 8)
        var index = 0
        var inQuote = false
        for character in sql {
            if character == "'" { inQuote.toggle() }
            if character == "?", !inQuote {
                index += 1
                text += "$\(index)"
            } else {
                text.append(character)
            }
        }
        guard index == binds.count else {
            throw StoreError.failed("statement has \(index) placeholders but \(binds.count) values")
        }
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let number): bindings.append(number)
            case .text(let string): bindings.append(string)
            case .blob(let bytes): bindings.append(ByteBuffer(bytes: bytes))
            }
        }
        return PostgresQuery(unsafeSQL: text, binds: bindings)
    }

    static func row(_ row: PostgresRow) throws -> SQLRow {
        var columns: [String] = []
        var values: [SQLValue] = []
        for cell in row {
            columns.append(cell.columnName)
            values.append(try value(cell))
        }
        return SQLRow(columns: columns, values: values)
    }

    static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea: return .blob(Array(try cell.decode(ByteBuffer.self).readableBytesView))
        case .numeric:
            let decimal = try cell.decode(Decimal.self)
            guard let number = Int64(decimal.description) else { return .text(decimal.description) }
            return .integer(number)
        default: return .text(try cell.decode(String.self))
        }
    }

    static func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError {
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = error.serverInfo?[.message] ?? "\(error.code)"
            switch state {
            case "23505": throw StoreError.uniqueViolation(message)
            case "40001", "40P01": throw StoreError.unavailable("retryable: \(message)")
            default:
                if state.isEmpty { throw StoreError.unavailable("postgres: \(error.code)") }
                throw StoreError.failed("postgres \(state): \(message)")
            }
        } catch let error as PostgresTransactionError {
            if let closure = error.closureError { throw closure }
            throw StoreError.failed("postgres transaction: \(String(describing: error.beginError ?? error.commitError ?? error.rollbackError))")
        }
    }
}

import Foundation
import FreedomPayCore
import FreedomPayStore
import Testing

/// The stores every conformance test runs against: SQLite always; PostgreSQL when
/// `FREEDOMPAY_TEST_POSTGRES_URL` is set (scripts/dev-postgres.sh prints one). In CI (`CI=true`)
/// PostgreSQL is mandatory: a missing URL fails the PostgreSQL cases instead of skipping them.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static let postgresURL = ProcessInfo.processInfo.environment["FREEDOMPAY_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let inCI = ProcessInfo.processInfo.environment["CI"] == "true"

    static var available: [StoreKind] {
        if postgresURL != nil || inCI { return [.sqlite, .postgres] }
        FileHandle.standardError.write(Data("""
            ⚠️  FREEDOMPAY_TEST_POSTGRES_URL is not set: PostgreSQL store tests are SKIPPED.
               Run: export FREEDOMPAY_TEST_POSTGRES_URL=$(scripts/dev-postgres.sh)

            """.utf8))
        return [.sqlite]
    }
}

/// A fresh, migrated store of the given kind: a temp SQLite file, or a new PostgreSQL database.
struct StoreFixture: Sendable {
    let store: any Store
    let kind: StoreKind
    private let databaseName: String?

    /// `migrations`: a prefix of `Schema.migrations` gives a database as an older version left it.
    static func make(_ kind: StoreKind, migrations: [Migration] = Schema.migrations) async throws -> StoreFixture {
        switch kind {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString).sqlite").path
            let store = try SQLiteStore(path: path)
            try await Schema.migrate(store, migrations: migrations)
            return StoreFixture(store: store, kind: kind, databaseName: nil)
        case .postgres:
            guard let url = StoreKind.postgresURL else {
                Issue.record("CI requires PostgreSQL: FREEDOMPAY_TEST_POSTGRES_URL is not set")
                throw StoreError.unavailable("no PostgreSQL URL")
            }
            let name = "fp_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            let admin = try PostgresStore(url: url, maxConnections: 1)
            try await admin.read { db in try await db.execute("CREATE DATABASE \(name)", []) }
            try await admin.close()
            let store = try PostgresStore(url: Self.url(url, database: name), maxConnections: 40)
            try await Schema.migrate(store, migrations: migrations)
            return StoreFixture(store: store, kind: kind, databaseName: name)
        }
    }

    static func url(_ base: String, database: String) -> String {
        var components = URLComponents(string: base)!
        components.path = "/" + database
        return components.string!
    }

    func tearDown() async {
        try? await store.close()
        if let databaseName, let url = StoreKind.postgresURL, let admin = try? PostgresStore(url: url, maxConnections: 1) {
            _ = try? await admin.read { db in try await db.execute("DROP DATABASE IF EXISTS \(databaseName) WITH (FORCE)", []) }
            try? await admin.close()
        }
    }
}

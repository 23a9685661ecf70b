import Foundation
import FreedomPayCore
import FreedomPayStore
import Testing

/// A migrated SQLite store in a temp folder, removed when the test ends.
struct TempStore {
    let directory: URL
    var path: String { directory.appendingPathComponent("test.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fp-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func open() async throws -> SQLiteStore {
        let store = try SQLiteStore(path: path)
        try await Schema.migrate(store)
        return store
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// Every byte SQLite keeps for this database (main file, WAL, shared memory).
    func allBytes() throws -> Data {
        var data = Data()
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            data.append(try Data(contentsOf: URL(fileURLWithPath: path + suffix)))
        }
        return data
    }
}

/// The Store contract, run against every available store (SQLite always, PostgreSQL when configured).
@Suite struct StoreContractTests {
    static let insertMerchant = "INSERT INTO merchants (id, name, payment_secret_sealed, payout_secret_sealed, created_at) VALUES (?, ?, ?, ?, 0)"

    static func merchantRow(_ id: Int64, _ name: String) -> [SQLValue] { [.integer(id), .text(name), .blob([0]), .blob([0])] }

    @Test(arguments: StoreKind.available)
    func migrationsAreIdempotent(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        defer { Task { await fixture.tearDown() } }
        try await Schema.migrate(fixture.store)
        try await Schema.migrate(fixture.store)
        let applied = try await fixture.store.read { db in try await db.query("SELECT id FROM schema_migrations", []) }
        let ids = try applied.map { try $0.text("id") }
        #expect(ids.count == Schema.migrations.count)
        #expect(Set(ids) == Set(Schema.migrations.map(\.id)))
    }

    @Test(arguments: StoreKind.available)
    func writeRollsBackWhenTheBodyThrows(kind: StoreKind) async throws {
        struct Abort: Error {}
        let fixture = try await StoreFixture.make(kind)
        defer { Task { await fixture.tearDown() } }
        let store = fixture.store
        await #expect(throws: Abort.self) {
            try await store.write { db in
                try await db.execute(Self.insertMerchant, Self.merchantRow(1, "a"))
                try await db.execute(Self.insertMerchant, Self.merchantRow(2, "b"))
                throw Abort()
            }
        }
        #expect(try await store.read { db in try await db.queryOne("SELECT COUNT(*) AS n FROM merchants", [])?.int("n") } == 0)
        // The store is usable afterwards: the failed transaction left no lock behind.
        try await store.write { db in try await db.execute(Self.insertMerchant, Self.merchantRow(3, "c")) }
        #expect(try await store.read { db in try await db.queryOne("SELECT COUNT(*) AS n FROM merchants", [])?.int("n") } == 1)
    }

    @Test(arguments: StoreKind.available)
    func uniqueViolationIsTypedAndRollsBack(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        defer { Task { await fixture.tearDown() } }
        let store = fixture.store
        let insert = "INSERT INTO partners (auth_id, name, secret_sealed, created_at) VALUES (?, ?, ?, 0)"
        try await store.write { db in try await db.execute(insert, ["100001", "first", .blob([0])]) }
        do {
            try await store.write { db in
                try await db.execute(insert, ["100002", "second", .blob([0])])
                try await db.execute(insert, ["100001", "duplicate", .blob([0])])
            }
            Issue.record("a duplicate auth_id was accepted")
        } catch let error as StoreError {
            guard case .uniqueViolation = error else { Issue.record("expected uniqueViolation, got \(error)"); return }
        }
        let names = try await store.read { db in try await db.query("SELECT name FROM partners", []).map { try $0.text("name") } }
        #expect(names == ["first"])
        // Primary keys too.
        do {
            try await store.write { db in
                try await db.execute(Self.insertMerchant, Self.merchantRow(7, "a"))
                try await db.execute(Self.insertMerchant, Self.merchantRow(7, "b"))
            }
            Issue.record("a duplicate primary key was accepted")
        } catch let error as StoreError {
            guard case .uniqueViolation = error else { Issue.record("expected uniqueViolation, got \(error)"); return }
        }
    }

    /// Read-modify-write from many tasks at once (with readers in between): no increment is lost.
    @Test(arguments: StoreKind.available)
    func concurrentWritersLoseNoUpdate(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        defer { Task { await fixture.tearDown() } }
        let store = fixture.store
        try await store.write { db in
            try await db.execute("CREATE TABLE counters (name TEXT PRIMARY KEY, value \(SchemaType.bigint(db.dialect)) NOT NULL)", [])
            try await db.execute("INSERT INTO counters (name, value) VALUES ('hits', 0)", [])
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    try await store.write { db in
                        let value = try await db.queryOne("SELECT value FROM counters WHERE name = 'hits'" + db.dialect.forUpdate, [])?.int("value") ?? -1
                        await Task.yield()
                        try await db.execute("UPDATE counters SET value = ? WHERE name = 'hits'", [.integer(value + 1)])
                    }
                }
                group.addTask {
                    _ = try await store.read { db in try await db.query("SELECT value FROM counters", []) }
                }
            }
            try await group.waitForAll()
        }
        let final = try await store.read { db in try await db.queryOne("SELECT value FROM counters WHERE name = 'hits'", [])?.int("value") }
        #expect(final == 50)
    }
}

/// What only the embedded store has: a file that is closed and reopened, and read snapshots that refuse writes.
@Suite struct SQLiteStoreTests {

    @Test func dataSurvivesCloseAndReopen() async throws {
        let temp = try TempStore()
        defer { temp.remove() }
        let box = SecretBox(current: .generate())
        let credentials = CredentialsRepository(secrets: box)
        let first = try await temp.open()
        let partner = try await first.write { db in try await credentials.createPartner(name: "Durable", in: db) }
        try await first.close()

        let second = try await temp.open()
        let reread = try await second.read { db in try await credentials.partner(authID: partner.authID, in: db) }
        #expect(reread == partner)
        try await second.close()
    }

    @Test func readTransactionsCannotWrite() async throws {
        let temp = try TempStore()
        defer { temp.remove() }
        let store = try await temp.open()
        await #expect(throws: StoreError.self) {
            try await store.read { db in try await db.execute("DELETE FROM partners", []) }
        }
        try await store.close()
    }
}

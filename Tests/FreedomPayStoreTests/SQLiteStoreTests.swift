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

@Suite struct SQLiteStoreTests {
    @Test func migrationsAreIdempotent() async throws {
        let temp = try TempStore()
        defer { temp.remove() }
        let store = try await temp.open()
        try await Schema.migrate(store)
        try await Schema.migrate(store)
        let applied = try await store.read { db in try await db.query("SELECT id FROM schema_migrations ORDER BY id", []) }
        #expect(try applied.map { try $0.text("id") } == Schema.migrations.map(\.id).sorted())
        #expect(Set(Schema.migrations.map(\.id)).count == Schema.migrations.count)
        try await store.close()
    }

    @Test func writeRollsBackWhenTheBodyThrows() async throws {
        struct Abort: Error {}
        let temp = try TempStore()
        defer { temp.remove() }
        let store = try await temp.open()
        await #expect(throws: Abort.self) {
            try await store.write { db in
                try await db.execute("INSERT INTO merchants (id, name, payment_secret_sealed, payout_secret_sealed, created_at) VALUES (1, 'a', x'00', x'00', 0)", [])
                try await db.execute("INSERT INTO merchants (id, name, payment_secret_sealed, payout_secret_sealed, created_at) VALUES (2, 'b', x'00', x'00', 0)", [])
                throw Abort()
            }
        }
        let count = try await store.read { db in try await db.queryOne("SELECT COUNT(*) AS n FROM merchants", [])?.int("n") }
        #expect(count == 0)
        // The store is usable afterwards: the failed transaction left no lock behind.
        try await store.write { db in
            try await db.execute("INSERT INTO merchants (id, name, payment_secret_sealed, payout_secret_sealed, created_at) VALUES (3, 'c', x'00', x'00', 0)", [])
        }
        #expect(try await store.read { db in try await db.queryOne("SELECT COUNT(*) AS n FROM merchants", [])?.int("n") } == 1)
        try await store.close()
    }

    @Test func uniqueViolationIsTypedAndRollsBack() async throws {
        let temp = try TempStore()
        defer { temp.remove() }
        let store = try await temp.open()
        let insert = "INSERT INTO partners (auth_id, name, secret_sealed, created_at) VALUES (?, ?, x'00', 0)"
        try await store.write { db in try await db.execute(insert, ["100001", "first"]) }
        do {
            try await store.write { db in
                try await db.execute(insert, ["100002", "second"])
                try await db.execute(insert, ["100001", "duplicate"])
            }
            Issue.record("a duplicate auth_id was accepted")
        } catch let error as StoreError {
            guard case .uniqueViolation = error else { Issue.record("expected uniqueViolation, got \(error)"); return }
        }
        let names = try await store.read { db in try await db.query("SELECT name FROM partners ORDER BY name", []).map { try $0.text("name") } }
        #expect(names == ["first"])
        // Primary keys too.
        await #expect(throws: StoreError.self) {
            try await store.write { db in
                try await db.execute("INSERT INTO merchants (id, name, payment_secret_sealed, payout_secret_sealed, created_at) VALUES (7, 'a', x'00', x'00', 0)", [])
                try await db.execute("INSERT INTO merchants (id, name, payment_secret_sealed, payout_secret_sealed, created_at) VALUES (7, 'b', x'00', x'00', 0)", [])
            }
        }
        try await store.close()
    }

    /// Read-modify-write from many tasks at once: serialised writers lose no increment.
    @Test func concurrentWritersLoseNoUpdate() async throws {
        let temp = try TempStore()
        defer { temp.remove() }
        let store = try await temp.open()
        try await store.write { db in
            try await db.execute("CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)", [])
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
        try await store.close()
    }

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

import Foundation
import FreedomPayCore
import FreedomPayStore
import Testing

/// Concurrent writes share one COMMIT on SQLite; a failing member must roll back alone.
@Suite struct GroupCommitTests {
    struct Refused: Error {}

    @Test(arguments: StoreKind.available)
    func aFailingWriteRollsBackOnlyItself(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        defer { Task { await fixture.tearDown() } }
        let store = fixture.store
        try await store.write { db in
            try await db.execute("CREATE TABLE gc_probe (id INTEGER PRIMARY KEY, note TEXT NOT NULL)", [])
        }
        let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            for index in 0..<60 {
                group.addTask {
                    do {
                        try await store.write { db in
                            try await db.execute("INSERT INTO gc_probe (id, note) VALUES (?, ?)", [.integer(Int64(index)), .text("n\(index)")])
                            if index % 5 == 0 { throw Refused() }
                        }
                        return (index, true)
                    } catch is Refused {
                        return (index, false)
                    }
                }
            }
            return try await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        let stored = try await store.read { db in try await db.query("SELECT id FROM gc_probe ORDER BY id", []) }.map { try $0.int("id") }
        let acknowledged = outcomes.filter(\.value).keys.sorted().map(Int64.init)
        #expect(stored == acknowledged)
        #expect(stored.count == 48)
    }

    @Test(arguments: StoreKind.available)
    func aUniqueViolationIsReportedToItsWriterOnly(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        defer { Task { await fixture.tearDown() } }
        let store = fixture.store
        try await store.write { db in try await db.execute("CREATE TABLE gc_unique (id TEXT PRIMARY KEY)", []) }
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    do {
                        try await store.write { db in try await db.execute("INSERT INTO gc_unique (id) VALUES ('same')", []) }
                        return true
                    } catch StoreError.uniqueViolation {
                        return false
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 1)
        let count = try await store.read { db in try await db.queryOne("SELECT COUNT(*) AS n FROM gc_unique", []) }
        #expect(try count?.int("n") == 1)
    }
}

import Foundation
import FreedomPayCore
@testable import FreedomPayStore
import Testing

/// Values are bound in place (SQLite does not copy them): whatever is written must read back byte for byte, on the
/// writer's own statements and on the readers', also when one statement runs again with other values.
@Suite struct SQLiteBindingTests {
    static let insert = "INSERT INTO merchants (id, name, payment_secret_sealed, payout_secret_sealed, created_at) VALUES (?, ?, ?, ?, ?)"
    static let select = "SELECT id, name, payment_secret_sealed, payout_secret_sealed, created_at FROM merchants WHERE id = ? AND name = ?"

    @Test func everyKindOfValueReadsBackAsWritten() async throws {
        let temp = try TempStore()
        defer { temp.remove() }
        let store = try await temp.open()
        let names = ["", "plain", "юникод ✓ 🚀", String(repeating: "long text ", count: 2_000), "nul\u{0}inside"]
        let blobs: [[UInt8]] = [[], [0], Array(0...255), [UInt8](repeating: 7, count: 100_000), [1, 2, 3]]
        try await store.write { db in
            for (index, name) in names.enumerated() {
                try await db.execute(Self.insert, [.integer(Int64(index + 1)), .text(name), .blob(blobs[index]), .blob([UInt8(index)]), .integer(Int64.min + Int64(index))])
            }
        }
        for (index, name) in names.enumerated() {
            let binds: [SQLValue] = [.integer(Int64(index + 1)), .text(name)]
            let written = try await store.write { db in try await db.query(Self.select, binds) }
            let read = try await store.read { db in try await db.query(Self.select, binds) }
            for rows in [written, read] {
                let row = try #require(rows.first, "row \(index + 1) found by its name")
                #expect(try row.text("name") == name)
                #expect(try row.blob("payment_secret_sealed") == blobs[index])
                #expect(try row.blob("payout_secret_sealed") == [UInt8(index)])
                #expect(try row.int("created_at") == Int64.min + Int64(index))
            }
        }
        // A name that is only a prefix of a stored one matches nothing.
        let prefix = try await store.read { db in try await db.query(Self.select, [.integer(4), .text("long text")]) }
        #expect(prefix.isEmpty)
        try await store.close()
    }

    /// The writer keeps each query's column names with its prepared statement; a schema change (a script through
    /// the writer) must not leave it answering under the old names.
    @Test func columnNamesFollowASchemaChange() async throws {
        let temp = try TempStore()
        defer { temp.remove() }
        let store = try await temp.open()
        try await store.write { db in
            try await db.execute("CREATE TABLE scratch (id INTEGER PRIMARY KEY, label TEXT NOT NULL)", [])
            try await db.execute("INSERT INTO scratch (id, label) VALUES (1, 'first')", [])
        }
        let before = try await store.write { db in try await db.query("SELECT * FROM scratch", []) }
        #expect(try before.first?.text("label") == "first")
        try await store.write { db in
            try await db.execute("ALTER TABLE scratch RENAME COLUMN label TO title", [])
            try await db.execute("ALTER TABLE scratch ADD COLUMN note TEXT NOT NULL DEFAULT 'n'", [])
        }
        let after = try await store.write { db in try await db.query("SELECT * FROM scratch", []) }
        let row = try #require(after.first)
        #expect(row.columns == ["id", "title", "note"])
        #expect(try row.text("title") == "first")
        #expect(try row.text("note") == "n")
        try await store.close()
    }
}

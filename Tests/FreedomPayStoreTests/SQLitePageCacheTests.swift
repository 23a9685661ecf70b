import Foundation
import FreedomPayCore
@testable import FreedomPayStore
import Testing

/// The page cache wrapper (`SQLitePageCache`) answers a commit's cache truncation itself when nothing in the cache
/// lies past the end of the database, and passes it on otherwise. What must hold: commits after page splits skip
/// the walk, a rolled-back growth of the file still leaves the cache, and everything reads back exactly.
@Suite struct SQLitePageCacheTests {
    static let insert = "INSERT INTO scratch (k, v) VALUES (?, ?)"

    static func randomRows(_ count: Int, size: ClosedRange<Int>, byte: UInt8? = nil) -> [(String, [UInt8])] {
        (0..<count).map { _ in
            (UUID().uuidString, [UInt8](repeating: byte ?? UInt8.random(in: 0...255), count: Int.random(in: size)))
        }
    }

    @Test func splitsGrowthAndRollbacksReadBackExactly() async throws {
        let temp = try TempStore()
        defer { temp.remove() }
        var store = try await temp.open()
        #expect(SQLitePageCache.isInstalled, "the first store of the process configures the page cache")
        try await store.write { db in try await db.execute("CREATE TABLE scratch (k TEXT PRIMARY KEY, v BLOB NOT NULL)", []) }
        var expected: [String: [UInt8]] = [:]

        // Random keys: leaf splits that reorder pages, each parking a page at the temporary page number.
        let before = SQLitePageCache.truncations
        for _ in 0..<40 {
            let rows = Self.randomRows(50, size: 10...300)
            try await store.write { db in
                for (key, value) in rows { try await db.execute(Self.insert, [.text(key), .blob(value)]) }
            }
            for (key, value) in rows { expected[key] = value }
        }
        let afterCommits = SQLitePageCache.truncations
        #expect(afterCommits.skipped > before.skipped, "commits after page splits are answered without walking the cache")

        // A growth of the file, rolled back: its pages must leave the cache...
        let cachedBefore = store.writerPageCacheBytes()
        await #expect(throws: StoreError.self) {
            try await store.write { db in
                for index in 0..<200 {
                    try await db.execute(Self.insert, [.text("gone-\(index)"), .blob([UInt8](repeating: 7, count: 4000))])
                }
                throw StoreError.failed("refused after growing the file")
            }
        }
        #expect(SQLitePageCache.truncations.passedOn > afterCommits.passedOn, "a rolled-back growth is truncated from the cache")
        // ~400 pages were added past the end (800 KiB); what stays is at most a few pages the rollback read.
        #expect(store.writerPageCacheBytes() < cachedBefore + 64 * 1024, "the rolled-back pages left the writer's cache")

        // ...and the next growth reuses those page numbers with its own content: group-commit members side by side,
        // one of them refused after writing.
        let live = store
        let committed = try await withThrowingTaskGroup(of: [(String, [UInt8])].self) { group in
            for member in 0..<8 {
                group.addTask {
                    let rows = Self.randomRows(30, size: 1000...2000, byte: UInt8(member + 1))
                    do {
                        try await live.write { db in
                            for (key, value) in rows { try await db.execute(Self.insert, [.text(key), .blob(value)]) }
                            if member == 3 { throw StoreError.failed("member refused") }
                        }
                        return rows
                    } catch StoreError.failed(_) {
                        return []
                    }
                }
            }
            return try await group.reduce(into: [(String, [UInt8])]()) { $0 += $1 }
        }
        #expect(committed.count == 7 * 30)
        for (key, value) in committed { expected[key] = value }

        for reopened in [false, true] {
            if reopened {
                try await store.close()
                store = try SQLiteStore(path: temp.path)
            }
            let check = try await store.read { db in try await db.query("PRAGMA integrity_check", []) }
            #expect(try check.first?.text("integrity_check") == "ok", "reopened: \(reopened)")
            let rows = try await store.read { db in try await db.query("SELECT k, v FROM scratch", []) }
            var found: [String: [UInt8]] = [:]
            for row in rows { found[try row.text("k")] = try row.blob("v") }
            #expect(found == expected, "every committed row and nothing else (reopened: \(reopened))")
        }
        try await store.close()
    }
}

import Foundation
import FreedomPayCore
@testable import FreedomPayStore
import Testing

/// The WAL's frames are collected per commit and written in one go (`SQLiteWALWriteCoalescing`): a commit must
/// still be in the WAL file when COMMIT returns, and transactions larger than the buffer, or rolled back after
/// part of them was written, must read back exactly as committed.
@Suite struct SQLiteWALWriteCoalescingTests {
    static let insert = "INSERT INTO merchants (id, name, payment_secret_sealed, payout_secret_sealed, created_at) VALUES (?, ?, ?, ?, 0)"

    static func walBytes(_ temp: TempStore) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: temp.path + "-wal"))
    }

    @Test func aCommitIsInTheWALFileWhenTheWriteReturns() async throws {
        let temp = try TempStore()
        defer { temp.remove() }
        let store = try await temp.open()
        for round in 0..<5 {
            let marker = "marker-\(round)-\(UUID().uuidString)"
            try await store.write { db in
                try await db.execute(Self.insert, [.integer(Int64(100 + round)), .text(marker), .blob([1]), .blob([2])])
            }
            // Read through a descriptor of our own, as the flusher and other processes do: the frames must be there.
            #expect(try Self.walBytes(temp).range(of: Data(marker.utf8)) != nil, "round \(round): the commit is not in the WAL file")
        }
        try await store.close()
    }

    @Test func largeAndRolledBackTransactionsReadBackExactlyAsCommitted() async throws {
        let temp = try TempStore()
        defer { temp.remove() }
        var store = try await temp.open()
        // ~12 MiB in one transaction: more than the buffer holds, so part of it is written before the commit frame.
        let big = (0..<12).map { index in [UInt8](repeating: UInt8(index + 1), count: 1 << 20) }
        try await store.write { db in
            for (index, bytes) in big.enumerated() {
                try await db.execute(Self.insert, [.integer(Int64(index + 1)), .text("big-\(index)"), .blob(bytes), .blob([0])])
            }
        }
        // As large again, then refused: its frames may already be in the file, but they never commit.
        await #expect(throws: StoreError.self) {
            try await store.write { db in
                for index in 0..<12 {
                    try await db.execute(Self.insert, [.integer(Int64(100 + index)), .text("gone-\(index)"), .blob(big[index]), .blob([0])])
                }
                throw StoreError.failed("refused after writing")
            }
        }
        try await store.write { db in try await db.execute(Self.insert, [.integer(50), .text("after"), .blob([5]), .blob([0])]) }

        for reopened in [false, true] {
            if reopened {
                try await store.close()
                store = try SQLiteStore(path: temp.path)
            }
            let rows = try await store.read { db in
                try await db.query("SELECT id, name, payment_secret_sealed FROM merchants WHERE id BETWEEN 1 AND 200 ORDER BY id", [])
            }
            #expect(try rows.map { try $0.int("id") } == Array(1...12) + [50], "reopened: \(reopened)")
            for row in rows where try row.int("id") <= 12 {
                let index = Int(try row.int("id")) - 1
                #expect(try row.blob("payment_secret_sealed") == big[index], "row \(index + 1) reads back whole (reopened: \(reopened))")
            }
        }
        try await store.close()
    }
}

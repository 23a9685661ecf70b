import ArgumentParser
import Foundation
import FreedomPayCore
import FreedomPayStore

/// In-process ledger postings against a fresh SQLite file, with fsync on every commit. Concurrent
/// callers are group-committed by the store; the baseline writes the same rows without ledger rules.
struct LedgerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ledger", abstract: "Ledger postings per second on SQLite.")

    @Option(help: "Postings to write.") var postings = 20_000
    @Option(help: "Concurrent writers (each write is its own transaction; the store groups their commits).") var concurrency = 64
    @Option(help: "Postings per transaction.") var batch = 1
    @Option(help: "Accounts the postings spread over.") var accounts = 100

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fp-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let baselineStore = try SQLiteStore(path: directory.appendingPathComponent("baseline.sqlite").path)
        try await baselineStore.write { db in
            try await db.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, account TEXT NOT NULL, amount INTEGER NOT NULL)", [])
        }
        let transactions = postings / batch
        let baseline = try await measure("baseline: 3 plain rows per posting", count: transactions, concurrency: concurrency) { index in
            try await baselineStore.write { db in
                for item in 0..<batch {
                    for leg in 0..<3 {
                        try await db.execute("INSERT INTO rows (account, amount) VALUES (?, ?)", [.text("a\((index + item) % 100)"), .integer(Int64(leg))])
                    }
                }
            }
        }

        let store = try SQLiteStore(path: directory.appendingPathComponent("ledger.sqlite").path)
        try await Schema.migrate(store)
        let ledger = LedgerRepository()
        let cards = (0..<accounts).map { AccountKey.card("bench-\($0)", .kzt) }
        try await store.write { db in
            for card in cards {
                try await ledger.openAccount(card, overdraftLimitMinor: .some(nil), in: db)
            }
        }
        let accounts = self.accounts
        let ledgerRun = try await measure("ledger postings (balanced, checked)", count: transactions, concurrency: concurrency) { index in
            try await store.write { db in
                for item in 0..<batch {
                    let number = index * batch + item
                    try await ledger.post(
                        try Posting.transfer(
                            id: "p\(number)", kind: "bench", amountMinor: Int64(number % 5_000 + 1),
                            from: cards[number % accounts], to: cards[(number * 7 + 3) % accounts]),
                        in: db)
                }
            }
        }
        let violations = try await store.read { db in try await LedgerAudit().violations(in: db) }

        print("freedompay-bench ledger --postings \(postings) --concurrency \(concurrency) --batch \(batch) --accounts \(accounts)")
        print(baseline.report(unit: "tx"))
        print(ledgerRun.report(unit: "tx"))
        print(String(format: "ledger postings/s: %.0f   (ratio to baseline transactions: %.2f)   invariant violations: %d",
                     Double(postings) / ledgerRun.seconds, ledgerRun.throughput / baseline.throughput, violations.count))
        try await store.close()
        try await baselineStore.close()
        if !violations.isEmpty { throw ExitCode(1) }
    }
}

import ArgumentParser
import Foundation
import Synchronization
import FreedomPayCore
import FreedomPayStore

/// In-process ledger postings against a fresh SQLite file (every commit's WAL fdatasynced before `write` returns).
/// Each transaction writes `--batch` postings through the bulk API (`LedgerRepository.post(_ postings:)`);
/// concurrent writers are group-committed by the store. The baseline writes plain rows (3 per posting, one
/// INSERT each, same transaction size) into a table without ledger rules, in the same run.
///
/// The per-account history index is built as `serve` builds it (`--history alongside`: the same loop, back to
/// back while batches are full, else every 250 ms, sharing the writer with the postings), or only after the
/// postings (`--history after`). Either way the rest is indexed after the timed phase and that time is
/// printed, with the throughput that counts it.
struct LedgerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ledger", abstract: "Ledger postings per second on SQLite.")

    @Option(help: "Postings to write.") var postings = 200_000
    @Option(help: "Concurrent writers (each write is its own transaction; the store groups their commits).") var concurrency = 4
    @Option(help: "Postings per transaction (1: one `post` per transaction).") var batch = 1_000
    @Option(help: "Accounts the postings spread over.") var accounts = 100
    @Option(help: "When the per-account history index is built: alongside (as the server does) or after.") var history: HistoryMode = .alongside

    enum HistoryMode: String, ExpressibleByArgument { case alongside, after }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fp-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let transactions = postings / batch
        let batch = self.batch

        let baselineStore = try SQLiteStore(path: directory.appendingPathComponent("baseline.sqlite").path)
        try await baselineStore.write { db in
            try await db.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, account TEXT NOT NULL, amount INTEGER NOT NULL)", [])
        }
        let baseline = try await measure("baseline: plain rows, 3 per posting", count: transactions, concurrency: concurrency) { index in
            try await baselineStore.write { db in
                for item in 0..<(batch * 3) {
                    try await db.execute("INSERT INTO rows (account, amount) VALUES (?, ?)", [.text("a\((index + item) % 100)"), .integer(Int64(item))])
                }
            }
        }

        let store = try SQLiteStore(path: directory.appendingPathComponent("ledger.sqlite").path)
        try await Schema.migrate(store)
        let ledger = LedgerRepository()
        let cards = (0..<accounts).map { AccountKey.card("bench-\($0)", .kzt) }
        try await store.write { db in
            for card in cards { try await ledger.openAccount(card, overdraftLimitMinor: .some(nil), in: db) }
        }
        let accounts = self.accounts
        let stopIndexing = StopFlag()
        let indexing = history == .alongside ? Task { try await Self.indexLikeTheServer(store, until: stopIndexing) } : nil
        let ledgerRun = try await measure("ledger postings (balanced, checked)", count: transactions, concurrency: concurrency) { index in
            let postings = try (0..<batch).map { item in
                let number = index * batch + item
                return try Posting.transfer(
                    id: "p\(number)", kind: "bench", amountMinor: Int64(number % 5_000 + 1),
                    from: cards[number % accounts], to: cards[(number * 7 + 3) % accounts])
            }
            let prepared = try PostingBatch(postings)
            try await store.write { db in try await ledger.post(prepared, in: db) }
        }
        stopIndexing.raise()
        let indexedAlongside = try await indexing?.value ?? 0
        let catchUpStart = ContinuousClock.now
        try await LedgerHistoryIndexer().catchUp(in: store)
        let catchUp = ContinuousClock.now - catchUpStart
        let catchUpSeconds = catchUp.seconds
        let violations = try await store.read { db in try await LedgerAudit().violations(in: db) }
        let stored = try await store.read { db in try await db.queryOne("SELECT COUNT(*) AS n FROM ledger_journal", [])?.int("n") ?? 0 }

        let rate = Double(transactions * batch) / ledgerRun.seconds
        print("freedompay-bench ledger --postings \(postings) --concurrency \(concurrency) --batch \(batch) --accounts \(accounts) --history \(history.rawValue)")
        print(baseline.report(unit: "tx"))
        print(ledgerRun.report(unit: "tx"))
        print(String(format: "baseline rows/s: %.0f   ledger postings/s: %.0f (target ≥ 300,000: %@)   postings/s ÷ baseline rows/s: %.2f",
                     Double(transactions * batch * 3) / baseline.seconds, rate, rate >= 300_000 ? "met" : "NOT met",
                     rate / (Double(transactions * batch * 3) / baseline.seconds)))
        print(String(format: "history index: %d postings indexed during the run, the other %d after it in %.3f s; postings/s counting that: %.0f",
                     indexedAlongside, transactions * batch - indexedAlongside, catchUpSeconds,
                     Double(transactions * batch) / (ledgerRun.seconds + catchUpSeconds)))
        print("postings stored: \(stored) of \(transactions * batch)   invariant violations: \(violations.count)")
        try await store.close()
        try await baselineStore.close()
        if !violations.isEmpty || stored != transactions * batch { throw ExitCode(1) }
    }

    /// The server's indexing loop (`LedgerHistoryIndexing`): returns how many postings it indexed once stopped.
    private static func indexLikeTheServer(_ store: any Store, until stop: StopFlag) async throws -> Int {
        var indexed = 0
        while !stop.isRaised {
            let count = try await LedgerHistoryIndexer().indexPending(in: store, maxPostings: 20_000)
            indexed += count
            if count < 20_000 {
                for _ in 0..<25 where !stop.isRaised { try await Task.sleep(for: .milliseconds(10)) }
            }
        }
        return indexed
    }
}

/// Stops a background loop between its steps (cancelling it could interrupt a store call half-way).
final class StopFlag: Sendable {
    private let raised = Mutex(false)
    var isRaised: Bool { raised.withLock { $0 } }
    func raise() { raised.withLock { $0 = true } }
}

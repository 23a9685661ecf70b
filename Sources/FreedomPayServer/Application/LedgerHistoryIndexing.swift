import FreedomPayCore
import ServiceLifecycle

/// Keeps the ledger's per-account history index close behind the journal (`LedgerHistoryIndexer`): runs
/// back to back while postings are pending in full batches, else every `ledgerHistoryIntervalMs`. Statements
/// are exact without it (they read the unindexed tail); it keeps that tail, and so their cost, small.
/// Several instances may run it: runs serialise on the progress row.
public struct LedgerHistoryIndexing: Service {
    let services: AppServices
    static let batchSize = 20_000

    public init(services: AppServices) { self.services = services }

    public func run() async throws {
        try await runSweepLoop("ledger history", services: services, batchSize: Self.batchSize,
                               intervalMs: services.configuration.ledgerHistoryIntervalMs) {
            try await LedgerHistoryIndexer().indexPending(in: services.store, maxPostings: Self.batchSize)
        }
    }
}

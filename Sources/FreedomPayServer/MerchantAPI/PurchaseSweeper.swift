import FreedomPayCore
import ServiceLifecycle

/// Background pass over purchases that time alone changes: unpaid payments past `pg_lifetime` expire (and get
/// their Result notify), held payments are cleared after 5 days (merchant-api.md §3.3, §4.1). Started with the
/// server; bounded batches; several instances may run it (each batch is one transaction over locked rows).
public struct PurchaseSweeper: Service {
    let services: AppServices
    static let batchSize = 100

    public init(services: AppServices) { self.services = services }

    public func run() async throws {
        try await runSweepLoop("purchase", services: services, batchSize: Self.batchSize) { try await sweepOnce() }
    }

    /// One batch; returns how many payments changed.
    @discardableResult
    public func sweepOnce() async throws -> Int {
        let now = services.clock.now()
        return try await services.store.write { db in
            try await services.purchases.sweep(now: now, limit: Self.batchSize, in: db)
        }
    }
}

import FreedomPayCore
import ServiceLifecycle

/// Background pass that finishes payouts whose sandbox processing delay has passed ("process, then success /
/// error", merchant-api.md §6.2): final state, money back on failure and the payout notify, in one transaction.
public struct PayoutSweeper: Service {
    let services: AppServices
    static let batchSize = 100

    public init(services: AppServices) { self.services = services }

    public func run() async throws {
        try await runSweepLoop("payout", services: services, batchSize: Self.batchSize) { try await sweepOnce() }
    }

    /// One batch; returns how many payouts changed.
    @discardableResult
    public func sweepOnce() async throws -> Int {
        let now = services.clock.now()
        return try await services.store.write { db in
            try await services.payouts.sweep(now: now, limit: Self.batchSize, in: db)
        }
    }
}

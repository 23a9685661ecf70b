import Logging
import ServiceLifecycle

/// The loop of the background sweepers (purchases, payouts): one bounded batch per transaction, the next batch at
/// once while batches come back full, else a pause of `intervalMs` (default `purchaseSweepIntervalMs`); a failed batch is logged and
/// retried after the pause, never fatal; ends with the server's graceful shutdown.
func runSweepLoop(
    _ name: String, services: AppServices, batchSize: Int, intervalMs: Int64? = nil, sweepOnce: @escaping @Sendable () async throws -> Int) async throws {
    try await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            do {
                if try await sweepOnce() == batchSize { continue }
            } catch is CancellationError {
                return
            } catch {
                services.logger.error("\(name) sweep failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .milliseconds(min(max(intervalMs ?? services.configuration.purchaseSweepIntervalMs, 10), 3_600_000)))
        }
    }
}

import FreedomPayCore
import Logging
import Metrics
import PostgresNIO
import Synchronization

/// Experimental group commit for PostgreSQL (off unless `FREEDOMPAY_POSTGRES_GROUP_COMMIT=<lanes>`): like
/// `SQLiteGroupCommit`, concurrent `write` bodies run one after another in one transaction, each in its own
/// SAVEPOINT, made durable by one COMMIT. Up to `lanes` batches run at once on separate connections.
/// A body that fails (including a deadlock victim) rolls back to its savepoint only; the store's retry loop
/// re-runs retryable failures in a later batch.
final class PostgresGroupCommit: Sendable {
    typealias Body = @Sendable (any SQLExecutor) async throws -> any Sendable

    private struct Job: Sendable {
        let body: Body
        let continuation: CheckedContinuation<any Sendable, any Error>
    }

    private struct State {
        var queue: [Job] = []
        var leaders = 0
    }

    private let state = Mutex(State())
    private let client: PostgresClient
    private let logger: Logger
    let lanes: Int
    let maxBatch: Int

    init(client: PostgresClient, logger: Logger, lanes: Int, maxBatch: Int = 64) {
        self.client = client
        self.logger = logger
        self.lanes = max(1, lanes)
        self.maxBatch = maxBatch
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        let value = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any Sendable, any Error>) in
            let lead = state.withLock { state -> Bool in
                state.queue.append(Job(body: { try await body($0) }, continuation: continuation))
                guard state.leaders < lanes else { return false }
                state.leaders += 1
                return true
            }
            if lead { Task { await self.drain() } }
        }
        guard let typed = value as? T else { throw StoreError.failed("group commit returned an unexpected type") }
        return typed
    }

    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Job] in
                let taken = Array(state.queue.prefix(maxBatch))
                state.queue.removeFirst(taken.count)
                if taken.isEmpty { state.leaders -= 1 }
                return taken
            }
            if batch.isEmpty { return }
            let ran = RanFlag()
            do {
                try await PostgresBridge.mapErrors {
                    try await client.withConnection { connection in
                        ran.set()
                        await self.run(batch, on: PostgresExecutor(connection: connection, logger: self.logger))
                    }
                }
            } catch {
                // Only a failure to lease a connection lands here; `run` resumed everyone otherwise.
                if !ran.isSet { batch.forEach { $0.continuation.resume(throwing: error) } }
            }
        }
    }

    private func run(_ batch: [Job], on executor: PostgresExecutor) async {
        Recorder(label: "freedompay_store_batch_size", dimensions: [("store", "postgres")]).record(batch.count)
        do {
            try await executor.execute("BEGIN", [])
        } catch {
            batch.forEach { $0.continuation.resume(throwing: error) }
            return
        }
        var results: [Result<any Sendable, any Error>] = []
        results.reserveCapacity(batch.count)
        for job in batch {
            results.append(await runInSavepoint(job.body, on: executor))
        }
        do {
            try await executor.execute("COMMIT", [])
        } catch {
            try? await executor.execute("ROLLBACK", [])
            batch.forEach { $0.continuation.resume(throwing: error) }
            return
        }
        for (job, result) in zip(batch, results) { job.continuation.resume(with: result) }
    }

    private func runInSavepoint(_ body: Body, on executor: PostgresExecutor) async -> Result<any Sendable, any Error> {
        do {
            try await executor.execute("SAVEPOINT member", [])
        } catch {
            return .failure(error)
        }
        do {
            let value = try await body(executor)
            try await executor.execute("RELEASE SAVEPOINT member", [])
            return .success(value)
        } catch {
            try? await executor.execute("ROLLBACK TO SAVEPOINT member", [])
            try? await executor.execute("RELEASE SAVEPOINT member", [])
            return .failure(error)
        }
    }
}

private final class RanFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}

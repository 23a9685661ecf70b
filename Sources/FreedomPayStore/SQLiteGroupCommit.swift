import Dispatch
import FreedomPayCore
import Metrics
import Synchronization

/// Group commit for SQLite: concurrent write transactions are run one after another inside a single
/// SQLite transaction (each in its own SAVEPOINT, so one failing body rolls back only itself) and committed
/// together; `SQLiteWALFlusher` then makes the batch durable with one fdatasync and only then resumes its
/// callers, so an acknowledged write is on disk, throughput no longer stops at one fsync per request, and
/// the next batch runs while the previous one is being flushed.
///
/// There is no background task: the caller that finds no batch running becomes the leader and drains
/// the queue; later arrivals join the next batch.
final class SQLiteGroupCommit: Sendable {
    typealias Body = @Sendable (any SQLExecutor) async throws -> any Sendable

    private struct Job: Sendable {
        let body: Body
        let continuation: CheckedContinuation<any Sendable, any Error>
    }

    private struct State {
        var queue: [Job] = []
        var draining = false
    }

    private let state = Mutex(State())
    private let executor: SQLiteWriteExecutor
    private let flusher: SQLiteWALFlusher
    private let writer = SQLiteWriterThread(name: "fp-sqlite-write")
    /// Upper bound on transactions per COMMIT: bounds the latency a batch adds to its first member.
    let maxBatch: Int

    /// Told after every successful COMMIT (the background checkpointer).
    private let onCommit: @Sendable () -> Void

    init(executor: SQLiteWriteExecutor, flusher: SQLiteWALFlusher, maxBatch: Int = 256, onCommit: @escaping @Sendable () -> Void = {}) {
        self.executor = executor
        self.flusher = flusher
        self.onCommit = onCommit
        self.maxBatch = maxBatch
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        let value = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any Sendable, any Error>) in
            let lead = state.withLock { state -> Bool in
                state.queue.append(Job(body: { try await body($0) }, continuation: continuation))
                if state.draining { return false }
                state.draining = true
                return true
            }
            if lead { Task(executorPreference: writer) { await self.drain() } }
        }
        guard let typed = value as? T else { throw StoreError.failed("group commit returned an unexpected type") }
        return typed
    }

    /// Lets the writer thread end (the store is closing; no write may follow).
    func close() {
        writer.stop()
    }

    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Job] in
                let taken = Array(state.queue.prefix(maxBatch))
                state.queue.removeFirst(taken.count)
                if taken.isEmpty { state.draining = false }
                return taken
            }
            if batch.isEmpty { return }
            await run(batch)
        }
    }

    /// Runs one batch without suspending: BEGIN and COMMIT are synchronous like every statement (COMMIT no longer
    /// waits on the disk, `SQLiteWALFlusher` does; checkpoints run in the background), so the writer, the one
    /// serial stage, never queues behind request tasks for a cooperative thread in the middle of a batch.
    private func run(_ first: [Job]) async {
        var batch = first
        let started = DispatchTime.now().uptimeNanoseconds
        defer {
            // How long the writer is held per batch, BEGIN to COMMIT: the serial stage of every write.
            Metrics.Timer(label: "freedompay_store_batch_seconds", dimensions: [("store", "sqlite")])
                .recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - started))
        }
        if let failure = flusher.failure {
            batch.forEach { $0.continuation.resume(throwing: failure) }
            return
        }
        do {
            try await executor.execute("BEGIN IMMEDIATE", [])
        } catch {
            batch.forEach { $0.continuation.resume(throwing: error) }
            return
        }
        var results: [Result<any Sendable, any Error>] = []
        results.reserveCapacity(batch.count)
        for job in batch {
            results.append(await runInSavepoint(job.body))
        }
        // Writes that arrived meanwhile join this transaction (up to `maxBatch`): one commit fewer, so the
        // pages every debit touches are written to the WAL once for more transactions.
        while batch.count < maxBatch {
            let more = state.withLock { state -> [Job] in
                let taken = Array(state.queue.prefix(maxBatch - batch.count))
                state.queue.removeFirst(taken.count)
                return taken
            }
            if more.isEmpty { break }
            for job in more { results.append(await runInSavepoint(job.body)) }
            batch += more
        }
        Recorder(label: "freedompay_store_batch_size", dimensions: [("store", "sqlite")]).record(batch.count)
        do {
            try await executor.execute("COMMIT", [])
        } catch {
            _ = try? await executor.execute("ROLLBACK", [])
            batch.forEach { $0.continuation.resume(throwing: error) }
            return
        }
        onCommit()
        flusher.acknowledgeWhenDurable(zip(batch, results).map { (continuation: $0.continuation, result: $1) })
    }

    /// One caller's transaction: its writes stay if it returns, vanish if it throws.
    private func runInSavepoint(_ body: Body) async -> Result<any Sendable, any Error> {
        do {
            try await executor.execute("SAVEPOINT member", [])
        } catch {
            return .failure(error)
        }
        do {
            let value = try await body(executor)
            try await executor.execute("RELEASE member", [])
            return .success(value)
        } catch {
            _ = try? await executor.execute("ROLLBACK TO member", [])
            _ = try? await executor.execute("RELEASE member", [])
            return .failure(error)
        }
    }
}

import Dispatch
import Synchronization
import FreedomPayCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes committed write-ahead-log frames durable and only then resumes their callers.
///
/// The writer connection commits with `synchronous=NORMAL` (frames written to the WAL, not yet synced), hands
/// the batch here and goes straight on with the next batch; this flushes the WAL file with one `fdatasync` per
/// round for every batch committed before the round began. So the disk flush of batch N overlaps the execution
/// of batch N+1, where `synchronous=FULL` made the single writer wait for every flush. An answer still leaves
/// only after its frames are on disk; what changes is that another request can *read* a committed change a few
/// milliseconds before it is durable (a crash in that window loses it, and no caller was told it succeeded).
final class SQLiteWALFlusher: Sendable {
    typealias Completion = (continuation: CheckedContinuation<any Sendable, any Error>, result: Result<any Sendable, any Error>)

    private struct State {
        var waiting: [Completion] = []
        var flushing = false
        /// Set once a flush failed: the WAL's state on disk is unknown, so no further write is accepted.
        var broken: StoreError?
    }

    private let state = Mutex(State())
    /// One durable flush; nil on success. Blocks its thread.
    private let flush: @Sendable () -> StoreError?
    /// fdatasync blocks its thread: it runs here, never on the cooperative pool.
    private let queue = DispatchQueue(label: "freedompay.sqlite.wal-flush")

    init(databasePath: String) {
        let walPath = databasePath + "-wal"
        flush = { Self.flush(walPath) }
    }

    /// A flusher whose flush is `flush` (tests hold it back or make it fail).
    init(flush: @escaping @Sendable () -> StoreError?) {
        self.flush = flush
    }

    /// Why the store refuses writes, once a flush has failed.
    var failure: StoreError? { state.withLock { $0.broken } }

    /// Resumes `completions` once everything committed so far is on disk.
    func acknowledgeWhenDurable(_ completions: [Completion]) {
        let start = state.withLock { state -> Bool in
            state.waiting.append(contentsOf: completions)
            if state.flushing { return false }
            state.flushing = true
            return true
        }
        if start { queue.async { self.flushRounds() } }
    }

    private func flushRounds() {
        while true {
            // Everything taken here was committed before this round's fdatasync starts, so the round covers it.
            let round = state.withLock { state -> [Completion] in
                let taken = state.waiting
                state.waiting = []
                if taken.isEmpty { state.flushing = false }
                return taken
            }
            if round.isEmpty { return }
            let failure = flush()
            if let failure { state.withLock { $0.broken = $0.broken ?? failure } }
            for completion in round {
                if let failure { completion.continuation.resume(throwing: failure) } else { completion.continuation.resume(with: completion.result) }
            }
        }
    }

    /// One durable flush of the WAL file (any descriptor of the file flushes its data).
    private static func flush(_ walPath: String) -> StoreError? {
        let descriptor = open(walPath, O_RDONLY)
        guard descriptor >= 0 else { return .unavailable("cannot open \(walPath) to flush it (errno \(errno)); restart the server") }
        defer { close(descriptor) }
        #if canImport(Glibc)
        let code = fdatasync(descriptor)
        #else
        let code = fsync(descriptor)
        #endif
        return code == 0 ? nil : .unavailable("flushing the write-ahead log failed (errno \(errno)); restart the server")
    }
}

import Dispatch
import Synchronization
import FreedomPayCore
import Metrics
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
/// of batch N+1, where `synchronous=FULL` made the single writer wait for every flush. Up to `maxRoundsInFlight`
/// rounds run at once (the kernel merges concurrent flushes, so a batch need not wait for the round before it
/// to end), but rounds are answered in commit order, and only if every earlier round succeeded: a batch built on
/// an earlier batch's writes is never acknowledged unless those are on disk too.
///
/// An answer leaves only after its frames are on disk; what changes is that another request can *read* a
/// committed change a few milliseconds before it is durable (a crash in that window loses it, and no caller
/// was told it succeeded).
final class SQLiteWALFlusher: Sendable {
    typealias Completion = (continuation: CheckedContinuation<any Sendable, any Error>, result: Result<any Sendable, any Error>)

    private struct Round {
        var number: Int
        var lane: Int
        var completions: [Completion]
    }

    private struct State {
        var waiting: [Completion] = []
        /// Flush lanes not running a round (each lane is one serial queue).
        var freeLanes: [Int]
        /// Rounds are numbered in commit order; `finished` holds rounds done before an earlier one.
        var nextRound = 0
        var nextToAnswer = 0
        var finished: [Int: (completions: [Completion], failure: StoreError?)] = [:]
        /// Set once a flush failed: the WAL's state on disk is unknown, so no further write is accepted.
        var broken: StoreError?

        /// Takes everything waiting as the next round, if a flush slot is free.
        /// Takes everything waiting as the next round on a free lane, if there is one.
        mutating func startRound() -> Round? {
            guard !waiting.isEmpty, let lane = freeLanes.popLast() else { return nil }
            defer { nextRound += 1; waiting = [] }
            return Round(number: nextRound, lane: lane, completions: waiting)
        }

        /// The next round on the lane that just finished one, or nil (and the lane is free again).
        mutating func continueRound(on lane: Int) -> Round? {
            guard !waiting.isEmpty else {
                freeLanes.append(lane)
                return nil
            }
            defer { nextRound += 1; waiting = [] }
            return Round(number: nextRound, lane: lane, completions: waiting)
        }

        /// Records a finished round and returns, in commit order, every round that can now be answered.
        mutating func finish(_ number: Int, _ completions: [Completion], failure: StoreError?) -> [([Completion], StoreError?)] {
            finished[number] = (completions, failure)
            var answerable: [([Completion], StoreError?)] = []
            while let round = finished.removeValue(forKey: nextToAnswer) {
                if let failure = round.failure, broken == nil { broken = failure }
                answerable.append((round.completions, broken))
                nextToAnswer += 1
            }
            return answerable
        }
    }

    private let state: Mutex<State>
    /// One durable flush; nil on success. Blocks its thread.
    private let flush: @Sendable () -> StoreError?
    /// fdatasync blocks its thread. Each lane is a serial queue, which gets a thread of its own: a concurrent
    /// queue would run on the global pool that also carries Swift's cooperative executor on Linux (two threads
    /// on two cores), and a blocked flush would stall request tasks there.
    private let lanes: [DispatchQueue]

    convenience init(databasePath: String, maxRoundsInFlight: Int = 2) {
        let walPath = databasePath + "-wal"
        self.init(maxRoundsInFlight: maxRoundsInFlight, flush: { Self.flush(walPath) })
    }

    /// A flusher whose flush is `flush` (tests hold it back or make it fail).
    init(maxRoundsInFlight: Int = 2, flush: @escaping @Sendable () -> StoreError?) {
        self.flush = flush
        let count = max(maxRoundsInFlight, 1)
        lanes = (0..<count).map { DispatchQueue(label: "freedompay.sqlite.wal-flush-\($0)") }
        state = Mutex(State(freeLanes: Array((0..<count).reversed())))
    }

    /// Why the store refuses writes, once a flush has failed.
    var failure: StoreError? { state.withLock { $0.broken } }

    /// Resumes `completions` once everything committed so far is on disk.
    func acknowledgeWhenDurable(_ completions: [Completion]) {
        let round = state.withLock { state in
            state.waiting.append(contentsOf: completions)
            return state.startRound()
        }
        if let round { lanes[round.lane].async { self.run(round) } }
    }

    /// Flushes one round, answers what became answerable, and goes on with whatever waits meanwhile.
    private func run(_ first: Round) {
        var round = first
        while true {
            // Everything in this round was committed before this fdatasync starts, so the flush covers it.
            let started = DispatchTime.now().uptimeNanoseconds
            let failure = flush()
            // How long each WAL flush takes, the floor of every write's latency (made per round: a metric
            // created before the metrics backend is bootstrapped would stay a no-op).
            Metrics.Timer(label: "freedompay_store_flush_seconds", dimensions: [("store", "sqlite")]).recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - started))
            let (answerable, next) = state.withLock { state in
                let answerable = state.finish(round.number, round.completions, failure: failure)
                return (answerable, state.continueRound(on: round.lane))
            }
            for (completions, failure) in answerable {
                for completion in completions {
                    if let failure { completion.continuation.resume(throwing: failure) } else { completion.continuation.resume(with: completion.result) }
                }
            }
            guard let next else { return }
            round = next
        }
    }

    /// One durable flush of the WAL file (any descriptor of the file flushes its data).
    private static func flush(_ walPath: String) -> StoreError? {
        let descriptor = open(walPath, O_RDONLY)
        guard descriptor >= 0 else {
            // SQLite removes the WAL only after checkpointing (and syncing) all of it into the database, when the
            // last connection closes: nothing left to flush.
            if errno == ENOENT { return nil }
            return .unavailable("cannot open \(walPath) to flush it (errno \(errno)); restart the server")
        }
        defer { close(descriptor) }
        #if canImport(Glibc)
        let code = fdatasync(descriptor)
        #else
        let code = fsync(descriptor)
        #endif
        return code == 0 ? nil : .unavailable("flushing the write-ahead log failed (errno \(errno)); restart the server")
    }
}

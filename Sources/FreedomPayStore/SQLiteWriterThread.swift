import Foundation

/// A thread of its own for the single writer: the group-commit drain loop, and the bodies it runs, execute here
/// (as the drain task's executor preference) instead of on the cooperative pool.
///
/// The writer is the one serial stage of every write. On the shared pool (two threads on a 2-core machine) it
/// queued behind request tasks (JWS checks, JSON) each time it was scheduled; on its own thread it runs whenever
/// there is a batch, and only the parallel stages wait for the CPU.
final class SQLiteWriterThread: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var jobs: [UnownedJob] = []
    private var stopped = false
    /// Set (under `condition`) when the thread has left its loop.
    private var finished = false
    private static let lateJobs = DispatchQueue(label: "freedompay.sqlite.writes-after-close")

    /// `name` is what `top -H` and `perf` show; Linux keeps its first 15 bytes.
    init(name: String) {
        let thread = Thread { [self] in
            #if os(Linux)
            // Foundation's `Thread.name` does not reach the kernel on Linux (and the Glibc module hides
            // pthread_setname_np): the name `top -H` and `perf` show.
            try? name.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
            #endif
            runLoop()
        }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        if finished {
            condition.unlock()
            // The thread is gone (the store was closed): a late write still runs, and fails on the closed
            // database instead of waiting forever. On a serial queue of its own: the global queue's threads are
            // the cooperative pool's on Linux, and a busy pool delayed these jobs by a minute under load.
            let executor = asUnownedTaskExecutor()
            Self.lateJobs.async { job.runSynchronously(on: executor) }
            return
        }
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread finish once its queue is empty (the store is closing).
    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func runLoop() {
        let executor = asUnownedTaskExecutor()
        while true {
            condition.lock()
            while jobs.isEmpty && !stopped { condition.wait() }
            if jobs.isEmpty {
                finished = true
                condition.unlock()
                return
            }
            let ready = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in ready { job.runSynchronously(on: executor) }
        }
    }
}

import FreedomPayCore
import GRDB
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Copies the write-ahead log back into the database file in the background (a PASSIVE checkpoint at most every
/// `interval` while commits happen, on its own connection), so the writer does not do it inside a COMMIT.
///
/// A checkpoint run by the committing connection (SQLite's auto-checkpoint) copies megabytes and syncs twice
/// while every writer waits behind it: the tail of the debit latency. A passive checkpoint never waits for
/// readers or the writer and they never wait for it. The writer's own auto-checkpoint stays, at a much larger WAL
/// size: it is what lets the WAL restart from its beginning (see `SQLiteStore`), and it finds most frames copied.
final class SQLiteCheckpointer: Sendable {
    private let connection: DatabaseQueue
    private let loop = Mutex<Task<Void, Never>?>(nil)
    /// One pending signal at most: commits during a checkpoint or the pause before it collapse into one.
    private let commits: AsyncStream<Void>.Continuation

    init(path: String, interval: Duration = .milliseconds(250)) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // The checkpoint syncs the WAL before it copies and the database after (synchronous=NORMAL or FULL).
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        self.connection = connection
        let (signals, commits) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.commits = commits
        // Driven by commits: an idle store costs nothing; a busy one is checkpointed at most once per `interval`.
        let task = Task.detached(priority: .utility) {
            for await _ in signals {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { break }
                // On GRDB's queue for this connection, not on the cooperative pool: both steps block their thread.
                _ = try? await connection.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)")
                    Self.writeOutDatabaseFile(path)
                }
            }
        }
        loop.withLock { $0 = task }
    }

    /// Puts the pages a checkpoint copied into the database file on disk now, on this background task.
    ///
    /// SQLite syncs the database file only when a checkpoint reaches the end of the WAL; under a steady stream of
    /// commits only the writer's own auto-checkpoint does, and its `fdatasync` then wrote out every page copied
    /// since the last one (tens of MiB) while the group commit waited: the debits' p999. Durability does not
    /// depend on this (the WAL restarts only after SQLite's own sync); failures are left to that sync.
    private static func writeOutDatabaseFile(_ path: String) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return }
        #if canImport(Glibc)
        _ = fdatasync(descriptor)
        #else
        _ = fsync(descriptor)
        #endif
        #if canImport(Glibc)
        Glibc.close(descriptor)
        #else
        Darwin.close(descriptor)
        #endif
    }

    /// Called after every commit: a checkpoint follows within `interval`.
    func noteCommit() {
        commits.yield()
    }

    /// Stops checkpointing and closes the connection (the store's last connection then checkpoints the rest).
    func close() async throws {
        let task = loop.withLock { task -> Task<Void, Never>? in
            defer { task = nil }
            return task
        }
        commits.finish()
        task?.cancel()
        await task?.value
        try connection.close()
    }
}

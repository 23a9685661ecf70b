import Foundation
import Synchronization

/// Slows password guessing against one operator name: after `maxFailures` wrong passwords within `window`,
/// further attempts for that name are refused until the window ends. In memory, per instance, bounded.
final class LoginThrottle: Sendable {
    let maxFailures: Int
    let window: TimeInterval
    /// At most this many names are tracked; past it the table starts afresh (bounded memory under a spray).
    let maxTracked = 10_000
    private let failures = Mutex<[String: (count: Int, since: Date)]>([:])

    init(maxFailures: Int = 10, window: TimeInterval = 15 * 60) {
        self.maxFailures = maxFailures
        self.window = window
    }

    func isBlocked(_ username: String, now: Date) -> Bool {
        failures.withLock { table in
            guard let entry = table[username] else { return false }
            if now.timeIntervalSince(entry.since) >= window {
                table[username] = nil
                return false
            }
            return entry.count >= maxFailures
        }
    }

    func recordFailure(_ username: String, now: Date) {
        failures.withLock { table in
            if table.count >= maxTracked, table[username] == nil { table.removeAll() }
            let current: (count: Int, since: Date) = table[username].flatMap { now.timeIntervalSince($0.since) < window ? $0 : nil } ?? (0, now)
            table[username] = (current.count + 1, current.since)
        }
    }

    func recordSuccess(_ username: String) {
        _ = failures.withLock { $0.removeValue(forKey: username) }
    }
}

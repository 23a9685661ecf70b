import Foundation
import Synchronization

/// Time source for everything that expires or is stamped. Sandbox tests advance a `ManualClock`.
public protocol Clock: Sendable {
    func now() -> Date
}

public struct SystemClock: Clock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that only moves when told to; also usable as an offset over real time (sandbox "advance 6d").
public final class ManualClock: Clock {
    private let offset: Mutex<TimeInterval>
    private let base: Date?

    /// `frozenAt` nil: real time plus the accumulated offset.
    public init(frozenAt: Date? = nil) {
        self.base = frozenAt
        self.offset = Mutex(0)
    }

    public func now() -> Date {
        let shift = offset.withLock { $0 }
        return (base ?? Date()).addingTimeInterval(shift)
    }

    public func advance(by seconds: TimeInterval) {
        offset.withLock { $0 += seconds }
    }
}

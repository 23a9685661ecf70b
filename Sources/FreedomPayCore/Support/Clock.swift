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

    /// How far this clock runs ahead of its base.
    public var offsetSeconds: TimeInterval { offset.withLock { $0 } }
}

/// `6d`, `12h`, `30m`, `45s` and combinations (`1d12h`) as seconds: how testers say "move time forward".
public enum DurationText {
    public static func seconds(_ text: String) -> TimeInterval? {
        var total: TimeInterval = 0
        var number = ""
        var sawUnit = false
        for character in text.trimmingCharacters(in: .whitespaces).lowercased() {
            if character.isNumber {
                number.append(character)
                continue
            }
            let unit: TimeInterval
            switch character {
            case "d": unit = 86_400
            case "h": unit = 3_600
            case "m": unit = 60
            case "s": unit = 1
            default: return nil
            }
            guard let value = Double(number), number.count <= 9 else { return nil }
            total += value * unit
            number = ""
            sawUnit = true
        }
        guard number.isEmpty, sawUnit else { return nil }
        return total
    }
}

/// The delivery of one logical callback (Result notify, payout notify, ...) as a pure state machine:
/// no I/O, one `mutating func` per event, returning what the dispatcher must do next (merchant-api.md §4.5).
///
/// pending --accepted--> delivered(accepted)
/// pending --rejected (canReject == true)--> delivered(rejected)
/// pending --rejected (canReject != true)--> delivered(accepted)   a late refusal is not honoured
/// pending --failed, attempts < max--> pending (retry at now + interval, canReject becomes false)
/// pending --failed, attempts == max--> exhausted
/// delivered / exhausted --any--> unchanged (.alreadyFinished)
public struct CallbackDelivery: Sendable, Equatable {
    public enum Verdict: String, Sendable, Equatable {
        case accepted
        case rejected
    }

    public enum State: Sendable, Equatable {
        case pending
        case delivered(Verdict)
        /// Every allowed attempt failed; nothing more will be sent.
        case exhausted
    }

    /// What one HTTP attempt produced.
    public enum AttemptOutcome: Sendable, Equatable {
        /// Signed reply with `pg_status=ok` (or HTTP 200 where the body is not prescribed).
        case ok
        /// Signed reply with `pg_status=rejected`.
        case rejected
        /// Unreachable, non-200, unparseable or badly signed reply, or `pg_status=error`.
        case failed(String)
    }

    public enum Action: Sendable, Equatable {
        case finished(Verdict)
        case retry(atMs: Int64)
        case givenUp
        case alreadyFinished
    }

    public private(set) var state: State
    public private(set) var attempts: Int
    public let maxAttempts: Int
    /// `pg_can_reject` of the next attempt; nil for callbacks without that field (check, payout notify).
    public private(set) var canReject: Bool?
    public private(set) var nextAttemptAtMs: Int64
    public private(set) var lastError: String?

    /// A fresh delivery due at `firstAttemptAtMs`. `maxAttempts` is clamped to 1...100.
    public init(maxAttempts: Int, canReject: Bool?, firstAttemptAtMs: Int64) {
        self.init(state: .pending, attempts: 0, maxAttempts: maxAttempts, canReject: canReject,
                  nextAttemptAtMs: firstAttemptAtMs, lastError: nil)
    }

    /// Rebuilds a delivery read back from storage.
    public init(state: State, attempts: Int, maxAttempts: Int, canReject: Bool?, nextAttemptAtMs: Int64, lastError: String?) {
        self.state = state
        self.attempts = attempts
        self.maxAttempts = min(max(maxAttempts, 1), 100)
        self.canReject = canReject
        self.nextAttemptAtMs = nextAttemptAtMs
        self.lastError = lastError
    }

    /// Records one attempt's outcome; `retryIntervalMs` is the gap before the next attempt.
    public mutating func record(_ outcome: AttemptOutcome, nowMs: Int64, retryIntervalMs: Int64) -> Action {
        guard state == .pending else { return .alreadyFinished }
        attempts += 1
        switch outcome {
        case .ok:
            state = .delivered(.accepted)
            lastError = nil
            return .finished(.accepted)
        case .rejected:
            let verdict: Verdict = canReject == true ? .rejected : .accepted
            state = .delivered(verdict)
            lastError = nil
            return .finished(verdict)
        case .failed(let reason):
            lastError = reason
            // After the first failed attempt the merchant can no longer refuse the payment (§4.5).
            if canReject != nil { canReject = false }
            guard attempts < maxAttempts else {
                state = .exhausted
                return .givenUp
            }
            nextAttemptAtMs = nowMs + max(retryIntervalMs, 0)
            return .retry(atMs: nextAttemptAtMs)
        }
    }

    /// The documented schedule as a number of attempts: one at once, then one every `intervalMs` for `windowMs`.
    public static func maxAttempts(intervalMs: Int64, windowMs: Int64) -> Int {
        guard intervalMs > 0 else { return 1 }
        return Int(min(1 + max(windowMs, 0) / intervalMs, 100))
    }
}

extension CallbackDelivery.State {
    /// Storage form: `pending`, `accepted`, `rejected`, `exhausted`.
    public var storageName: String {
        switch self {
        case .pending: return "pending"
        case .delivered(let verdict): return verdict.rawValue
        case .exhausted: return "exhausted"
        }
    }

    public init?(storageName: String) {
        switch storageName {
        case "pending": self = .pending
        case "exhausted": self = .exhausted
        default:
            guard let verdict = CallbackDelivery.Verdict(rawValue: storageName) else { return nil }
            self = .delivered(verdict)
        }
    }
}

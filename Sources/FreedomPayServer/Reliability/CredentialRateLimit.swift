import Foundation
import FreedomPayWire
import Hummingbird

/// Per-credential request budget: a token bucket of `burst` requests refilled at `requestsPerSecond`.
public struct RateLimit: Sendable, Equatable {
    public var requestsPerSecond: Double
    public var burst: Int

    public init(requestsPerSecond: Double, burst: Int) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
    }

    /// Parses `freedompay serve --rate-limit` / `FREEDOMPAY_RATE_LIMIT`: `<requests>/<seconds>` (e.g. `100/60`) is a
    /// bucket of `requests` refilled evenly over `seconds`; `off` or empty is no limit (nil).
    public static func parse(_ text: String) throws(RateLimitSyntaxError) -> RateLimit? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.lowercased() == "off" { return nil }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let requests = Int(parts[0]), requests > 0,
              let seconds = Double(parts[1]), seconds.isFinite, seconds > 0 else {
            throw RateLimitSyntaxError(description: "rate limit '\(text)' must be <requests>/<seconds> with both above 0, e.g. 100/60, or off")
        }
        return RateLimit(requestsPerSecond: Double(requests) / seconds, burst: requests)
    }
}

/// A `--rate-limit` value that is not `<requests>/<seconds>`.
public struct RateLimitSyntaxError: Error, CustomStringConvertible, Equatable {
    public let description: String
}

/// Per-credential request budgets (`ServerConfiguration.rateLimit`; off by default), one per verified caller: a
/// partner's `auth_id` (Card API, gift cards and Partner API share it) or a merchant id (purchase and payout routes
/// share it). Each API's authenticator asks once the signature is verified, and answers a refusal in its own
/// envelope: 429 `rate_limited` on the Card and Partner APIs, the signed Merchant API error 10006.
///
/// Only authenticated requests reach it, so only they are charged: a forged request under a victim's id is refused
/// for its signature and costs the victim nothing.
struct CredentialRateLimiter: Sendable {
    /// "payment frequency limit" (merchant-api.md §5.1).
    static let merchantCode = 10006
    let limit: RateLimit?
    let buckets = TokenBuckets()

    /// Whether `caller` may go on; spends one of its tokens when it may.
    func admit(_ caller: Caller) -> Bool {
        guard let limit else { return true }
        return buckets.take(Self.key(caller), limit: limit)
    }

    static func key(_ caller: Caller) -> String {
        switch caller {
        case .partner(let partner, _): "partner:" + partner.authID
        case .merchant(let merchant, _, _, _): "merchant:\(merchant.id.rawValue)"
        }
    }

    /// The budget, for a refusal's message.
    func budget(per owner: String) -> String {
        "\(limit?.burst ?? 0) requests, refilled at \(limit?.requestsPerSecond ?? 0)/s per \(owner)"
    }
}

/// Token buckets by credential, behind a lock; bounded: past `maxKeys`, buckets that are full again are dropped.
final class TokenBuckets: @unchecked Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let lock = NSLock()
    private var buckets: [String: Bucket] = [:]
    private let maxKeys = 10_000

    /// Spends one token of `key` if it has one; false (nothing spent) once the bucket is empty.
    func take(_ key: String, limit: RateLimit) -> Bool {
        lock.withLock {
            var bucket = refilled(key, limit: limit)
            guard bucket.tokens >= 1 else { return false }
            bucket.tokens -= 1
            buckets[key] = bucket
            if buckets.count > maxKeys { buckets = buckets.filter { $0.value.tokens < Double(limit.burst) } }
            return true
        }
    }

    private func refilled(_ key: String, limit: RateLimit) -> Bucket {
        let now = ContinuousClock.now
        guard var bucket = buckets[key] else { return Bucket(tokens: Double(limit.burst), updated: now) }
        let elapsed = now - bucket.updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        bucket.tokens = min(Double(limit.burst), bucket.tokens + seconds * limit.requestsPerSecond)
        bucket.updated = now
        return bucket
    }
}

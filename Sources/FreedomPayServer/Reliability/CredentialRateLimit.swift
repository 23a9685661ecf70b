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

/// Answers 429 in the API's own envelope once a partner has spent its budget (`ServerConfiguration.rateLimit`;
/// off by default). Merchant API routes are budgeted per merchant id (`MerchantRateLimit`).
///
/// It sits on the router, before the per-API authenticators, and keys on the `auth_id` the request claims; but
/// only requests that pass authentication (any answer but 401) are charged. A stranger sending garbage under a
/// victim's `auth_id` therefore cannot spend the victim's budget; it only sees 429 once the victim itself has.
struct CredentialRateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limit: RateLimit?
    let buckets = TokenBuckets()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let limit else { return try await next(request, context) }
        if MerchantRateLimit.isMerchantRoute(request.uri.path) {
            return try await MerchantRateLimit(limit: limit, buckets: buckets).handle(request, context: context, next: next)
        }
        guard let key = Self.claimedCredential(request) else { return try await next(request, context) }
        guard buckets.hasToken(key, limit: limit) else {
            let message = "rate limit exceeded: \(limit.burst) requests, refilled at \(limit.requestsPerSecond)/s per credential"
            if request.uri.path.hasPrefix("/v5/partner/") { throw PartnerAPIFailure(.rateLimited, message) }
            throw CardAPIFailure(.rateLimited, message)
        }
        do {
            let response = try await next(request, context)
            if response.status != .unauthorized { buckets.spend(key, limit: limit) }
            return response
        } catch let error as any HTTPResponseError {
            if error.status != .unauthorized { buckets.spend(key, limit: limit) }
            throw error
        }
    }

    /// The `auth_id` a Card/Partner API request names (JWS header or legacy `Auth-Id`); nil elsewhere.
    static func claimedCredential(_ request: Request) -> String? {
        let path = request.uri.path
        guard path.hasPrefix("/v5/card-api/") || path.hasPrefix("/v5/cards/") || path.hasPrefix("/v5/partner/") else { return nil }
        if let jws = JWSVerifier.headerValue(request), let parsed = try? DetachedJWS.parse(jws) { return parsed.header.authID }
        return request.headers[.legacyAuthID]
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

    func hasToken(_ key: String, limit: RateLimit) -> Bool {
        lock.withLock { refilled(key, limit: limit).tokens >= 1 }
    }

    func spend(_ key: String, limit: RateLimit) {
        lock.withLock {
            var bucket = refilled(key, limit: limit)
            bucket.tokens = max(0, bucket.tokens - 1)
            buckets[key] = bucket
            if buckets.count > maxKeys { buckets = buckets.filter { $0.value.tokens < Double(limit.burst) } }
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

import Foundation
import Hummingbird

/// Bounds the requests being handled at once (`ServerConfiguration.maxInFlightRequests`): past it, 503 in the
/// API's envelope at once instead of queueing. Every internal queue (the SQLite group-commit batch, the
/// PostgreSQL pool's waiters) holds at most one entry per request in flight, so this bounds them all.
struct InFlightLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limit: Int
    let counter = InFlightCounter()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard counter.enter(limit: limit) else {
            let message = "server busy: more than \(limit) requests in flight; retry later with the same request id"
            let path = request.uri.path
            if path.hasPrefix("/v5/partner/") { throw PartnerAPIFailure(.rateLimited, message, status: .serviceUnavailable) }
            if path.hasPrefix("/v5/card-api/") || path.hasPrefix("/v5/cards/") {
                throw CardAPIFailure(.rateLimited, message, status: .serviceUnavailable)
            }
            throw HTTPError(.serviceUnavailable, message: message)
        }
        defer { counter.leave() }
        return try await next(request, context)
    }
}

final class InFlightCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0

    /// Takes a slot if fewer than `limit` are taken.
    func enter(limit: Int) -> Bool {
        lock.withLock {
            guard current < limit else { return false }
            current += 1
            return true
        }
    }

    func leave() { lock.withLock { current -= 1 } }

    var inFlight: Int { lock.withLock { current } }
}

import Hummingbird

/// Answers any non-POST request under `/v5/card-api/`, `/v5/cards/` or `/v5/partner/` with that API's 405 envelope.
///
/// It sits on the router rather than on the API groups because the router resolves the path before the
/// method: a `GET` on a POST-only route would otherwise fall through to Hummingbird's bare, empty 404.
struct PostOnlyGuard: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method != .post else { return try await next(request, context) }
        let path = request.uri.path
        if path.hasPrefix("/v5/card-api/") {
            throw CardAPIFailure(.methodNotAllowed, "Card API routes accept POST only, got \(request.method.rawValue)")
        }
        if path.hasPrefix("/v5/cards/") {
            throw GiftCardFailure(.generalError, "gift card routes accept POST only, got \(request.method.rawValue)", status: .methodNotAllowed)
        }
        if path.hasPrefix("/v5/partner/") {
            throw PartnerAPIFailure(.notFound, "Partner API routes accept POST only, got \(request.method.rawValue)", status: .methodNotAllowed)
        }
        return try await next(request, context)
    }
}

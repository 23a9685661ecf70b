import Hummingbird

/// Answers any non-POST request under `/v5/card-api/` with the Card API's 405 envelope.
///
/// It sits on the router rather than on the Card API group because the router resolves the path before the
/// method: a `GET` on a POST-only route would otherwise fall through to Hummingbird's bare, empty 404.
struct CardAPIMethodGuard: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method != .post, request.uri.path.hasPrefix("/v5/card-api/") else {
            return try await next(request, context)
        }
        throw CardAPIFailure(.methodNotAllowed, "Card API routes accept POST only, got \(request.method.rawValue)")
    }
}

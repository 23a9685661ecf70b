import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// Authenticates every `/v5/partner` route with a detached JWS (HS256), body verified as raw bytes.
struct PartnerAPIAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let services: AppServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        var context = context
        guard request.method == .post else {
            throw PartnerAPIFailure(.notFound, "Partner API routes accept POST only, got \(request.method.rawValue)", status: .methodNotAllowed)
        }
        let body: [UInt8]
        do {
            body = try await request.collectRawBody(limit: services.configuration.maxBodyBytes)
        } catch {
            throw PartnerAPIFailure(.invalidInput, "request body exceeds \(services.configuration.maxBodyBytes) bytes", status: .contentTooLarge)
        }
        do {
            let partner = try await JWSVerifier(algorithm: .hs256, services: services).verify(request: request, body: body)
            context.caller = .partner(partner, legacyRequestID: nil)
            context.logger[metadataKey: "partner"] = "\(partner.authID)"
        } catch JWSVerifier.Failure.jws(let error) {
            FreedomPayMetrics.signatureFailure(scheme: "jws_hs256", reason: error.reason)
            throw PartnerAPIFailure(.unauthorized, error.message)
        } catch JWSVerifier.Failure.unknownPartner(let authID) {
            FreedomPayMetrics.signatureFailure(scheme: "jws_hs256", reason: "unknown_partner")
            throw PartnerAPIFailure(.unauthorized, "auth_id '\(authID)' is not a registered partner")
        }
        context.rawBody = body
        if let caller = context.caller, !services.rateLimiter.admit(caller) {
            throw PartnerAPIFailure(.rateLimited, "rate limit exceeded: " + services.rateLimiter.budget(per: "credential"))
        }
        return try await next(request, context)
    }
}

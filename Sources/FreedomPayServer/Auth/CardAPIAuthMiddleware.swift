import FreedomPayCore
import FreedomPayWire
import HTTPTypes
import Hummingbird

/// Authenticates every Card API route with either scheme the docs describe:
/// `X-JWS-Signature` (HS512 detached JWS), or the legacy `Auth-Id` + `Request-Id` + `Sign` headers.
struct CardAPIAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let services: AppServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        var context = context
        guard request.method == .post else {
            throw CardAPIFailure(.methodNotAllowed, "Card API routes accept POST only, got \(request.method.rawValue)")
        }
        let body: [UInt8]
        do {
            body = try await request.collectRawBody(limit: services.configuration.maxBodyBytes)
        } catch {
            throw CardAPIFailure(.invalidRequest, "request body exceeds \(services.configuration.maxBodyBytes) bytes", status: .contentTooLarge)
        }
        if JWSVerifier.headerValue(request) != nil {
            context.caller = .partner(try await verifyJWS(request, body: body), legacyRequestID: nil)
        } else if request.headers[.legacySign] != nil
                    || request.headers[.legacyAuthID] != nil {
            let (partner, requestID) = try await verifyLegacy(request, body: body)
            context.caller = .partner(partner, legacyRequestID: requestID)
        } else {
            FreedomPayMetrics.signatureFailure(scheme: "card_api", reason: "missing")
            throw CardAPIFailure(.invalidSignature, "no signature: send X-JWS-Signature, or Auth-Id + Request-Id + Sign")
        }
        context.rawBody = body
        context.logger[metadataKey: "partner"] = "\(context.caller.map { if case .partner(let p, _) = $0 { p.authID } else { "" } } ?? "")"
        if let caller = context.caller, !services.rateLimiter.admit(caller) {
            throw CardAPIFailure(.rateLimited, "rate limit exceeded: " + services.rateLimiter.budget(per: "credential"))
        }
        return try await next(request, context)
    }

    private func verifyJWS(_ request: Request, body: [UInt8]) async throws -> Partner {
        do {
            return try await JWSVerifier(algorithm: .hs512, services: services).verify(request: request, body: body)
        } catch JWSVerifier.Failure.jws(let error) {
            throw CardAPIFailure.from(error)
        } catch JWSVerifier.Failure.unknownPartner(let authID) {
            FreedomPayMetrics.signatureFailure(scheme: "jws_hs512", reason: "unknown_partner")
            throw CardAPIFailure(.unknownPartner, "auth_id '\(authID)' is not a registered partner")
        }
    }

    private func verifyLegacy(_ request: Request, body: [UInt8]) async throws -> (Partner, String) {
        guard let authID = request.headers[.legacyAuthID], !authID.isEmpty else {
            throw CardAPIFailure(.invalidSignature, "Auth-Id header is missing")
        }
        guard let sign = request.headers[.legacySign], !sign.isEmpty else {
            throw CardAPIFailure(.invalidSignature, "Sign header is missing")
        }
        guard let requestID = request.headers[.legacyRequestID], !requestID.isEmpty else {
            throw CardAPIFailure(.invalidSignature, "Request-Id header is missing")
        }
        guard let partner = try await services.credentials.partner(authID: authID, store: services.store) else {
            FreedomPayMetrics.signatureFailure(scheme: "legacy_sign", reason: "unknown_partner")
            throw CardAPIFailure(.unknownPartner, "Auth-Id '\(authID)' is not a registered partner")
        }
        guard LegacySign.verify(body: body, secret: partner.secret, sign: sign) else {
            FreedomPayMetrics.signatureFailure(scheme: "legacy_sign", reason: "signature")
            throw CardAPIFailure(.invalidSignature, "Sign does not match sha256(body + secret) for this Auth-Id")
        }
        return (partner, requestID)
    }
}

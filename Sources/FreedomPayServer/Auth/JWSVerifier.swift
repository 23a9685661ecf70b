import FreedomPayCore
import FreedomPayWire
import HTTPTypes
import Hummingbird

/// Verifies a detached JWS against the real request: the route, method and query the header names,
/// the partner it names, and the HMAC over the raw body. Shared by the Card API (HS512) and the
/// Partner API (HS256); the APIs differ only in algorithm and error envelope.
struct JWSVerifier: Sendable {
    let algorithm: JWSAlgorithm
    let services: AppServices

    enum Failure: Error {
        case jws(JWSError)
        case unknownPartner(String)
    }

    static func headerValue(_ request: Request) -> String? {
        request.headers[.xJWSSignature] ?? request.headers[.jwsSignature]
    }

    func verify(request: Request, body: [UInt8]) async throws -> Partner {
        let parsed: ParsedJWS
        do {
            parsed = try DetachedJWS.parse(Self.headerValue(request))
        } catch {
            throw Failure.jws(error)
        }
        // The algorithm is checked before any lookup so that `none` or a foreign alg never reaches the store.
        guard parsed.header.alg == algorithm.rawValue else { throw Failure.jws(.unsupportedAlgorithm(parsed.header.alg)) }
        let authID = parsed.header.authID
        guard let partner = try await services.credentials.partner(authID: authID, store: services.store) else {
            throw Failure.unknownPartner(authID)
        }
        do {
            try parsed.verify(
                body: body, secret: partner.secret, algorithm: algorithm, method: request.method.rawValue,
                path: request.uri.path, query: request.uri.query ?? "")
        } catch {
            throw Failure.jws(error)
        }
        return partner
    }
}

extension Request {
    /// Collects the body (bounded) and returns its bytes; the request keeps a replayable copy.
    mutating func collectRawBody(limit: Int) async throws -> [UInt8] {
        let buffer = try await collectBody(upTo: limit)
        return Array(buffer.readableBytesView)
    }
}

extension HTTPField.Name {
    static let xJWSSignature = HTTPField.Name("X-JWS-Signature")!
    /// The docs' header table spells it without the `X-` prefix; accepted as an alias.
    static let jwsSignature = HTTPField.Name("JWS-Signature")!
    static let legacySign = HTTPField.Name(LegacySign.signHeader)!
    static let legacyAuthID = HTTPField.Name(LegacySign.authIDHeader)!
    static let legacyRequestID = HTTPField.Name(LegacySign.requestIDHeader)!
}

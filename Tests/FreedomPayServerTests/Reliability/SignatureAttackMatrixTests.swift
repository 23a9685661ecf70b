import Foundation
import FreedomPayCore
import FreedomPayWire
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

/// Every signature attack against EVERY signed route of the route table (the `Auth/` suites cover each case on
/// one route per scheme; this walks them all): each is refused with the API's documented error, and the
/// store is byte-for-byte unchanged afterwards.
@Suite struct SignatureAttackMatrixTests {
    static let body = #"{"request_id":"0b9ad0f1-6a0c-4a8e-8a51-3a0e6f7d9c21"}"#

    struct Attack {
        let name: String
        let headers: [(String, String)]
        var body: String = SignatureAttackMatrixTests.body
        var query: String = ""
        let code: String
        /// nil: only the status and code are fixed (the parser's exact wording depends on where the bytes break).
        let message: String?
    }

    /// A detached JWS for `route`, with any field of the protected header overridden.
    static func jws(_ route: APIRoute, authID: String, secret: String, body: String = body, uri: String? = nil,
                    method: String = "POST", params: String = "", alg: String? = nil) -> String {
        let algorithm: JWSAlgorithm = route.api == .partnerAPI ? .hs256 : .hs512
        var header = JWSHeader(uri: uri ?? route.path, authID: authID, method: method, params: params, alg: algorithm)
        if let alg { header.alg = alg }
        return DetachedJWS.sign(body: Array(body.utf8), header: header, secret: secret)
    }

    /// The attacks on one route by `partner` (`other` is a second, genuine partner).
    static func attacks(on route: APIRoute, partner: Partner, other: Partner, neighbour: APIRoute) -> [Attack] {
        let good = jws(route, authID: partner.authID, secret: partner.secret)
        let parts = good.components(separatedBy: "..")
        let wrongAlg = route.api == .partnerAPI ? "HS512" : "HS256"
        let tampered = String(body.dropLast(2)) + "2\"}"
        var list = [
            Attack(name: "alg none", headers: [("X-JWS-Signature", jws(route, authID: partner.authID, secret: partner.secret, alg: "none"))],
                   code: "invalid_signature", message: "JWS alg 'none' is not accepted on this API"),
            Attack(name: "wrong alg", headers: [("X-JWS-Signature", jws(route, authID: partner.authID, secret: partner.secret, alg: wrongAlg))],
                   code: "invalid_signature", message: "JWS alg '\(wrongAlg)' is not accepted on this API"),
            Attack(name: "uri of another route", headers: [("X-JWS-Signature", jws(route, authID: partner.authID, secret: partner.secret, uri: neighbour.path))],
                   code: "uri_mismatch", message: "JWS uri '\(neighbour.path)' does not match the request path '\(route.path)'"),
            Attack(name: "method swapped", headers: [("X-JWS-Signature", jws(route, authID: partner.authID, secret: partner.secret, method: "PUT"))],
                   code: "uri_mismatch", message: "JWS method 'PUT' does not match the request method 'POST'"),
            Attack(name: "params added in header", headers: [("X-JWS-Signature", jws(route, authID: partner.authID, secret: partner.secret, params: "page=2"))],
                   code: "uri_mismatch", message: "JWS params 'page=2' does not match the request query ''"),
            Attack(name: "query added to request", headers: [("X-JWS-Signature", good)], query: "?page=2",
                   code: "uri_mismatch", message: "JWS params '' does not match the request query 'page=2'"),
            Attack(name: "body tampered by one byte", headers: [("X-JWS-Signature", good)], body: tampered,
                   code: "invalid_signature", message: "JWS signature does not verify for this body and auth_id"),
            Attack(name: "signature from another partner", headers: [("X-JWS-Signature", jws(route, authID: partner.authID, secret: other.secret))],
                   code: "invalid_signature", message: "JWS signature does not verify for this body and auth_id"),
            Attack(name: "another partner's header replayed", headers: [("X-JWS-Signature", jws(route, authID: other.authID, secret: partner.secret))],
                   code: "invalid_signature", message: "JWS signature does not verify for this body and auth_id"),
            Attack(name: "unknown auth_id", headers: [("X-JWS-Signature", jws(route, authID: "0000000", secret: partner.secret))],
                   code: "unknown_partner", message: "auth_id '0000000' is not a registered partner"),
            Attack(name: "truncated header", headers: [("X-JWS-Signature", parts[0] + "." + parts[1])],
                   code: "invalid_signature", message: "X-JWS-Signature is malformed: expected '<header>..<signature>' (3 dot-separated parts, got 2)"),
            Attack(name: "truncated signature", headers: [("X-JWS-Signature", String(good.dropLast(7)))], code: "invalid_signature", message: nil),
            Attack(name: "garbled header", headers: [("X-JWS-Signature", "%%%.." + parts[1])],
                   code: "invalid_signature", message: "X-JWS-Signature is malformed: header segment is not base64url"),
            Attack(name: "missing headers", headers: [], code: "invalid_signature",
                   message: route.api == .partnerAPI ? "X-JWS-Signature header is missing" : "no signature: send X-JWS-Signature, or Auth-Id + Request-Id + Sign"),
        ]
        if route.api != .partnerAPI { list += legacyAttacks(partner: partner, other: other) }
        return list
    }

    static func legacyAttacks(partner: Partner, other: Partner) -> [Attack] {
        let sign = LegacySign.sign(body: Array(body.utf8), secret: partner.secret)
        let id = "7d0b5c1e-2f4a-4e11-9b7c-5a3d2e1f0a9b"
        return [
            Attack(name: "legacy Sign of another partner", headers: [
                ("Auth-Id", partner.authID), ("Request-Id", id), ("Sign", LegacySign.sign(body: Array(body.utf8), secret: other.secret))],
                code: "invalid_signature", message: "Sign does not match sha256(body + secret) for this Auth-Id"),
            Attack(name: "legacy body tampered", headers: [("Auth-Id", partner.authID), ("Request-Id", id), ("Sign", sign)],
                   body: body.replacingOccurrences(of: "0b9a", with: "0b9b"),
                   code: "invalid_signature", message: "Sign does not match sha256(body + secret) for this Auth-Id"),
            Attack(name: "legacy Sign truncated", headers: [("Auth-Id", partner.authID), ("Request-Id", id), ("Sign", String(sign.dropLast(1)))],
                   code: "invalid_signature", message: "Sign does not match sha256(body + secret) for this Auth-Id"),
            Attack(name: "legacy Request-Id missing", headers: [("Auth-Id", partner.authID), ("Sign", sign)],
                   code: "invalid_signature", message: "Request-Id header is missing"),
            Attack(name: "legacy Sign missing", headers: [("Auth-Id", partner.authID), ("Request-Id", id)],
                   code: "invalid_signature", message: "Sign header is missing"),
        ]
    }

    @Test func everySignedRouteRefusesEveryAttackAndChangesNothing() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner(name: "Victim")
        let other = try await server.createPartner(name: "Attacker")
        let routes = APIRouteTable.routes.filter { $0.isSigned && $0.api != .merchantAPI }
        let before = try await StoreFingerprint.take(server)
        let refused = try await server.withRouter { client in
            var refused = 0
            for (index, route) in routes.enumerated() {
                let neighbour = routes[(index + 1) % routes.count]
                for attack in Self.attacks(on: route, partner: partner, other: other, neighbour: neighbour) {
                    let response = try await client.raw(route.path + attack.query, body: attack.body, headers: attack.headers)
                    if let message = attack.message {
                        expectRefusal(response, on: route, .unauthorized, cardCode: attack.code, message)
                    } else {
                        #expect(response.status == .unauthorized, "\(route.path) \(attack.name): \(response.text)")
                    }
                    if response.status == .unauthorized { refused += 1 }
                }
            }
            return refused
        }
        #expect(try await StoreFingerprint.take(server) == before, "a refused request changed the store")
        #expect(refused >= routes.count * 14)
        print("RELIABILITY attacks_rejected=\(refused) routes=\(routes.count)")
    }
}

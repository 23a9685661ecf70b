import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

/// Partner API (`/v5/partner/...`): HS256 detached JWS, refusals as 401 with the integer error_code 401.
/// The route used here does not exist, so a request that passes authentication ends in the 404 envelope.
@Suite struct PartnerAPIAuthTests {
    static let path = "/v5/partner/auth-test/no-such-route"
    static let body = #"{"request_id":"266ea41d-adf5-480b-af50-15b940c2b846"}"#

    func withPartner(_ body: @Sendable @escaping (any TestClientProtocol, Partner) async throws -> Void) async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner()
        try await server.withRouter { client in try await body(client, partner) }
    }

    static func jws(_ partner: Partner, alg: JWSAlgorithm = .hs256, path: String = path, body: String = body) -> String {
        DetachedJWS.sign(body: Array(body.utf8), header: JWSHeader(uri: path, authID: partner.authID, alg: alg), secret: partner.secret)
    }

    @Test func hs256IsAccepted() async throws {
        try await withPartner { client, partner in
            let response = try await client.raw(Self.path, body: Self.body, headers: [("X-JWS-Signature", Self.jws(partner))])
            expectPartnerAPIError(response, .notFound, 404, "no Partner API route \(Self.path)")
        }
    }

    @Test func hs512IsRefused() async throws {
        try await withPartner { client, partner in
            let response = try await client.raw(Self.path, body: Self.body, headers: [("X-JWS-Signature", Self.jws(partner, alg: .hs512))])
            expectPartnerAPIError(response, .unauthorized, 401, "JWS alg 'HS512' is not accepted on this API")
        }
    }

    @Test func missingTamperedAndUnknown() async throws {
        try await withPartner { client, partner in
            let missing = try await client.raw(Self.path, body: Self.body)
            expectPartnerAPIError(missing, .unauthorized, 401, "X-JWS-Signature header is missing")
            let tampered = try await client.raw(Self.path, body: Self.body.replacingOccurrences(of: "266e", with: "266f"), headers: [
                ("X-JWS-Signature", Self.jws(partner))])
            expectPartnerAPIError(tampered, .unauthorized, 401, "JWS signature does not verify for this body and auth_id")
            let garbled = try await client.raw(Self.path, body: Self.body, headers: [("X-JWS-Signature", "abc")])
            expectPartnerAPIError(garbled, .unauthorized, 401,
                                  "X-JWS-Signature is malformed: expected '<header>..<signature>' (3 dot-separated parts, got 1)")
            var stranger = JWSHeader(uri: Self.path, authID: "0000000", alg: .hs256)
            stranger.params = ""
            let unknown = try await client.raw(Self.path, body: Self.body, headers: [
                ("X-JWS-Signature", DetachedJWS.sign(body: Array(Self.body.utf8), header: stranger, secret: partner.secret))])
            expectPartnerAPIError(unknown, .unauthorized, 401, "auth_id '0000000' is not a registered partner")
            let otherRoute = try await client.raw(Self.path, body: Self.body, headers: [
                ("X-JWS-Signature", Self.jws(partner, path: "/v5/partner/rates/add"))])
            expectPartnerAPIError(otherRoute, .unauthorized, 401,
                                  "JWS uri '/v5/partner/rates/add' does not match the request path '\(Self.path)'")
        }
    }

    /// E-Money routes type error_code as a string in their schemas.
    @Test func walletRoutesRenderTheCodeAsAString() async throws {
        try await withPartner { client, _ in
            let response = try await client.raw("/v5/partner/wallet/auth-test", body: Self.body)
            expectPartnerAPIError(response, .unauthorized, 401, "X-JWS-Signature header is missing", codeAsString: true)
        }
    }

    /// Other methods get the Partner API envelope with HTTP 405, on existing and unknown paths alike.
    @Test func otherMethodsGetThePartnerAPIEnvelope() async throws {
        try await withPartner { client, _ in
            for path in [Self.path, "/v5/partner/rates/add"] {
                let response = try await client.raw(path, method: .get)
                expectPartnerAPIError(response, .methodNotAllowed, 404, "Partner API routes accept POST only, got GET")
            }
        }
    }

    /// Authentication runs before routing: an unsigned request never learns whether a route exists.
    @Test func everyPartnerPathIsAuthenticatedFirst() async throws {
        try await withPartner { client, _ in
            for path in ["/v5/partner/rates/add", "/v5/partner/client/add", "/v5/partner/x/y/z"] {
                let response = try await client.raw(path, body: "{}")
                #expect(response.status == .unauthorized, "\(path)")
            }
        }
    }
}

import Foundation
import FreedomPayCore
import FreedomPayWire
import HTTPTypes
import HummingbirdTesting
import Testing

/// Card API Variant J over HTTP: every refusal in the Card API envelope with its status and exact message.
@Suite struct CardAPIJWSAuthTests {
    static let path = "/v5/card-api/request/status"
    static let body = #"{"request_id":"828cf71d-a447-4a67-a149-c1df8bc197ca"}"#

    static func jws(_ body: String = body, uri: String = path, authID: String, secret: String, method: String = "POST",
                    params: String = "", alg: String = "HS512") -> String {
        var header = JWSHeader(uri: uri, authID: authID, method: method, params: params, alg: .hs512)
        header.alg = alg
        return DetachedJWS.sign(body: Array(body.utf8), header: header, secret: secret)
    }

    /// Runs `body` against a fresh server with one partner.
    func withPartner(_ body: @Sendable @escaping (any TestClientProtocol, Partner, TestServer) async throws -> Void) async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner()
        try await server.withRouter { client in try await body(client, partner, server) }
    }

    @Test func validSignatureReachesTheEndpoint() async throws {
        try await withPartner { client, partner, _ in
            let response = try await client.raw(Self.path, body: Self.body, headers: [
                ("X-JWS-Signature", Self.jws(authID: partner.authID, secret: partner.secret))])
            expectCardAPIError(response, .ok, "request_not_found", "request_id '828cf71d-a447-4a67-a149-c1df8bc197ca' is not known for this partner")
        }
    }

    @Test func jwsSignatureAliasIsAccepted() async throws {
        try await withPartner { client, partner, _ in
            let response = try await client.raw(Self.path, body: Self.body, headers: [
                ("JWS-Signature", Self.jws(authID: partner.authID, secret: partner.secret))])
            #expect(response.json["error_code"] as? String == "request_not_found")
        }
    }

    /// The raw bytes are what is signed: a pretty-printed body verifies exactly as sent and is then decoded.
    @Test func prettyPrintedBodyVerifiesAsSent() async throws {
        try await withPartner { client, partner, _ in
            let pretty = "{\n  \"request_id\" : \"828cf71d-a447-4a67-a149-c1df8bc197ca\"\n}\n"
            let ok = try await client.raw(Self.path, body: pretty, headers: [
                ("X-JWS-Signature", Self.jws(pretty, authID: partner.authID, secret: partner.secret))])
            #expect(ok.json["error_code"] as? String == "request_not_found")
            let compactSignature = Self.jws(authID: partner.authID, secret: partner.secret)
            let refused = try await client.raw(Self.path, body: pretty, headers: [("X-JWS-Signature", compactSignature)])
            expectCardAPIError(refused, .unauthorized, "invalid_signature", "JWS signature does not verify for this body and auth_id")
        }
    }

    @Test func missingAndMalformedHeaders() async throws {
        try await withPartner { client, partner, _ in
            let missing = try await client.raw(Self.path, body: Self.body)
            expectCardAPIError(missing, .unauthorized, "invalid_signature", "no signature: send X-JWS-Signature, or Auth-Id + Request-Id + Sign")
            let empty = try await client.raw(Self.path, body: Self.body, headers: [("X-JWS-Signature", "")])
            expectCardAPIError(empty, .unauthorized, "invalid_signature", "X-JWS-Signature header is missing")

            let good = Self.jws(authID: partner.authID, secret: partner.secret)
            let parts = good.components(separatedBy: "..")
            let cases: [(String, String)] = [
                (parts[0] + "." + parts[1], "expected '<header>..<signature>' (3 dot-separated parts, got 2)"),
                ("%%%.." + parts[1], "header segment is not base64url"),
                (Base64URL.encode(Array("uri=/v5".utf8)) + ".." + parts[1], "header is not a JSON object with uri, auth_id, method, params and alg"),
                (parts[0] + "..", "signature segment is not base64url"),
            ]
            for (value, why) in cases {
                let response = try await client.raw(Self.path, body: Self.body, headers: [("X-JWS-Signature", value)])
                expectCardAPIError(response, .unauthorized, "invalid_signature", "X-JWS-Signature is malformed: \(why)")
            }
        }
    }

    @Test func unknownAuthID() async throws {
        try await withPartner { client, partner, _ in
            let response = try await client.raw(Self.path, body: Self.body, headers: [
                ("X-JWS-Signature", Self.jws(authID: "0000000", secret: partner.secret))])
            expectCardAPIError(response, .unauthorized, "unknown_partner", "auth_id '0000000' is not a registered partner")
        }
    }

    @Test func foreignAlgorithmsAreRefused() async throws {
        try await withPartner { client, partner, _ in
            for alg in ["none", "HS256", "hs512", "RS512"] {
                let response = try await client.raw(Self.path, body: Self.body, headers: [
                    ("X-JWS-Signature", Self.jws(authID: partner.authID, secret: partner.secret, alg: alg))])
                expectCardAPIError(response, .unauthorized, "invalid_signature", "JWS alg '\(alg)' is not accepted on this API")
            }
            // The algorithm is refused before the partner lookup: an unknown auth_id does not change the answer.
            let strangerNone = try await client.raw(Self.path, body: Self.body, headers: [
                ("X-JWS-Signature", Self.jws(authID: "0000000", secret: "x", alg: "none"))])
            expectCardAPIError(strangerNone, .unauthorized, "invalid_signature", "JWS alg 'none' is not accepted on this API")
            // A genuine HS256 signature (the Partner API's algorithm) is not accepted on the Card API either.
            let hs256 = DetachedJWS.sign(
                body: Array(Self.body.utf8), header: JWSHeader(uri: Self.path, authID: partner.authID, alg: .hs256), secret: partner.secret)
            let response = try await client.raw(Self.path, body: Self.body, headers: [("X-JWS-Signature", hs256)])
            expectCardAPIError(response, .unauthorized, "invalid_signature", "JWS alg 'HS256' is not accepted on this API")
        }
    }

    @Test func signatureIsBoundToRouteMethodAndQuery() async throws {
        try await withPartner { client, partner, _ in
            let otherRoute = try await client.raw(Self.path, body: Self.body, headers: [
                ("X-JWS-Signature", Self.jws(uri: "/v5/card-api/transaction/status", authID: partner.authID, secret: partner.secret))])
            expectCardAPIError(otherRoute, .unauthorized, "uri_mismatch",
                               "JWS uri '/v5/card-api/transaction/status' does not match the request path '/v5/card-api/request/status'")
            let otherMethod = try await client.raw(Self.path, body: Self.body, headers: [
                ("X-JWS-Signature", Self.jws(authID: partner.authID, secret: partner.secret, method: "PUT"))])
            expectCardAPIError(otherMethod, .unauthorized, "uri_mismatch", "JWS method 'PUT' does not match the request method 'POST'")
            let signedWithQuery = try await client.raw(Self.path, body: Self.body, headers: [
                ("X-JWS-Signature", Self.jws(authID: partner.authID, secret: partner.secret, params: "page=2"))])
            expectCardAPIError(signedWithQuery, .unauthorized, "uri_mismatch", "JWS params 'page=2' does not match the request query ''")
            let sentWithQuery = try await client.raw(Self.path + "?page=2", body: Self.body, headers: [
                ("X-JWS-Signature", Self.jws(authID: partner.authID, secret: partner.secret))])
            expectCardAPIError(sentWithQuery, .unauthorized, "uri_mismatch", "JWS params '' does not match the request query 'page=2'")
            // Signed with the query it is sent with: accepted.
            let matching = try await client.raw(Self.path + "?page=2", body: Self.body, headers: [
                ("X-JWS-Signature", Self.jws(authID: partner.authID, secret: partner.secret, params: "page=2"))])
            #expect(matching.json["error_code"] as? String == "request_not_found")
        }
    }

    @Test func tamperedBodyAndForeignSecret() async throws {
        try await withPartner { client, partner, server in
            let signature = Self.jws(authID: partner.authID, secret: partner.secret)
            let tampered = Self.body.replacingOccurrences(of: "828c", with: "828d")
            let response = try await client.raw(Self.path, body: tampered, headers: [("X-JWS-Signature", signature)])
            expectCardAPIError(response, .unauthorized, "invalid_signature", "JWS signature does not verify for this body and auth_id")

            let other = try await server.createPartner(name: "Other")
            let foreign = try await client.raw(Self.path, body: Self.body, headers: [
                ("X-JWS-Signature", Self.jws(authID: partner.authID, secret: other.secret))])
            expectCardAPIError(foreign, .unauthorized, "invalid_signature", "JWS signature does not verify for this body and auth_id")
        }
    }

    @Test func otherMethodsGetTheCardAPIEnvelope() async throws {
        try await withPartner { client, _, _ in
            for method in [HTTPRequest.Method.get, .put, .delete, .patch, .head] {
                for path in [Self.path, "/v5/card-api/no/such/route"] {
                    let response = try await client.raw(path, method: method, body: "")
                    #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                    if method != .head {
                        expectCardAPIError(response, .methodNotAllowed, "method_not_allowed", "Card API routes accept POST only, got \(method.rawValue)")
                    }
                }
            }
        }
    }

    /// Gift card routes (`/v5/cards/...`) answer other methods in their own envelope (integer `status`).
    @Test func giftCardRoutesRefuseOtherMethodsInTheirEnvelope() async throws {
        try await withPartner { client, _, _ in
            for path in ["/v5/cards/issue_card", "/v5/cards/no_such_route"] {
                let response = try await client.raw(path, method: .get)
                #expect(response.status == .methodNotAllowed)
                #expect(response.json["error_description"] as? String == "gift card routes accept POST only, got GET")
                #expect(((response.json["status"] as? NSNumber)?.intValue ?? 0) < 0)
                #expect((response.json["datetime"] as? String).flatMap { WireDate.parsePlain($0) } != nil)
            }
        }
    }

    @Test func unknownRouteGetsTheCardAPIEnvelope() async throws {
        try await withPartner { client, partner, _ in
            let path = "/v5/card-api/no/such/route"
            let response = try await client.raw(path, body: "{}", headers: [
                ("X-JWS-Signature", Self.jws("{}", uri: path, authID: partner.authID, secret: partner.secret))])
            expectCardAPIError(response, .notFound, "not_found", "no Card API route \(path)")
            // Unsigned, the route is not revealed: authentication comes first.
            let unsigned = try await client.raw(path, body: "{}")
            expectCardAPIError(unsigned, .unauthorized, "invalid_signature", "no signature: send X-JWS-Signature, or Auth-Id + Request-Id + Sign")
        }
    }
}

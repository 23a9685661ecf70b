import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

/// Card API Variant S (`Auth-Id` + `Request-Id` + `Sign`) over HTTP.
@Suite struct CardAPILegacyAuthTests {
    static let path = "/v5/card-api/request/status"
    static let body = #"{"request_id":"5aac88a2-d16d-4e01-927c-8b02bf44375c"}"#
    static let notFound = "request_id '5aac88a2-d16d-4e01-927c-8b02bf44375c' is not known for this partner"

    func withPartner(_ body: @Sendable @escaping (any TestClientProtocol, Partner) async throws -> Void) async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner()
        try await server.withRouter { client in try await body(client, partner) }
    }

    static func sign(_ partner: Partner, _ body: String = body) -> String {
        LegacySign.sign(body: Array(body.utf8), secret: partner.secret)
    }

    @Test func validSignInLowerAndUpperCase() async throws {
        try await withPartner { client, partner in
            for sign in [Self.sign(partner), Self.sign(partner).uppercased()] {
                let response = try await client.raw(Self.path, body: Self.body, headers: [
                    ("Auth-Id", partner.authID), ("Request-Id", UUID().uuidString), ("Sign", sign)])
                expectCardAPIError(response, .ok, "request_not_found", Self.notFound)
            }
        }
    }

    @Test func missingHeaders() async throws {
        try await withPartner { client, partner in
            let sign = Self.sign(partner)
            let cases: [([(String, String)], String)] = [
                ([("Request-Id", "r-1"), ("Sign", sign)], "Auth-Id header is missing"),
                ([("Auth-Id", partner.authID), ("Request-Id", "r-1")], "Sign header is missing"),
                ([("Auth-Id", partner.authID), ("Sign", sign)], "Request-Id header is missing"),
                ([("Auth-Id", partner.authID), ("Request-Id", ""), ("Sign", sign)], "Request-Id header is missing"),
                ([("Request-Id", "r-1")], "no signature: send X-JWS-Signature, or Auth-Id + Request-Id + Sign"),
            ]
            for (headers, message) in cases {
                let response = try await client.raw(Self.path, body: Self.body, headers: headers)
                expectCardAPIError(response, .unauthorized, "invalid_signature", message)
            }
        }
    }

    @Test func wrongSignAndUnknownAuthID() async throws {
        try await withPartner { client, partner in
            let wrongSigns = [
                LegacySign.sign(body: Array(Self.body.utf8), secret: partner.secret + "x"),
                LegacySign.sign(body: Array((Self.body + " ").utf8), secret: partner.secret),
                String(Self.sign(partner).dropLast(2)),
                "not-hex",
            ]
            for sign in wrongSigns {
                let response = try await client.raw(Self.path, body: Self.body, headers: [
                    ("Auth-Id", partner.authID), ("Request-Id", "r-2"), ("Sign", sign)])
                expectCardAPIError(response, .unauthorized, "invalid_signature", "Sign does not match sha256(body + secret) for this Auth-Id")
            }
            let unknown = try await client.raw(Self.path, body: Self.body, headers: [
                ("Auth-Id", "0000000"), ("Request-Id", "r-3"), ("Sign", Self.sign(partner))])
            expectCardAPIError(unknown, .unauthorized, "unknown_partner", "Auth-Id '0000000' is not a registered partner")
        }
    }

    /// A body changed by one byte after signing is refused.
    @Test func tamperedBody() async throws {
        try await withPartner { client, partner in
            let tampered = Self.body.replacingOccurrences(of: "5aac", with: "5aad")
            let response = try await client.raw(Self.path, body: tampered, headers: [
                ("Auth-Id", partner.authID), ("Request-Id", "r-4"), ("Sign", Self.sign(partner))])
            expectCardAPIError(response, .unauthorized, "invalid_signature", "Sign does not match sha256(body + secret) for this Auth-Id")
        }
    }
}

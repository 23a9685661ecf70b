import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

/// The authenticators read partner credentials through an in-memory cache (`CredentialsCache`); a secret
/// that was rotated or a partner that was removed must stop working regardless.
@Suite struct CredentialsCacheTests {
    static let path = "/v5/card-api/request/status"
    static let body = #"{"request_id":"5b0a3f0e-cache-test"}"#

    /// A request that authenticates answers `request_not_found` (HTTP 200); one that does not answers 401.
    private func status(_ client: any TestClientProtocol, authID: String, secret: String) async throws -> (Int, String?) {
        let response = try await client.raw(Self.path, body: Self.body, headers: [
            ("X-JWS-Signature", DetachedJWS.sign(body: Array(Self.body.utf8), header: JWSHeader(uri: Self.path, authID: authID, alg: .hs512), secret: secret))])
        return (response.status.code, response.json["error_code"] as? String)
    }

    private func legacyStatus(_ client: any TestClientProtocol, authID: String, secret: String) async throws -> (Int, String?) {
        let response = try await client.raw(Self.path, body: Self.body, headers: [
            ("Auth-Id", authID), ("Request-Id", UUID().uuidString), ("Sign", LegacySign.sign(body: Array(Self.body.utf8), secret: secret))])
        return (response.status.code, response.json["error_code"] as? String)
    }

    /// What the dashboard's rotation does: a new sealed secret in the store.
    private func replaceSecret(of partner: Partner, with secret: String, on server: TestServer) async throws {
        let sealed = try server.services.credentials.secrets.seal(secret)
        try await server.services.store.write { db in
            try await db.execute("UPDATE partners SET secret_sealed = ? WHERE id = ?", [.blob(sealed), .integer(partner.id.rawValue)])
        }
    }

    @Test func rotatedSecretStopsWorkingAtOnceWhenTheChangeIsReported() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner()
        try await server.withRouter { client in
            // Both schemes have read (and cached) the partner with its first secret.
            #expect(try await status(client, authID: partner.authID, secret: partner.secret) == (200, "request_not_found"))
            #expect(try await legacyStatus(client, authID: partner.authID, secret: partner.secret) == (200, "request_not_found"))

            try await replaceSecret(of: partner, with: "a-brand-new-secret-after-rotation", on: server)
            server.services.credentials.credentialsChanged(partner: partner.id)

            #expect(try await status(client, authID: partner.authID, secret: partner.secret) == (401, "invalid_signature"))
            #expect(try await legacyStatus(client, authID: partner.authID, secret: partner.secret) == (401, "invalid_signature"))
            #expect(try await status(client, authID: partner.authID, secret: "a-brand-new-secret-after-rotation") == (200, "request_not_found"))
        }
    }

    /// Another server instance rotated the secret: this one cannot be told, and refuses the old secret
    /// once its cached entry is older than the cache's TTL.
    @Test func changeMadeElsewhereIsSeenAfterTheTTL() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner()
        let ttl = server.services.credentials.cache.ttl
        #expect(ttl > 0 && ttl <= 5)
        try await server.withRouter { client in
            #expect(try await status(client, authID: partner.authID, secret: partner.secret) == (200, "request_not_found"))
            try await replaceSecret(of: partner, with: "rotated-on-another-instance", on: server)
            server.clock.advance(by: ttl + 0.5)
            #expect(try await status(client, authID: partner.authID, secret: partner.secret) == (401, "invalid_signature"))
            #expect(try await status(client, authID: partner.authID, secret: "rotated-on-another-instance") == (200, "request_not_found"))
        }
    }

    @Test func removedPartnerIsUnknownAtOnce() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner()
        try await server.withRouter { client in
            #expect(try await status(client, authID: partner.authID, secret: partner.secret) == (200, "request_not_found"))
            try await server.services.store.write { db in
                try await db.execute("DELETE FROM partners WHERE id = ?", [.integer(partner.id.rawValue)])
            }
            server.services.credentials.credentialsChanged(partner: partner.id)
            #expect(try await status(client, authID: partner.authID, secret: partner.secret) == (401, "unknown_partner"))
        }
    }

    /// A lookup that read the old secret before a change committed must not put it back after the invalidation.
    @Test func lookupRacingAnInvalidationDoesNotRestoreTheOldSecret() async throws {
        let clock = ManualClock()
        let cache = CredentialsCache(ttl: 60, clock: clock)
        let old = Partner(id: PartnerID(rawValue: 1), authID: "100001", name: "P", secret: "old")
        let new = Partner(id: PartnerID(rawValue: 1), authID: "100001", name: "P", secret: "new")
        let loaded = try await cache.partner(authID: "100001") {
            cache.invalidatePartner(id: old.id)  // the rotation commits while this lookup is reading
            return old
        }
        #expect(loaded == old)
        #expect(try await cache.partner(authID: "100001") { new } == new)
        #expect(try await cache.partner(authID: "100001") { old } == new)  // now cached
    }
}

import Foundation
import FreedomPayClient
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

/// Failure injection through the real middleware: configured at start-up or through the sandbox route.
@Suite struct FailureInjectionTests {
    static func inject(_ body: String, client: any TestClientProtocol, as partner: Partner) async throws -> TestResponse {
        try await client.cardAPI("/v5/card-api/sandbox/inject", body, as: partner)
    }

    static func clientCount(_ server: TestServer) async throws -> Int64 {
        try await server.services.store.read { db in try await db.queryOne("SELECT COUNT(*) AS n FROM card_clients", [])?.int("n") ?? -1 }
    }

    @Test func errorAnswersTheRoutesEnvelopeWithoutExecuting() async throws {
        try await withCardServer { server, partner, _, client in
            let added = try await Self.inject(#"{"action":"add","rule":"POST /v5/card-api/client/add=error:internal_error"}"#, client: client, as: partner)
            #expect(added.json["rules"] as? [String] == ["POST /v5/card-api/client/add=error:internal_error"], "\(added.text)")
            let refused = try await client.cardAPI("/v5/card-api/client/add", CardBodies.client(), as: partner)
            expectCardAPIError(refused, .internalServerError, "internal_error", "Injected failure (sandbox failure injection)")
            #expect(try await Self.clientCount(server) == 0)
            let cleared = try await Self.inject(#"{"action":"clear"}"#, client: client, as: partner)
            #expect(cleared.json["rules"] as? [String] == [])
            _ = try await client.addClient(as: partner)
            #expect(try await Self.clientCount(server) == 1)
        }
    }

    @Test func merchantAndPartnerRoutesAnswerTheirOwnEnvelopes() async throws {
        let partnerRoute = try #require(APIRouteTable.routes.first { $0.api == .partnerAPI && !$0.stringErrorCode })
        try await withCardServer(configure: { configuration in
            configuration.failureInjection = [
                try! FailureRule.parse("POST /init_payment.php=error:9999"), try! FailureRule.parse("POST \(partnerRoute.path)=error:500"),
            ]
        }) { server, partner, _, client in
            let merchant = try await server.createMerchant()
            let xml = try await client.merchantAPI("/init_payment.php", [PGParameter("pg_amount", "10")], as: merchant)
            #expect(xml.xml.value("pg_status") == "error" && xml.xml.value("pg_error_code") == "9999", "\(xml.text)")
            let json = try await client.partnerAPI(partnerRoute.path, "{}", as: partner)
            #expect(json.status == .internalServerError && json.json["error_code"] as? Int == 500, "\(json.text)")
        }
    }

    @Test func latencyDelaysThenExecutes() async throws {
        try await withCardServer(configure: { $0.failureInjection = [try! FailureRule.parse("POST /v5/card-api/client/add=latency:300")] }) {
            server, partner, _, client in
            let start = ContinuousClock.now
            _ = try await client.addClient(as: partner)
            #expect(ContinuousClock.now - start >= .milliseconds(300))
            #expect(try await Self.clientCount(server) == 1)
        }
    }

    @Test func rulesAreIgnoredOutsideSandboxMode() async throws {
        try await withCardServer(configure: { configuration in
            configuration.sandbox = false
            configuration.encryptionKey = SecretBox.Key.generate().encoded
            configuration.failureInjection = [try! FailureRule.parse("POST /v5/card-api/client/add=error:internal_error")]
        }) { server, partner, _, client in
            _ = try await client.addClient(as: partner)
            #expect(try await Self.clientCount(server) == 1)
        }
    }

    @Test func runtimeRouteRefusesBadRules() async throws {
        try await withCardServer { _, partner, _, client in
            let bad = try await Self.inject(#"{"action":"add","rule":"POST /nowhere=error:1"}"#, client: client, as: partner)
            #expect(bad.json["error_code"] as? String == "validation_error", "\(bad.text)")
            let unknown = try await Self.inject(#"{"action":"explode"}"#, client: client, as: partner)
            #expect(unknown.json["error_code"] as? String == "validation_error")
            let list = try await Self.inject(#"{"action":"list"}"#, client: client, as: partner)
            #expect(list.json["rules"] as? [String] == [])
        }
    }

    /// The point of drop-after-commit: the work is committed but the answer is lost; a retry with the same
    /// request id replays the stored answer instead of executing twice.
    @Test func dropAfterCommitThenRetryReplaysTheStoredAnswer() async throws {
        let server = try await TestServer.make()
        let partner = try await server.createPartner()
        try await server.withLiveServer { baseURL in
            let client = CardAPIClient(baseURL: baseURL, authID: partner.authID, secret: partner.secret)
            let add = try await client.sendRaw(path: "/v5/card-api/sandbox/inject", body: Array(
                #"{"action":"add","rule":"POST /v5/card-api/client/add=drop-after-commit"}"#.utf8))
            #expect(add.status == 200, "\(add.text)")
            let body = Array(CardBodies.client().utf8)
            await #expect(throws: (any Error).self) { _ = try await client.sendRaw(path: "/v5/card-api/client/add", body: body) }
            #expect(try await Self.clientCount(server) == 1, "the dropped request was committed")
            _ = try await client.sendRaw(path: "/v5/card-api/sandbox/inject", body: Array(#"{"action":"clear"}"#.utf8))
            let retry = try await client.sendRaw(path: "/v5/card-api/client/add", body: body)
            let answer = try JSONSerialization.jsonObject(with: Data(retry.body)) as? [String: Any] ?? [:]
            #expect(answer["status"] as? String == "ok", "\(retry.text)")
            let stored = try await server.services.store.read { db in try await db.queryOne("SELECT client_id FROM card_clients", [])?.text("client_id") }
            #expect(answer["client_id"] as? String == stored)
            #expect(try await Self.clientCount(server) == 1, "the retry did not execute again")
        }
        await server.cleanUp()
    }
}

import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

/// The legacy `Auth-Id` / `Request-Id` / `Sign` variant on the Payment Cards routes.
@Suite struct CardLegacyAuthTests {
    @Test func legacySignedCallsWorkAndAReusedRequestIDIsRefused() async throws {
        try await withCardServer { server, owner, _, client in
            let body = CardBodies.client(requestID: "")
            let headerID = CardBodies.uuid()
            let created = try await client.cardAPILegacy("/v5/card-api/client/add", body, as: owner, requestID: headerID)
            #expect(created.json["status"] as? String == "ok", "\(created.text)")
            let clientID = try #require(created.json["client_id"] as? String)
            let status = try await client.cardAPI("/v5/card-api/request/status", #"{"request_id":"\#(headerID)"}"#, as: owner)
            #expect(status.json["client_id"] as? String == clientID, "the Request-Id header is the request id")

            let again = try await client.cardAPILegacy("/v5/card-api/client/add", body, as: owner, requestID: headerID)
            #expect(again.json["error_code"] as? String == "duplicate_request_id", "legacy ids never repeat, even with the same body")
            let count = try await server.services.store.read { db in try await db.queryOne("SELECT COUNT(*) AS n FROM card_clients", [])?.int("n") }
            #expect(count == 1)

            let issueID = CardBodies.uuid()
            _ = try await client.cardAPILegacy("/v5/card-api/card/issue",
                CardBodies.json(IssueCardRequest(requestID: "", productID: 2000, clientID: clientID)), as: owner, requestID: issueID)
            let card = try #require(try await client.cardsOf(request: issueID, as: owner).first)
            let blocked = try await client.cardAPILegacy("/v5/card-api/card/block", CardBodies.action(card, requestID: ""), as: owner)
            #expect(blocked.json["request_status"] as? String == "success", "\(blocked.text)")
            let info = try await client.cardAPILegacy("/v5/card-api/card/info", CardBodies.json(CardRequest(cardID: card)), as: owner)
            #expect(info.json["card_status"] as? Int == 4)
        }
    }
}

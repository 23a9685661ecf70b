import Foundation
import FreedomPayCore
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

/// Pins where the APIs' journals differ (found when unifying them into `RequestJournal`), so that the shared
/// type keeps each API's rules: a Card API request id replays only on the endpoint that first used it, while a
/// gift-card JWS retry replays on any gift route (`GiftCardExecution.rules.replayRequiresSameKind` is false).
@Suite struct RequestJournalDifferenceTests {
    @Test func giftJWSSameBytesToAnotherGiftRouteReplaysTheFirstAnswer() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner()
        try await server.withRouter { client in
            try await GiftCardTests.fund(client, partner, "100")
            let issued = try await client.cardAPI("/v5/cards/issue_card", GiftCardTests.issueBody, as: partner)
            let cardID = try #require(issued.json["card_id"] as? Int)
            let body = #"{"card_id":\#(cardID),"request_id":"gift-same-bytes"}"#

            let first = try await client.cardAPI("/v5/cards/resend_code", body, as: partner)
            #expect(first.json["status"] as? Int == 0, "\(first.text)")
            // Executed, `resend` would refuse a card not yet activated (-1); it answers resend_code's answer.
            let other = try await client.cardAPI("/v5/cards/resend", body, as: partner)
            #expect(other.text == first.text)
            let executed = try await client.cardAPI("/v5/cards/resend", #"{"card_id":\#(cardID)}"#, as: partner)
            #expect(executed.json["status"] as? Int == -1, "\(executed.text)")

            let changed = try await client.cardAPI("/v5/cards/resend", #"{"card_id":\#(cardID),"request_id":"gift-same-bytes","x":1}"#, as: partner)
            #expect(changed.json["status"] as? Int == -1)
            #expect((changed.json["error_description"] as? String)?.contains("already used") == true, "\(changed.text)")
        }
        let record = try await server.services.store.read { db in
            try await RequestRepository().find(partner: partner.id, requestID: FreedomPayCore.RequestID(rawValue: "gift-same-bytes"), in: db)
        }
        #expect(record?.kind == "gift.resend_code")
        #expect(record?.status == .success)
    }
}

import Foundation
import FreedomPayCore
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

/// Found when unifying the journals into `RequestJournal`: gift cards replayed a request id's stored answer on
/// any gift route, so `resend` with `resend_code`'s bytes answered `resend_code`'s answer without running.
/// Now, as on the Card API, a request id belongs to the endpoint that first used it.
@Suite struct RequestJournalDifferenceTests {
    @Test func giftRequestIDReusedOnAnotherGiftRouteIsRefusedNotReplayed() async throws {
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
            let other = try await client.cardAPI("/v5/cards/resend", body, as: partner)
            #expect(other.text != first.text, "another route's stored answer was replayed")
            #expect((other.json["error_description"] as? String)?.contains("already used") == true, "\(other.text)")
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

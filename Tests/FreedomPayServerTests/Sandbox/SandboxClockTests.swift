import Foundation
import FreedomPayCore
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

@Suite struct SandboxClockTests {
    @Test(arguments: [("6d", 518_400.0), ("12h", 43_200), ("30m", 1_800), ("45s", 45), ("1d12h", 129_600)])
    func durationsParse(text: String, seconds: Double) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test(arguments: ["", "6", "d", "6x", "-1d", "1.5d"])
    func malformedDurationsAreRefused(text: String) {
        #expect(DurationText.seconds(text) == nil)
    }

    @Test func advancingTheClockExpiresAGiftCode() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner()
        try await server.withRouter { client in
            try await GiftCardTests.fund(client, partner, "100")
            let issued = try await client.cardAPI("/v5/cards/issue_card", GiftCardTests.issueBody, as: partner)
            let cardID = issued.json["card_id"] as? Int ?? 0
            let code = try await GiftCardTests.latestCode(client, partner)
            let before = server.clock.now()
            let moved = try await client.cardAPI("/v5/card-api/sandbox/clock", #"{"advance":"6m"}"#, as: partner)
            #expect(moved.json["offset_seconds"] as? Int == 360)
            #expect(server.clock.now().timeIntervalSince(before) >= 360)
            let expired = try await client.cardAPI("/v5/cards/activate_card", #"{"otp":"\#(code)","card_id":\#(cardID)}"#, as: partner)
            #expect(expired.json["status"] as? Int == -8)
            let refused = try await client.cardAPI("/v5/card-api/sandbox/clock", #"{"advance":"-1d"}"#, as: partner)
            #expect(refused.json["error_code"] as? String == "validation_error")
        }
    }
}

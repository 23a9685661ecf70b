import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

@Suite struct RequestStatusTests {
    @Test func unknownRequestIDAnswersRequestNotFound() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner()
        try await server.withRouter { client in
            let response = try await client.cardAPI("/v5/card-api/request/status", #"{"request_id":"828cf71d-a447-4a67-a149-c1df8bc197ca"}"#, as: partner)
            #expect(response.status == .ok)
            #expect(response.json["status"] as? String == "error")
            #expect(response.json["request_status"] as? String == "error")
            #expect(response.json["error_code"] as? String == "request_not_found")
        }
    }

    @Test func knownRequestAnswersItsOutcomeOnlyToItsOwner() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let owner = try await server.createPartner()
        let other = try await server.createPartner()
        let record = RequestRecord(
            partnerID: owner.id, requestID: RequestID(rawValue: "r-1"), api: .card, kind: "card.issue", bodyHash: "x",
            status: .success, outcome: RequestOutcome(cards: ["40010077"], clientID: "9001234"), createdAt: Date())
        try await server.services.store.write { db in try await server.services.requests.insert(record, in: db) }
        try await server.withRouter { client in
            let mine = try await client.cardAPI("/v5/card-api/request/status", #"{"request_id":"r-1"}"#, as: owner)
            #expect(mine.json["request_status"] as? String == "success")
            #expect(mine.json["client_id"] as? String == "9001234")
            #expect((mine.json["cards"] as? [[String: Any]])?.first?["card_id"] as? String == "40010077")
            let theirs = try await client.cardAPI("/v5/card-api/request/status", #"{"request_id":"r-1"}"#, as: other)
            #expect(theirs.json["error_code"] as? String == "request_not_found")
        }
    }
}

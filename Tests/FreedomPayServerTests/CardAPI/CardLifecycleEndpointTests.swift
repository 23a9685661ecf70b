import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

@Suite struct CardLifecycleEndpointTests {
    @Test func virtualCardStartsActivatedPlasticStartsIssued() async throws {
        try await withCardServer { _, owner, _, client in
            let (_, virtual) = try await client.issueCard(as: owner)
            #expect(try await client.cardStatus(virtual, as: owner) == 2)
            let (_, plastic) = try await client.issueCard(as: owner, plastic: true)
            #expect(try await client.cardStatus(plastic, as: owner) == 1)
            try await client.expectError("/v5/card-api/card/block", CardBodies.action(plastic), as: owner, code: "invalid_card_state")
            let activated = try await client.cardAPI("/v5/card-api/card/activate", CardBodies.action(plastic, description: nil), as: owner)
            #expect(activated.json["request_status"] as? String == "success", "\(activated.text)")
            #expect(try await client.cardStatus(plastic, as: owner) == 2)
            try await client.expectError("/v5/card-api/card/activate", CardBodies.action(virtual, description: nil), as: owner, code: "invalid_card_state")
            #expect(try await client.cardStatus(virtual, as: owner) == 2)
        }
    }

    @Test func blockUnblockCloseFollowTheStateMachine() async throws {
        try await withCardServer { _, owner, _, client in
            let (_, card) = try await client.issueCard(as: owner)
            try await client.expectError("/v5/card-api/card/unblock", CardBodies.action(card), as: owner, code: "invalid_card_state", mentioning: "unblock")
            _ = try await client.cardAPI("/v5/card-api/card/block", CardBodies.action(card, description: "lost"), as: owner)
            #expect(try await client.cardStatus(card, as: owner) == 4)
            try await client.expectError("/v5/card-api/card/block", CardBodies.action(card), as: owner, code: "invalid_card_state")
            _ = try await client.cardAPI("/v5/card-api/card/unblock", CardBodies.action(card, description: "found"), as: owner)
            #expect(try await client.cardStatus(card, as: owner) == 2)
            _ = try await client.cardAPI("/v5/card-api/card/block", CardBodies.action(card), as: owner)
            _ = try await client.cardAPI("/v5/card-api/card/close", CardBodies.action(card, description: "reissue"), as: owner)
            #expect(try await client.cardStatus(card, as: owner) == 3)
            for path in ["card/activate", "card/block", "card/unblock", "card/close"] {
                try await client.expectError("/v5/card-api/" + path, CardBodies.action(card), as: owner, code: "invalid_card_state")
            }
            #expect(try await client.cardStatus(card, as: owner) == 3)
        }
    }

    @Test func lifecycleCallsReportTheirDocumentedErrors() async throws {
        try await withCardServer { _, owner, _, client in
            let (_, card) = try await client.issueCard(as: owner)
            for path in ["card/block", "card/unblock", "card/close"] {
                try await client.expectError("/v5/card-api/" + path, CardBodies.action(card, description: nil), as: owner,
                                             code: "validation_error", mentioning: "description")
            }
            for path in ["card/activate", "card/block", "card/unblock", "card/close", "card/reset_counter_pin"] {
                try await client.expectError("/v5/card-api/" + path, CardBodies.action("99999999"), as: owner, code: "card_not_found")
                try await client.expectError("/v5/card-api/" + path, #"{"request_id":"\#(CardBodies.uuid())"}"#, as: owner,
                                             code: "validation_error", mentioning: "card_id")
            }
            let block = CardBodies.action(card, requestID: "blk-1")
            _ = try await client.cardAPI("/v5/card-api/card/block", block, as: owner)
            try await client.expectError("/v5/card-api/card/unblock", CardBodies.action(card, requestID: "blk-1"), as: owner, code: "duplicate_request_id")
            try await client.expectError("/v5/card-api/card/block", CardBodies.action(card, description: "other", requestID: "blk-1"), as: owner, code: "duplicate_request_id")
            let replay = try await client.cardAPI("/v5/card-api/card/block", block, as: owner)
            #expect(replay.json["request_status"] as? String == "success", "an identical retry replays the first answer")
            // A refused request keeps its id: reusing it for a real change is a duplicate and executes nothing.
            for path in ["card/activate", "card/close", "card/reset_counter_pin"] {
                let id = CardBodies.uuid()
                try await client.expectError("/v5/card-api/" + path, CardBodies.action("99999999", requestID: id), as: owner, code: "card_not_found")
                try await client.expectError("/v5/card-api/" + path, CardBodies.action(card, requestID: id), as: owner, code: "duplicate_request_id")
            }
            #expect(try await client.cardStatus(card, as: owner) == 4)
            #expect(try await client.cardStatus(card, as: owner) == 4, "the duplicate unblock did nothing")
        }
    }

    @Test func issueCallsReportTheirDocumentedErrors() async throws {
        try await withCardServer { _, owner, _, client in
            let clientID = try await client.addClient(as: owner)
            try await client.expectError("/v5/card-api/card/issue", CardBodies.json(IssueCardRequest(requestID: CardBodies.uuid(), productID: 2000, clientID: "0000000")),
                                         as: owner, code: "client_not_found")
            try await client.expectError("/v5/card-api/card/issue", CardBodies.json(IssueCardRequest(requestID: CardBodies.uuid(), productID: 3000, clientID: clientID)),
                                         as: owner, code: "validation_error", mentioning: "product_id")
            try await client.expectError("/v5/card-api/card/issue", #"{"request_id":"i1","product_id":2000}"#, as: owner, code: "validation_error", mentioning: "client_id")
            try await client.expectError("/v5/card-api/card/issue_plastic", CardBodies.json(IssuePlasticCardRequest(
                requestID: CardBodies.uuid(), productID: 2000, clientID: clientID, embossedName: "ivan ivanov")), as: owner, code: "validation_error", mentioning: "embossed_name")
            try await client.expectError("/v5/card-api/card/issue_plastic", #"{"request_id":"p1","client_id":"\#(clientID)"}"#, as: owner, code: "validation_error", mentioning: "product_id")
            let issue = CardBodies.json(IssueCardRequest(requestID: "iss-1", productID: 2000, clientID: clientID))
            _ = try await client.cardAPI("/v5/card-api/card/issue", issue, as: owner)
            try await client.expectError("/v5/card-api/card/issue_plastic", CardBodies.json(IssuePlasticCardRequest(requestID: "iss-1", productID: 2000, clientID: clientID)),
                                         as: owner, code: "duplicate_request_id")
        }
    }

    @Test func bulkIssueMakesCountUnlinkedIssuedCards() async throws {
        try await withCardServer { _, owner, _, client in
            let requestID = CardBodies.uuid()
            let response = try await client.cardAPI("/v5/card-api/card/bulk_issue", CardBodies.json(BulkIssueRequest(requestID: requestID, productID: 3000, count: 3)), as: owner)
            #expect(response.json["request_status"] as? String == "success")
            let cards = try await client.cardsOf(request: requestID, as: owner)
            #expect(cards.count == 3 && Set(cards).count == 3)
            for card in cards {
                let info = try await client.cardAPI("/v5/card-api/card/info", CardBodies.json(CardRequest(cardID: card)), as: owner)
                #expect(info.json["card_status"] as? Int == 1)
                #expect(info.json["client_id"] as? String == "")
                #expect(info.json["product_id"] as? Int == 3000)
            }
            for count in [0, 1001] {
                try await client.expectError("/v5/card-api/card/bulk_issue", CardBodies.json(BulkIssueRequest(requestID: CardBodies.uuid(), productID: 3000, count: count)),
                                             as: owner, code: "validation_error", mentioning: "count")
            }
            try await client.expectError("/v5/card-api/card/bulk_issue", #"{"request_id":"b1","count":2}"#, as: owner, code: "validation_error", mentioning: "product_id")
            try await client.expectError("/v5/card-api/card/bulk_issue", CardBodies.json(BulkIssueRequest(requestID: requestID, productID: 3000, count: 5)),
                                         as: owner, code: "duplicate_request_id")
        }
    }

    @Test func delayedCompletionAnswersProcessThenTheCards() async throws {
        try await withCardServer(configure: { $0.asyncCompletionDelaySeconds = 100_000 }) { server, owner, _, client in
            let clientID = try await client.addClient(as: owner)
            let requestID = CardBodies.uuid()
            let issued = try await client.cardAPI("/v5/card-api/card/issue", CardBodies.json(IssueCardRequest(requestID: requestID, productID: 2000, clientID: clientID)), as: owner)
            #expect(issued.json["request_status"] as? String == "process")
            let pending = try await client.cardAPI("/v5/card-api/request/status", #"{"request_id":"\#(requestID)"}"#, as: owner)
            #expect(pending.json["request_status"] as? String == "process")
            #expect((pending.json["cards"] as? [Any])?.isEmpty == true)
            server.clock.advance(by: 100_001)
            let cards = try await client.cardsOf(request: requestID, as: owner)
            #expect(cards.count == 1)
        }
    }
}

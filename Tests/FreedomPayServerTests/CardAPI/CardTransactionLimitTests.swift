import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

/// Payment cards seen from `transaction/create`: state decides what may move, stored limits cap debits.
@Suite struct CardTransactionLimitTests {
    static func transaction(_ card: String, _ type: String, _ amount: String, order: String = CardBodies.uuid()) -> String {
        #"{"request_id":"\#(CardBodies.uuid())","order_id":"\#(order)","card_id":"\#(card)","type":"\#(type)","amount":\#(amount),"currency":"KZT"}"#
    }

    @Test func debitsRespectLimitsAndTheCardState() async throws {
        try await withCardServer { _, owner, stranger, client in
            let (clientID, card) = try await client.issueCard(as: owner)
            let credit = try await client.cardAPI("/v5/card-api/transaction/create", Self.transaction(card, "credit", "1000"), as: owner)
            #expect(credit.json["status"] as? String == "ok", "\(credit.text)")
            let limit = LimitEntry(transactionType: "pay", period: "day", amount: [LimitAmount(type: "max", value: "100", currency: "KZT")])
            _ = try await client.cardAPI("/v5/card-api/limits/set", LimitEndpointTests.set("client", clientID, limits: [limit]), as: owner)

            let first = try await client.cardAPI("/v5/card-api/transaction/create", Self.transaction(card, "debit", "60"), as: owner)
            #expect(first.json["status"] as? String == "ok", "\(first.text)")
            try await client.expectError("/v5/card-api/transaction/create", Self.transaction(card, "debit", "50"), as: owner, code: "limit_exceeded")
            let list = try await client.cardAPI("/v5/card-api/limits/list",
                CardBodies.json(ListLimitsRequest(requestID: CardBodies.uuid(), object: LimitObject(type: "client", value: clientID))), as: owner)
            let entry = try #require((list.json["limits"] as? [[String: Any]])?.first)
            #expect(entry["counter"] as? String == "60")
            #expect(entry["available"] as? String == "40")
            let fits = try await client.cardAPI("/v5/card-api/transaction/create", Self.transaction(card, "debit", "40"), as: owner)
            #expect(fits.json["status"] as? String == "ok", "\(fits.text)")

            _ = try await client.cardAPI("/v5/card-api/card/block", CardBodies.action(card), as: owner)
            try await client.expectError("/v5/card-api/transaction/create", Self.transaction(card, "debit", "1"), as: owner, code: "invalid_card_state")
            let topUp = try await client.cardAPI("/v5/card-api/transaction/create", Self.transaction(card, "credit", "5"), as: owner)
            #expect(topUp.json["status"] as? String == "ok", "a blocked card still takes credits: \(topUp.text)")
            _ = try await client.cardAPI("/v5/card-api/card/close", CardBodies.action(card), as: owner)
            try await client.expectError("/v5/card-api/transaction/create", Self.transaction(card, "credit", "5"), as: owner, code: "invalid_card_state")
            try await client.expectError("/v5/card-api/transaction/create", Self.transaction(card, "credit", "5"), as: stranger, code: "card_not_found")
        }
    }
}

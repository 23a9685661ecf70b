import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

@Suite struct LimitEndpointTests {
    static func set(_ type: String, _ value: String, limits: [LimitEntry], requestID: String = CardBodies.uuid()) -> String {
        CardBodies.json(SetLimitsRequest(requestID: requestID, object: LimitObject(type: type, value: value), limits: limits))
    }

    static let atm = LimitEntry(transactionType: "withdrawal_atm", period: "month", amount: [LimitAmount(type: "max", value: "5000", currency: "USD")])

    @Test func setLimitsAreListedAndReplacedPerKey() async throws {
        try await withCardServer { _, owner, _, client in
            let (clientID, card) = try await client.issueCard(as: owner)
            let response = try await client.cardAPI("/v5/card-api/limits/set", Self.set("card", card, limits: [Self.atm]), as: owner)
            #expect(response.json["request_status"] as? String == "success", "\(response.text)")
            let raised = LimitEntry(transactionType: "withdrawal_atm", period: "month", amount: [LimitAmount(type: "max", value: "7500.50", currency: "USD")])
            let pay = LimitEntry(transactionType: "pay", region: "abroad", period: "day", amount: [LimitAmount(type: "max", value: "100", currency: "KZT")])
            _ = try await client.cardAPI("/v5/card-api/limits/set", Self.set("card", card, limits: [raised, pay]), as: owner)
            let list = try await client.cardAPI("/v5/card-api/limits/list",
                CardBodies.json(ListLimitsRequest(requestID: CardBodies.uuid(), object: LimitObject(type: "card", value: card))), as: owner)
            let limits = try #require(list.json["limits"] as? [[String: Any]])
            #expect(limits.count == 2)
            let atm = try #require(limits.first { $0["transaction_type"] as? String == "withdrawal_atm" })
            #expect((atm["amount"] as? [[String: Any]])?.first?["value"] as? String == "7500.5")
            #expect(atm["counter"] as? String == "0")
            #expect(atm["available"] as? String == "7500.5")
            #expect(limits.contains { $0["region"] as? String == "abroad" })

            _ = try await client.cardAPI("/v5/card-api/limits/set", Self.set("client", clientID, limits: [Self.atm]), as: owner)
            let clientLimits = try await client.cardAPI("/v5/card-api/limits/list",
                CardBodies.json(ListLimitsRequest(requestID: CardBodies.uuid(), object: LimitObject(type: "client", value: clientID))), as: owner)
            #expect((clientLimits.json["limits"] as? [Any])?.count == 1)
        }
    }

    @Test func limitsReportTheirDocumentedErrors() async throws {
        try await withCardServer { _, owner, _, client in
            let (_, card) = try await client.issueCard(as: owner)
            try await client.expectError("/v5/card-api/limits/set", Self.set("card", "99999999", limits: [Self.atm]), as: owner, code: "card_not_found")
            try await client.expectError("/v5/card-api/limits/set", Self.set("client", "0000000", limits: [Self.atm]), as: owner, code: "client_not_found")
            try await client.expectError("/v5/card-api/limits/set", Self.set("wallet", card, limits: [Self.atm]), as: owner, code: "validation_error", mentioning: "object.type")
            let bad = LimitEntry(transactionType: "pay", period: "day", amount: [LimitAmount(type: "max", value: "12.345", currency: "KZT")])
            try await client.expectError("/v5/card-api/limits/set", Self.set("card", card, limits: [bad]), as: owner, code: "validation_error", mentioning: "limits[0].amount[0].value")
            try await client.expectError("/v5/card-api/limits/set", #"{"request_id":"x","limits":[]}"#, as: owner, code: "validation_error", mentioning: "object")
            _ = try await client.cardAPI("/v5/card-api/limits/set", Self.set("card", card, limits: [Self.atm], requestID: "lim-1"), as: owner)
            try await client.expectError("/v5/card-api/limits/set", Self.set("card", card, limits: [LimitEntry(transactionType: "pay", amount: [LimitAmount(type: "max", value: "1", currency: "KZT")])], requestID: "lim-1"), as: owner, code: "duplicate_request_id")
            try await client.expectError("/v5/card-api/limits/list",
                CardBodies.json(ListLimitsRequest(requestID: CardBodies.uuid(), object: LimitObject(type: "card", value: "99999999"))), as: owner, code: "card_not_found")
            try await client.expectError("/v5/card-api/limits/list", #"{"object":{"type":"card","value":"\#(card)"}}"#, as: owner, code: "validation_error", mentioning: "request_id")
            _ = try await client.cardAPI("/v5/card-api/card/close", CardBodies.action(card), as: owner)
            try await client.expectError("/v5/card-api/limits/set", Self.set("card", card, limits: [Self.atm]), as: owner, code: "invalid_card_state")
        }
    }
}

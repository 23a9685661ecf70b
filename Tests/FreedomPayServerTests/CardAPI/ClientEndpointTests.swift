import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

@Suite struct ClientEndpointTests {
    @Test func addClientAnswersClientIDAlsoThroughRequestStatus() async throws {
        try await withCardServer { _, owner, _, client in
            let requestID = CardBodies.uuid()
            let response = try await client.cardAPI("/v5/card-api/client/add", CardBodies.client(requestID: requestID), as: owner)
            #expect(response.json["status"] as? String == "ok")
            #expect(response.json["request_status"] as? String == "success")
            let clientID = try #require(response.json["client_id"] as? String)
            let status = try await client.cardAPI("/v5/card-api/request/status", #"{"request_id":"\#(requestID)"}"#, as: owner)
            #expect(status.json["client_id"] as? String == clientID)
        }
    }

    @Test func documentedProduct1000ExampleIsAcceptedAndItsRulesEnforced() async throws {
        try await withCardServer { _, owner, _, client in
            let example = #"{"request_id":"0b8f7a2c-1d3e-4f5a-8b6c-7d8e9f0a1b2c","product_id":1000,"client":{"phone":77011234567,"type":1,"resident":1,"first_name":"ASEL","last_name":"NURLANOVA","birthdate":"1994-07-12","country":"KAZ","person_id":"940712400123","language":"ru","document":"JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0K","address1":{"country":"KAZ","postal_code":"050000","address_line1":"Almaty","address_line2":"Abaya ave","address_line3":"10, apt 5"},"address2":{"country":"KAZ","postal_code":"050000","address_line1":"Almaty","address_line2":"Abaya ave","address_line3":"10, apt 5"},"identification_info":{"idn_date":"2025-03-01T09:00:00+05:00","identified_by":"partner_kyc"}}}"#
            let response = try await client.cardAPI("/v5/card-api/client/add", example, as: owner)
            #expect(response.json["client_id"] as? String != nil, "\(response.text)")
            try await client.expectError(
                "/v5/card-api/client/add", CardBodies.client(product: 1000), as: owner, code: "validation_error", mentioning: "client.country")
        }
    }

    @Test func addClientNamesMissingAndInvalidFields() async throws {
        try await withCardServer { _, owner, _, client in
            try await client.expectError("/v5/card-api/client/add",
                #"{"request_id":"a1","product_id":2000,"client":{"phone":77011234567,"type":1,"resident":1,"last_name":"X"}}"#,
                as: owner, code: "validation_error", mentioning: "client.first_name")
            try await client.expectError("/v5/card-api/client/add",
                #"{"request_id":"a2","product_id":2000,"client":{"phone":"77011234567","type":1,"resident":1,"first_name":"A","last_name":"B"}}"#,
                as: owner, code: "validation_error", mentioning: "client.phone")
            try await client.expectError("/v5/card-api/client/add",
                #"{"product_id":2000,"client":{"phone":77011234567,"type":1,"resident":1,"first_name":"A","last_name":"B"}}"#,
                as: owner, code: "validation_error", mentioning: "request_id")
            try await client.expectError("/v5/card-api/client/add", CardBodies.client(product: 4000), as: owner, code: "validation_error", mentioning: "product_id")
        }
    }

    @Test func reusedRequestIDIsReplayedWhenIdenticalAndRefusedOtherwise() async throws {
        try await withCardServer { server, owner, _, client in
            let body = CardBodies.client(requestID: "dup-1")
            let first = try await client.cardAPI("/v5/card-api/client/add", body, as: owner)
            let again = try await client.cardAPI("/v5/card-api/client/add", body, as: owner)
            #expect(again.json["client_id"] as? String == first.json["client_id"] as? String)
            try await client.expectError("/v5/card-api/client/add", CardBodies.client(requestID: "dup-1", phone: 77019998877),
                                         as: owner, code: "duplicate_request_id")
            let count = try await server.services.store.read { db in try await db.queryOne("SELECT COUNT(*) AS n FROM card_clients", [])?.int("n") }
            #expect(count == 1, "the retry and the duplicate created nothing")
        }
    }

    @Test func updateClientChangesThePhoneTheValidationScoresAgainst() async throws {
        try await withCardServer { _, owner, _, client in
            let (clientID, cardID) = try await client.issueCard(as: owner)
            let update = ClientUpdateRequest(requestID: CardBodies.uuid(), clientID: clientID, productID: 2000, client: ClientPhone(phone: 77015550000))
            let response = try await client.cardAPI("/v5/card-api/client/update", CardBodies.json(update), as: owner)
            #expect(response.json["request_status"] as? String == "success", "\(response.text)")
            let info = try await client.cardAPI("/v5/card-api/card/info", CardBodies.json(CardRequest(cardID: cardID)), as: owner)
            let token = try #require(info.json["card_token"] as? String)
            let check = CardholderValidateRequest(userPhone: "7015550000", firstName: "Ivan", lastName: "Ivanov", cardToken: token, requestID: CardBodies.uuid())
            let score = try await client.cardAPI("/v5/card-api/external/cardholder_validate", CardBodies.json(check), as: owner)
            #expect(score.json["score"] as? String == "100.00%")

            try await client.expectError("/v5/card-api/client/update", CardBodies.json(ClientUpdateRequest(
                requestID: CardBodies.uuid(), clientID: clientID, productID: 1000, client: ClientPhone(phone: 77015550000))),
                as: owner, code: "validation_error", mentioning: "product_id")
            try await client.expectError("/v5/card-api/client/update", CardBodies.json(ClientUpdateRequest(
                requestID: CardBodies.uuid(), clientID: "0000000", productID: 2000, client: ClientPhone(phone: 77015550000))),
                as: owner, code: "client_not_found")
            try await client.expectError("/v5/card-api/client/update",
                #"{"request_id":"u1","client_id":"\#(clientID)","product_id":2000,"client":{}}"#, as: owner, code: "validation_error", mentioning: "client.phone")
            var reused = update
            reused.client.phone = 77019990000
            try await client.expectError("/v5/card-api/client/update", CardBodies.json(reused), as: owner, code: "duplicate_request_id")
        }
    }

    @Test func linkBindsAPreMadeCardOnlyOnce() async throws {
        try await withCardServer { _, owner, _, client in
            let clientID = try await client.addClient(as: owner)
            let otherClient = try await client.addClient(as: owner, phone: 77010000001)
            let bulkID = CardBodies.uuid()
            _ = try await client.cardAPI("/v5/card-api/card/bulk_issue", CardBodies.json(BulkIssueRequest(requestID: bulkID, productID: 2000, count: 2)), as: owner)
            let cards = try await client.cardsOf(request: bulkID, as: owner)
            #expect(cards.count == 2)
            let link = CardLinkRequest(requestID: CardBodies.uuid(), clientID: clientID, cardID: cards[0])
            let linked = try await client.cardAPI("/v5/card-api/card/link", CardBodies.json(link), as: owner)
            #expect(linked.json["request_status"] as? String == "success", "\(linked.text)")
            let info = try await client.cardAPI("/v5/card-api/card/info", CardBodies.json(CardRequest(cardID: cards[0])), as: owner)
            #expect(info.json["client_id"] as? String == clientID)

            try await client.expectError("/v5/card-api/card/link", CardBodies.json(CardLinkRequest(requestID: CardBodies.uuid(), clientID: otherClient, cardID: cards[0])),
                                         as: owner, code: "invalid_card_state")
            try await client.expectError("/v5/card-api/card/link", CardBodies.json(CardLinkRequest(requestID: CardBodies.uuid(), clientID: clientID, cardID: "99999999")),
                                         as: owner, code: "card_not_found")
            try await client.expectError("/v5/card-api/card/link", CardBodies.json(CardLinkRequest(requestID: CardBodies.uuid(), clientID: "0000000", cardID: cards[1])),
                                         as: owner, code: "client_not_found")
            try await client.expectError("/v5/card-api/card/link", #"{"request_id":"l1","card_id":"\#(cards[1])"}"#, as: owner, code: "validation_error", mentioning: "client_id")
            try await client.expectError("/v5/card-api/card/link", CardBodies.json(CardLinkRequest(requestID: link.requestID, clientID: clientID, cardID: cards[1])),
                                         as: owner, code: "duplicate_request_id")
            _ = try await client.cardAPI("/v5/card-api/card/close", CardBodies.action(cards[1]), as: owner)
            try await client.expectError("/v5/card-api/card/link", CardBodies.json(CardLinkRequest(requestID: CardBodies.uuid(), clientID: clientID, cardID: cards[1])),
                                         as: owner, code: "invalid_card_state")
        }
    }

    @Test func clientCardsListsMaskedCardsWithPaging() async throws {
        try await withCardServer { _, owner, _, client in
            let (clientID, _) = try await client.issueCard(as: owner)
            for _ in 0..<2 {
                _ = try await client.cardAPI("/v5/card-api/card/issue", CardBodies.json(IssueCardRequest(requestID: CardBodies.uuid(), productID: 2000, clientID: clientID)), as: owner)
            }
            let page1 = try await client.cardAPI("/v5/card-api/client/cards", CardBodies.json(ClientCardsRequest(clientID: clientID, page: 1, perPage: 2)), as: owner)
            let cards = try #require(page1.json["cards"] as? [[String: Any]])
            #expect(cards.count == 2)
            #expect(page1.json["total"] as? Int == 3)
            let mask = try #require(cards.first?["card_mask"] as? String)
            #expect(mask.hasPrefix("440043******") && mask.count == 16)
            #expect(cards.first?["card_status"] as? Int == 2)
            let page2 = try await client.cardAPI("/v5/card-api/client/cards", CardBodies.json(ClientCardsRequest(clientID: clientID, page: 2, perPage: 2)), as: owner)
            let second = try #require(page2.json["cards"] as? [[String: Any]])
            #expect(second.count == 1)
            let ids = (cards + second).compactMap { $0["card_id"] as? String }
            #expect(Set(ids).count == 3, "the pages neither overlap nor skip a card")

            try await client.expectError("/v5/card-api/client/cards", CardBodies.json(ClientCardsRequest(clientID: "0000000")), as: owner, code: "client_not_found")
            try await client.expectError("/v5/card-api/client/cards", CardBodies.json(ClientCardsRequest(clientID: clientID, perPage: 500)),
                                         as: owner, code: "validation_error", mentioning: "per_page")
            try await client.expectError("/v5/card-api/client/cards", "{}", as: owner, code: "validation_error", mentioning: "client_id")
            try await client.expectError("/v5/card-api/client/cards", CardBodies.json(ClientCardsRequest(clientID: clientID, page: Int.max, perPage: 100)),
                                         as: owner, code: "validation_error", mentioning: "page")
        }
    }

    @Test func cardholderValidationScoresAgainstTheHolder() async throws {
        try await withCardServer { _, owner, _, client in
            let (_, cardID) = try await client.issueCard(as: owner)
            let info = try await client.cardAPI("/v5/card-api/card/info", CardBodies.json(CardRequest(cardID: cardID)), as: owner)
            let token = try #require(info.json["card_token"] as? String)
            #expect(UUID(uuidString: token) != nil)
            let exact = CardholderValidateRequest(userPhone: "7077070707", firstName: "Ivan", lastName: "Ivanov", cardToken: token, requestID: CardBodies.uuid())
            let match = try await client.cardAPI("/v5/card-api/external/cardholder_validate", CardBodies.json(exact), as: owner)
            #expect(match.json["status"] as? String == "ok")
            #expect(match.json["score"] as? String == "100.00%")
            #expect(match.json["fishy"] as? Int == 0)
            let wrong = CardholderValidateRequest(userPhone: "7011111111", firstName: "Petr", lastName: "Sidorov", cardToken: token, requestID: CardBodies.uuid())
            let mismatch = try await client.cardAPI("/v5/card-api/external/cardholder_validate", CardBodies.json(wrong), as: owner)
            let score = try #require(mismatch.json["score"] as? String)
            #expect(score != "100.00%" && score.hasSuffix("%"))
            #expect(mismatch.json["fishy"] as? Int == 1)

            let unknown = CardholderValidateRequest(userPhone: "7077070707", firstName: "Ivan", lastName: "Ivanov", cardToken: CardBodies.uuid(), requestID: CardBodies.uuid())
            try await client.expectError("/v5/card-api/external/cardholder_validate", CardBodies.json(unknown), as: owner, code: "card_not_found")
            try await client.expectError("/v5/card-api/external/cardholder_validate",
                #"{"user_phone":"7077070707","first_name":"Ivan","card_token":"\#(token)","request_id":"v1"}"#, as: owner, code: "validation_error", mentioning: "last_name")
            try await client.expectError("/v5/card-api/external/cardholder_validate",
                #"{"user_phone":"7077070707","first_name":"Ivan","last_name":"Ivanov","card_token":"not-a-uuid","request_id":"v1"}"#, as: owner, code: "validation_error", mentioning: "card_token")
            let long = CardholderValidateRequest(userPhone: "7077070707", firstName: String(repeating: "A", count: 65), lastName: "Ivanov", cardToken: token, requestID: CardBodies.uuid())
            try await client.expectError("/v5/card-api/external/cardholder_validate", CardBodies.json(long), as: owner, code: "validation_error", mentioning: "first_name")
        }
    }
}

import Foundation
import FreedomPayClient
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

/// Gift cards end to end: funding, issue, SMS code, confirm, resend, status, and every documented refusal.
@Suite struct GiftCardTests {
    static let issueBody = #"{"cardholder_name":"IVANOV IVAN IVANOVICH","phone":79651234567,"product_code":1}"#

    /// Credits `partner`'s settlement account through the signed sandbox route.
    static func fund(_ client: some TestClientProtocol, _ partner: Partner, _ amount: String, _ currency: String = "USD") async throws {
        let response = try await client.cardAPI("/v5/card-api/sandbox/fund", #"{"amount":\#(amount),"currency":"\#(currency)"}"#, as: partner)
        #expect(response.status == .ok, "\(response.text)")
    }

    /// The newest code the sandbox inbox holds for `phone`.
    static func latestCode(_ client: some TestClientProtocol, _ partner: Partner, phone: String = "79651234567") async throws -> String {
        let inbox = try await client.cardAPI("/v5/card-api/sandbox/sms", #"{"phone":"\#(phone)"}"#, as: partner)
        let messages = inbox.json["messages"] as? [[String: Any]] ?? []
        let text = messages.first?["text"] as? String ?? ""
        guard let range = text.range(of: #"code (\d+)"#, options: .regularExpression) else { return "" }
        return String(text[range].dropFirst(5))
    }

    @Test func issueConfirmAndStatusThroughTheSDK() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner()
        try await server.withLiveServer { baseURL in
            let sdk = CardAPIClient(baseURL: baseURL, authID: partner.authID, secret: partner.secret)
            _ = try await sdk.sendRaw(path: "/v5/card-api/sandbox/fund", body: Array(#"{"amount":120,"currency":"USD"}"#.utf8))
            let products = try await sdk.giftProducts()
            #expect(products.productList.contains { $0.code == 1 && $0.currency == "USD" && $0.balance == WireDecimal("50") })
            let issued = try await sdk.issueGiftCard(IssueGiftCardRequest(cardholderName: "IVANOV IVAN", phone: PhoneNumber("79651234567"), productCode: 1))
            var state = try await sdk.giftCardStatus(cardID: issued.cardID)
            #expect(state.cardStatus == .issued)
            #expect(state.cardBalance == WireDecimal("50"))
            #expect(state.cardMask.contains("******"))

            let inbox = try await sdk.sendRaw(path: "/v5/card-api/sandbox/sms", body: Array(#"{"phone":79651234567}"#.utf8))
            let text = inbox.text
            let code = String(text[text.range(of: #"code \d+"#, options: .regularExpression)!].dropFirst(5))
            let wrong = code == "0000" ? "1111" : "0000"
            await #expect(throws: FreedomPayClientError.self) { try await sdk.confirmGiftCard(otp: wrong, cardID: issued.cardID) }
            state = try await sdk.confirmGiftCard(otp: code, cardID: issued.cardID)
            #expect(state.status == .success)
            #expect(state.cardStatus == .activated)
            #expect(state.cardCurrency == "USD")
            try await sdk.resendGiftCard(cardID: issued.cardID)
        }
        let settlement = try await server.services.store.read { db in
            try await LedgerRepository().balance(of: .partnerSettlement(partner.id, .usd), in: db)
        }
        #expect(settlement.availableMinor == 7_000)
        #expect(try await server.services.store.read { db in try await LedgerAudit().violations(in: db) }.isEmpty)
    }

    @Test func insufficientFundsIssuesNothing() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner()
        try await server.withRouter { client in
            try await Self.fund(client, partner, "49.99")
            let response = try await client.cardAPI("/v5/cards/issue_card", Self.issueBody, as: partner)
            #expect(response.json["status"] as? Int == -6)
            #expect(try await Self.latestCode(client, partner) == "")
            let status = try await client.cardAPI("/v5/cards/card_status", #"{"card_id":1}"#, as: partner)
            #expect(status.json["status"] as? Int == -7)
        }
        let balance = try await server.services.store.read { db in try await LedgerRepository().balance(of: .partnerSettlement(partner.id, .usd), in: db) }
        #expect(balance.availableMinor == 4_999)
    }

    @Test func expiredCodeAndTooManyAttemptsAnswerTheirErrors() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner()
        try await server.withRouter { client in
            try await Self.fund(client, partner, "500")
            let first = try await client.cardAPI("/v5/cards/issue_card", Self.issueBody, as: partner)
            let cardID = first.json["card_id"] as? Int ?? 0
            let code = try await Self.latestCode(client, partner)
            server.clock.advance(by: 301)
            let expired = try await client.cardAPI("/v5/cards/activate_card", #"{"otp":"\#(code)","card_id":\#(cardID)}"#, as: partner)
            #expect(expired.json["status"] as? Int == -8)
            #expect((expired.json["error_description"] as? String)?.contains("expired") == true)

            let resent = try await client.cardAPI("/v5/cards/resend_code", #"{"card_id":\#(cardID)}"#, as: partner)
            #expect(resent.json["status"] as? Int == 0)
            let fresh = try await Self.latestCode(client, partner)
            let wrong = fresh == "0000" ? "1111" : "0000"
            for attempt in 1...3 {
                let response = try await client.cardAPI("/v5/cards/activate_card", #"{"otp":"\#(wrong)","card_id":\#(cardID)}"#, as: partner)
                #expect(response.json["status"] as? Int == (attempt < 3 ? -8 : -9))
            }
            let locked = try await client.cardAPI("/v5/cards/activate_card", #"{"otp":"\#(fresh)","card_id":\#(cardID)}"#, as: partner)
            #expect(locked.json["status"] as? Int == -9, "the right code no longer works after too many attempts")

            _ = try await client.cardAPI("/v5/cards/resend_code", #"{"card_id":\#(cardID)}"#, as: partner)
            let newest = try await Self.latestCode(client, partner)
            let old = try await client.cardAPI("/v5/cards/activate_card", #"{"otp":"\#(fresh)","card_id":\#(cardID)}"#, as: partner)
            #expect(fresh == newest || old.json["status"] as? Int == -8, "a resent code invalidates the previous one")
            let ok = try await client.cardAPI("/v5/cards/activate_card", #"{"otp":"\#(newest)","card_id":\#(cardID)}"#, as: partner)
            #expect(ok.json["status"] as? Int == 0)
            #expect(ok.json["card_status"] as? Int == 2)
            let again = try await client.cardAPI("/v5/cards/activate_card", #"{"otp":"\#(newest)","card_id":\#(cardID)}"#, as: partner)
            #expect(again.json["status"] as? Int == -10)
            let noMoreCodes = try await client.cardAPI("/v5/cards/resend_code", #"{"card_id":\#(cardID)}"#, as: partner)
            #expect(noMoreCodes.json["status"] as? Int == -10)
        }
    }

    @Test(arguments: [
        (#"{"cardholder_name":"ИВАНОВ","phone":79651234567,"product_code":1}"#, -2),
        (#"{"cardholder_name":"","phone":79651234567,"product_code":1}"#, -2),
        (#"{"cardholder_name":"IVANOV IVAN","phone":123,"product_code":1}"#, -3),
        (#"{"cardholder_name":"IVANOV IVAN","phone":"7965abc4567","product_code":1}"#, -3),
        (#"{"cardholder_name":"IVANOV IVAN","phone":79651234567,"product_code":999}"#, -4),
        (#"{"cardholder_name":"IVANOV IVAN","phone":79651234567}"#, -1),
        (#"{"cardholder_name":"IVANOV IVAN","phone":79651234567,"product_code":"one"}"#, -1),
    ])
    func invalidIssueRequestsAreRefused(body: String, expected: Int) async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner()
        try await server.withRouter { client in
            try await Self.fund(client, partner, "1000")
            let response = try await client.cardAPI("/v5/cards/issue_card", body, as: partner)
            #expect(response.json["status"] as? Int == expected, "\(response.text)")
            #expect(!(response.json["error_description"] as? String ?? "").isEmpty)
        }
        #expect(try await server.services.store.read { db in try await LedgerRepository().balance(of: .partnerSettlement(partner.id, .usd), in: db) }.availableMinor == 100_000)
    }

    @Test func anotherPartnersGiftCardIsNotFoundAndUntouched() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let owner = try await server.createPartner()
        let intruder = try await server.createPartner()
        try await server.withRouter { client in
            try await Self.fund(client, owner, "100")
            let issued = try await client.cardAPI("/v5/cards/issue_card", Self.issueBody, as: owner)
            let cardID = issued.json["card_id"] as? Int ?? 0
            let code = try await Self.latestCode(client, owner)
            for (path, body) in [
                ("/v5/cards/card_status", #"{"card_id":\#(cardID)}"#), ("/v5/cards/resend_code", #"{"card_id":\#(cardID)}"#),
                ("/v5/cards/resend", #"{"card_id":\#(cardID)}"#), ("/v5/cards/activate_card", #"{"otp":"\#(code)","card_id":\#(cardID)}"#),
            ] {
                let response = try await client.cardAPI(path, body, as: intruder)
                #expect(response.json["status"] as? Int == -7, "\(path): \(response.text)")
            }
            #expect(try await Self.latestCode(client, intruder) == "")
            let state = try await client.cardAPI("/v5/cards/card_status", #"{"card_id":\#(cardID)}"#, as: owner)
            #expect(state.json["card_status"] as? Int == 1)
            let ok = try await client.cardAPI("/v5/cards/activate_card", #"{"otp":"\#(code)","card_id":\#(cardID)}"#, as: owner)
            #expect(ok.json["status"] as? Int == 0)
        }
    }

    @Test func aReusedLegacyRequestIDIsRefusedAndIssuesOnce() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner()
        try await server.withRouter { client in
            try await Self.fund(client, partner, "200")
            let first = try await client.cardAPILegacy("/v5/cards/issue_card", Self.issueBody, as: partner, requestID: "req-1")
            #expect(first.json["status"] as? Int == 0)
            let second = try await client.cardAPILegacy("/v5/cards/issue_card", Self.issueBody, as: partner, requestID: "req-1")
            #expect(second.json["status"] as? Int == -1)
        }
        let balance = try await server.services.store.read { db in try await LedgerRepository().balance(of: .partnerSettlement(partner.id, .usd), in: db) }
        #expect(balance.availableMinor == 15_000, "only one card was paid for")
    }

    @Test func authenticationFailuresUseTheGiftEnvelope() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner()
        let stranger = Partner(id: PartnerID(rawValue: 999), authID: "000000", name: "x", secret: "nope")
        try await server.withRouter { client in
            let response = try await client.cardAPI("/v5/cards/product_list", "{}", as: stranger)
            #expect(response.status == .unauthorized)
            #expect(response.json["status"] as? Int == -1)
            #expect(response.json["datetime"] is String)
            let ok = try await client.cardAPI("/v5/cards/product_list", "{}", as: partner)
            #expect(ok.json["status"] as? Int == 0)
        }
    }
}

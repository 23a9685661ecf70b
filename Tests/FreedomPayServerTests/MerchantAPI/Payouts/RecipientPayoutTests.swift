import Foundation
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import HummingbirdTesting
import NIOCore
import Testing

/// `/api/reg2nonreg` (merchant-api.md §3.16): nothing moves until the recipient enters a card on our page.
@Suite struct RecipientPayoutTests {
    static func fields(order: String, timeLimit: String, overrides: [String: String?] = [:]) -> [(String, String)] {
        var fields: [(String, String)] = [
            ("pg_order_id", order), ("pg_amount", "3000"), ("pg_description", "Prize"), ("pg_order_time_limit", timeLimit),
            ("pg_post_link", "https://shop.example/payout/notify"), ("pg_back_link", "https://shop.example/payout/back"),
        ]
        for (name, value) in overrides {
            fields.removeAll { $0.0 == name }
            if let value { fields.append((name, value)) }
        }
        return fields
    }

    @Test(arguments: [(PayoutCard.success, "success", Int64(1_000_000 - 303_000)), (PayoutCard.contactIssuer, "error", Int64(1_000_000))])
    func recipientEntersTheCardThenThePayoutRuns(_ card: String, _ final: String, _ balanceAfter: Int64) async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.fund(merchant, minor: 1_000_000)
        try await server.withRouter { client in
            let created = try await client.payoutAPI("/api/reg2nonreg", Self.fields(order: "NR-1", timeLimit: server.tomorrow), as: merchant)
            #expect(created.value("pg_status") == "ok")
            let id = try #require(created.value("pg_payment_id"))
            let url = try #require(created.value("pg_redirect_url"))
            let path = try #require(URLComponents(string: url)).path
            #expect(try await server.payoutBalance(merchant) == 1_000_000)
            let waiting = try await client.payoutAPI("/api/payment_status2", [("pg_order_id", "NR-1")], as: merchant)
            #expect(waiting.value("pg_payment_status") == "process")
            let page = try await client.executeRequest(uri: path, method: .get, headers: [:], body: nil)
            #expect(page.status == .ok && String(buffer: page.body).contains("3000 KZT"))
            let bad = try await client.executeRequest(
                uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "card_number=1234&expiry=12%2F39&cvv=123&holder=Ivan+Ivanov"))
            #expect(bad.status == .unprocessableContent)
            let sent = try await client.executeRequest(
                uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "card_number=\(card)&expiry=12%2F39&cvv=123&holder=Ivan+Ivanov"))
            #expect(sent.headers[.location] == "https://shop.example/payout/back")
            let status = try await client.payoutAPI("/api/payment_status2", [("pg_order_id", "NR-1")], as: merchant)
            #expect(status.value("pg_payment_status") == final)
            #expect(try await server.payoutBalance(merchant) == balanceAfter)
            #expect(try await server.payoutCallbacks(id).count == 1)
            let again = try await client.executeRequest(
                uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "card_number=\(PayoutCard.success)&expiry=12%2F39&cvv=123&holder=Ivan+Ivanov"))
            #expect(again.headers[.location] == "https://shop.example/payout/back")
            #expect(try await server.payoutBalance(merchant) == balanceAfter)
        }
    }

    @Test func fieldRulesAndBalanceAreCheckedUpFront() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.fund(merchant, minor: 100_000)
        try await server.withRouter { client in
            let cases: [(String, String?, String)] = [
                ("pg_back_link", nil, "pg_back_link is required"),
                ("pg_description", String(repeating: "d", count: 256), "pg_description must be at most 255"),
                ("pg_payment_route", "popup", "pg_payment_route must be one of frame"),
                ("pg_user_id", "bad id", "pg_user_id must be"),
                ("pg_order_time_limit", "2001-01-01 00:00:00", "pg_order_time_limit must be in the future"),
            ]
            for (index, rule) in cases.enumerated() {
                let answer = try await client.payoutAPI("/api/reg2nonreg", Self.fields(order: "NV-\(index)", timeLimit: server.tomorrow,
                                                                                       overrides: [rule.0: rule.1]), as: merchant)
                #expect(answer.value("pg_error_code") == "200" && answer.value("pg_error_description")?.hasPrefix(rule.2) == true, "\(rule.0)")
            }
            let broke = try await client.payoutAPI("/api/reg2nonreg", Self.fields(order: "NB-1", timeLimit: server.tomorrow), as: merchant)
            #expect(broke.value("pg_error_code") == "8888")
        }
    }
}

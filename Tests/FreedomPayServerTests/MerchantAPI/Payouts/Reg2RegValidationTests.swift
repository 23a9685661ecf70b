import Foundation
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import NIOCore
import Testing

/// Every documented field rule of `/api/reg2reg` (merchant-api.md §3.15) answers a signed error naming the field,
/// and nothing is paid.
@Suite struct Reg2RegValidationTests {
    static let cases: [(field: String, value: String?, message: String)] = [
        ("pg_order_id", nil, "pg_order_id is required"),
        ("pg_order_id", String(repeating: "A", count: 51), "pg_order_id must be at most 50"),
        ("pg_amount", nil, "pg_amount is required"),
        ("pg_amount", "0", "pg_amount must be between 0.01 and 99999999"),
        ("pg_amount", "100000000", "pg_amount must be between 0.01 and 99999999"),
        ("pg_amount", "1,5", "pg_amount must be a decimal number"),
        ("pg_amount", "1.005", "pg_amount must have at most 2 decimal places"),
        ("pg_description", nil, "pg_description is required"),
        ("pg_order_time_limit", nil, "pg_order_time_limit is required"),
        ("pg_order_time_limit", "2030-01-16T10:00:00", "pg_order_time_limit must be a date and time as Y-m-d H:i:s"),
        ("pg_order_time_limit", "2030-02-30 10:00:00", "pg_order_time_limit must be a date and time as Y-m-d H:i:s"),
        ("pg_order_time_limit", "2001-01-16 10:00:00", "pg_order_time_limit must be in the future"),
        ("pg_user_id", nil, "pg_user_id is required"),
        ("pg_user_id", String(repeating: "u", count: 51), "pg_user_id must be 1..50 characters"),
        ("pg_user_id", "user 42", "pg_user_id must be 1..50 characters"),
        ("pg_user_id", "user@42", "pg_user_id must be 1..50 characters"),
        ("pg_post_link", nil, "pg_post_link is required"),
        ("pg_post_link", "https://shop.example/" + String(repeating: "p", count: 236), "pg_post_link must be at most 255"),
        ("pg_post_link", "notify", "pg_post_link must be an absolute http or https URL"),
        ("pg_card_token_to", nil, "pg_card_token_to is required"),
    ]

    @Test func everyRuleAnswersCode200NamingTheField() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.fund(merchant, minor: 1_000_000)
        try await server.withRouter { client in
            let token = try await client.payoutToken(merchant)
            for (index, rule) in Self.cases.enumerated() {
                let answer = try await client.reg2reg(merchant, token: token, order: "V-\(index)", timeLimit: server.tomorrow,
                                                      overrides: [rule.field: rule.value])
                #expect(answer.value("pg_status") == "error", "\(rule.field)=\(rule.value ?? "nil")")
                #expect(answer.value("pg_error_code") == "200", "\(rule.field)=\(rule.value ?? "nil")")
                #expect(answer.value("pg_error_description")?.hasPrefix(rule.message) == true,
                        "\(rule.field)=\(rule.value ?? "nil"): \(answer.value("pg_error_description") ?? "")")
                #expect(answer.value("pg_sig") != nil)
            }
            #expect(try await server.payoutBalance(merchant) == 1_000_000)
        }
    }

    @Test func tokenMustBelongToThisMerchantAndUser() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        let other = try await server.createMerchant()
        try await server.fund(merchant, minor: 1_000_000)
        try await server.fund(other, minor: 1_000_000)
        try await server.withRouter { client in
            let token = try await client.payoutToken(merchant)
            let otherUser = try await client.reg2reg(merchant, token: token, order: "T-1", timeLimit: server.tomorrow, overrides: ["pg_user_id": "user_43"])
            #expect(otherUser.value("pg_error_code") == "1999")
            let otherMerchant = try await client.reg2reg(other, token: token, order: "T-2", timeLimit: server.tomorrow)
            #expect(otherMerchant.value("pg_error_code") == "1999")
            let unknown = try await client.reg2reg(merchant, token: "ef741cfc-f85e-41a0-84e6-2ba964912182", order: "T-3", timeLimit: server.tomorrow)
            #expect(unknown.value("pg_error_code") == "1999")
            _ = try await client.payoutAPI("/v1/merchant/\(merchant.id.rawValue)/cardstoragepayout/remove",
                                           [("pg_user_id", "user_42"), ("pg_card_token", token)], as: merchant)
            let removed = try await client.reg2reg(merchant, token: token, order: "T-4", timeLimit: server.tomorrow)
            #expect(removed.value("pg_error_code") == "1999")
        }
        #expect(try await server.payoutBalance(merchant) == 1_000_000)
        #expect(try await server.payoutBalance(other) == 1_000_000)
    }

    @Test func paymentSecretSignatureIsRefused() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.withRouter { client in
            let answer = try await client.merchantAPI("/api/reg2reg", [PGParameter("pg_order_id", "S-1")], as: merchant, secret: .payment).xml
            #expect(answer.value("pg_error_code") == "1100")
        }
    }

    @Test func multipartFormIsAccepted() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.fund(merchant, minor: 1_000_000)
        try await server.withRouter { client in
            let token = try await client.payoutToken(merchant)
            var fields = [
                PGParameter("pg_merchant_id", String(merchant.id.rawValue)), PGParameter("pg_order_id", "MP-1"), PGParameter("pg_amount", "10"),
                PGParameter("pg_description", "Cashback"), PGParameter("pg_order_time_limit", server.tomorrow), PGParameter("pg_user_id", "user_42"),
                PGParameter("pg_post_link", "https://shop.example/payout/notify"), PGParameter("pg_card_token_to", token), PGParameter("pg_salt", "mp"),
            ]
            fields.append(PGParameter("pg_sig", PGSignature.sign(script: "reg2reg", parameters: fields, secret: merchant.payoutSecret)))
            let boundary = "----payoutboundary"
            var body = ""
            for field in fields {
                guard case .text(let value) = field.value else { continue }
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field.name)\"\r\n\r\n\(value)\r\n"
            }
            body += "--\(boundary)--\r\n"
            let response = try await client.executeRequest(
                uri: "/api/reg2reg", method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: .init(string: body))
            #expect(response.xml.value("pg_status") == "ok")
            #expect(response.xml.value("pg_payment_amount") == "10")
        }
    }
}

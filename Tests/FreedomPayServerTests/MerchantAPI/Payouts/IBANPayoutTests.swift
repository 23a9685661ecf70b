import Foundation
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import Testing

/// `/api/to_iban` (merchant-api.md §3.17): ISO 13616 checksum, field rules, ledger debit and notify.
@Suite struct IBANPayoutTests {
    @Test func checksumFollowsISO13616() {
        #expect(IBAN.normalized("KZ86125KZT5004100100") == "KZ86125KZT5004100100")
        #expect(IBAN.normalized("gb82 west 1234 5698 7654 32") == "GB82WEST12345698765432")
        #expect(IBAN.normalized("KZ123412341234123412") == nil, "the docs' example has a wrong checksum")
        #expect(IBAN.normalized("KZ87125KZT5004100100") == nil)
        #expect(IBAN.normalized("GB82WEST1234569876543") == nil)
        #expect(IBAN.normalized("8282WEST12345698765432") == nil)
        #expect(IBAN.normalized("KZ8612") == nil)
        #expect(IBAN.normalized("KZ86-125KZT5004100100") == nil)
    }

    static func fields(order: String, overrides: [String: String?] = [:]) -> [(String, String)] {
        var fields: [(String, String)] = [
            ("pg_order_id", order), ("pg_amount", "10000"), ("pg_recipient_iban", "KZ86125KZT5004100100"),
            ("pg_recipient_iin", "761223455678"), ("pg_recipient_name", "IVANOV IVAN"), ("pg_recipient_kbe", "19"), ("pg_knp", "119"),
            ("pg_bank_bik", "KZZSAE"), ("pg_description", "Refund of deposit"), ("pg_post_link", "https://shop.example/payout/notify"),
        ]
        for (name, value) in overrides {
            fields.removeAll { $0.0 == name }
            if let value { fields.append((name, value)) }
        }
        return fields
    }

    @Test func paysOutDebitsAmountPlusFeeAndReplaysTheSameOrder() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.fund(merchant, minor: 2_000_000)
        try await server.withRouter { client in
            let paid = try await client.payoutAPI("/api/to_iban", Self.fields(order: "IB-1"), as: merchant)
            #expect(paid.value("pg_status") == "ok" && paid.value("pg_payment_amount") == "10000")
            #expect(paid.value("pg_balance") == PGAmount.render(2_000_000 - 1_000_000 - 10_000))
            let id = try #require(paid.value("pg_payment_id"))
            let again = try await client.payoutAPI("/api/to_iban", Self.fields(order: "IB-1"), as: merchant)
            #expect(again.value("pg_payment_id") == id)
            #expect(try await server.payoutBalance(merchant) == 990_000)
            #expect(try await server.payoutCallbacks(id).count == 1)
            let status = try await client.payoutAPI("/api/payment_status2", [("pg_order_id", "IB-1")], as: merchant)
            #expect(status.value("pg_payment_status") == "success")
            let broke = try await client.payoutAPI("/api/to_iban", Self.fields(order: "IB-2", overrides: ["pg_amount": "99999"]), as: merchant)
            #expect(broke.value("pg_error_code") == "8888")
        }
    }

    @Test func everyFieldRuleAnswersCode200() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.fund(merchant, minor: 2_000_000)
        let cases: [(String, String?, String)] = [
            ("pg_order_id", nil, "pg_order_id is required"),
            ("pg_amount", "0", "pg_amount must be between"),
            ("pg_recipient_iban", nil, "pg_recipient_iban is required"),
            ("pg_recipient_iban", "KZ123412341234123412", "pg_recipient_iban must be a valid IBAN"),
            ("pg_recipient_iin", "76122345567", "pg_recipient_iin must be 12 digits"),
            ("pg_recipient_iin", nil, "pg_recipient_iin is required"),
            ("pg_recipient_name", nil, "pg_recipient_name is required"),
            ("pg_recipient_kbe", "1A", "pg_recipient_kbe must be 2 digits"),
            ("pg_knp", "1190", "pg_knp must be 3 digits"),
            ("pg_bank_bik", "KZ", "pg_bank_bik must be 6..11"),
            ("pg_bank_bik", nil, "pg_bank_bik is required"),
            ("pg_description", nil, "pg_description is required"),
            ("pg_post_link", nil, "pg_post_link is required"),
        ]
        try await server.withRouter { client in
            for (index, rule) in cases.enumerated() {
                let answer = try await client.payoutAPI("/api/to_iban", Self.fields(order: "IV-\(index)", overrides: [rule.0: rule.1]), as: merchant)
                #expect(answer.value("pg_error_code") == "200", "\(rule.0)")
                #expect(answer.value("pg_error_description")?.hasPrefix(rule.2) == true, "\(rule.0): \(answer.value("pg_error_description") ?? "")")
            }
        }
        #expect(try await server.payoutBalance(merchant) == 2_000_000)
    }
}

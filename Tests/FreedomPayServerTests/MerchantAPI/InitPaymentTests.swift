import Foundation
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import HummingbirdTesting
import Testing

@Suite struct InitPaymentTests {
    func paymentCount(_ server: TestServer) async throws -> Int64 {
        try await server.services.store.read { db in try await db.queryOne("SELECT COUNT(*) AS n FROM purchase_payments", [])?.int("n") ?? 0 }
    }

    @Test func createsPaymentAndAnswersSignedHostedPageURL() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant(name: "Coffee Shop")
        let response = try await server.withRouter { client in try await client.initPayment(merchant, [("pg_amount", "10.5")]) }
        let xml = response.xml
        #expect(xml.value("pg_status") == "ok")
        #expect(xml.value("pg_payment_id")?.count == 10)
        #expect(xml.value("pg_redirect_url")?.contains("/pay/") == true)
        #expect(xml.value("pg_redirect_url_type") == "need data")
        let flat = xml.compactMap { parameter -> (String, String)? in
            if case .text(let text) = parameter.value { return (parameter.name, text) }
            return nil
        }
        #expect(IndependentMD5.sign(script: "init_payment.php", parameters: flat, secret: merchant.paymentSecret) == xml.value("pg_sig"))
        let stored = try #require(try await server.payment(xml.value("pg_payment_id")!, of: merchant))
        #expect(stored.amountMinor == 1_050 && stored.status == .created)
        await server.cleanUp()
    }

    /// Every field rule of init_payment.php: signed error 200 naming the field, and no payment created.
    @Test(arguments: [
        ([("pg_amount", "0")], [], "pg_amount must be between 0.01 and 99999999"),
        ([("pg_amount", "100000000")], [], "pg_amount must be between"),
        ([("pg_amount", "10.123")], [], "pg_amount must have at most 2 decimal places"),
        ([("pg_amount", "10,5")], [], "pg_amount must be a decimal number"),
        ([], ["pg_amount"], "pg_amount is required"),
        ([], ["pg_description"], "pg_description is required"),
        ([("pg_description", String(repeating: "d", count: 1025))], [], "pg_description must be at most 1024"),
        ([("pg_order_id", String(repeating: "1", count: 51))], [], "pg_order_id must be at most 50"),
        ([("pg_currency", "XYZ")], [], "pg_currency must be one of"),
        ([("pg_lifetime", "299")], [], "pg_lifetime must be an integer between 300 and 604800"),
        ([("pg_lifetime", "604801")], [], "pg_lifetime must be an integer between 300 and 604800"),
        ([("pg_language", "de")], [], "pg_language must be one of"),
        ([("pg_auto_clearing", "2")], [], "pg_auto_clearing must be 0 or 1"),
        ([("pg_testing_mode", "yes")], [], "pg_testing_mode must be 0 or 1"),
        ([("pg_recurring_lifetime", "157")], [], "pg_recurring_lifetime must be an integer between 1 and 156"),
        ([("pg_user_id", "bad id!")], [], "pg_user_id must be 1..50 characters"),
        ([("pg_user_id", String(repeating: "u", count: 51))], [], "pg_user_id must be 1..50 characters"),
        ([("pg_user_phone", "+7 777")], [], "pg_user_phone must be digits"),
        ([("pg_user_contact_email", "nobody")], [], "pg_user_contact_email must be an e-mail"),
        ([("pg_user_ip", "300.1.1.1")], [], "pg_user_ip must be an IPv4"),
        ([("pg_request_method", "PUT")], [], "pg_request_method must be one of"),
        ([("pg_success_url_method", "PATCH")], [], "pg_success_url_method must be one of"),
        ([("pg_result_url", "ftp://shop.example/result")], [], "pg_result_url must be an absolute http or https URL"),
        ([("pg_success_url", "/relative")], [], "pg_success_url must be an absolute http or https URL"),
        ([("pg_check_url", "https://shop.example/" + String(repeating: "c", count: 250))], [], "pg_check_url must be at most 255"),
        ([("pg_param1", String(repeating: "p", count: 256))], [], "pg_param1 must be at most 255"),
        ([("pg_idempotency_key", String(repeating: "k", count: 256))], [], "pg_idempotency_key must be at most 255"),
        ([("pg_receipt_positions[0][count]", "0"), ("pg_receipt_positions[0][name]", "Pad"),
          ("pg_receipt_positions[0][price]", "5"), ("pg_receipt_positions[0][tax_type]", "3")], [], "pg_receipt_positions[0][count]"),
        ([("pg_receipt_positions[0][count]", "1"), ("pg_receipt_positions[0][name]", "Pad"),
          ("pg_receipt_positions[0][price]", "5"), ("pg_receipt_positions[0][tax_type]", "12")], [], "pg_receipt_positions[0][tax_type]"),
    ] as [([(String, String)], [String], String)])
    func refusesInvalidField(fields: [(String, String)], omit: [String], message: String) async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        let response = try await server.withRouter { client in try await client.initPayment(merchant, fields, omit: Set(omit)) }
        let xml = response.xml
        #expect(response.status == .ok)
        #expect(xml.value("pg_status") == "error")
        #expect(xml.value("pg_error_code") == "200")
        let description = xml.value("pg_error_description") ?? ""
        #expect(description.contains(message), Comment(rawValue: description))
        #expect(xml.value("pg_sig") != nil)
        #expect(try await paymentCount(server) == 0)
        await server.cleanUp()
    }

    @Test func acceptsReceiptPositionsAndMerchantFields() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        let response = try await server.withRouter { client in
            try await client.initPayment(merchant, [
                ("pg_receipt_positions[0][count]", "2"), ("pg_receipt_positions[0][name]", "Mouse pad"),
                ("pg_receipt_positions[0][price]", "500"), ("pg_receipt_positions[0][tax_type]", "3"),
                ("shop_cart", "42"), ("pg_param1", "first"),
            ])
        }
        let id = try #require(response.xml.value("pg_payment_id"), Comment(rawValue: response.text))
        let stored = try #require(try await server.payment(id, of: merchant))
        #expect(stored.extraFields.value("shop_cart") == "42")
        #expect(stored.extraFields.value("pg_param1") == "first")
        await server.cleanUp()
    }

    @Test func idempotencyKeyReplaysTheSamePaymentAndRefusesADifferentRequest() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        let (first, second, conflicting) = try await server.withRouter { client in
            let fields = [("pg_order_id", "ORD-7"), ("pg_idempotency_key", "key-1")]
            return (try await client.initPayment(merchant, fields), try await client.initPayment(merchant, fields),
                    try await client.initPayment(merchant, fields + [("pg_amount", "99")]))
        }
        #expect(first.xml.value("pg_payment_id") != nil)
        #expect(second.xml.value("pg_payment_id") == first.xml.value("pg_payment_id"))
        #expect(second.xml.value("pg_redirect_url") == first.xml.value("pg_redirect_url"))
        #expect(conflicting.xml.value("pg_error_code") == "11013")
        #expect(try await paymentCount(server) == 1)
        await server.cleanUp()
    }

    @Test func orderIDIsUniqueUntilThePaymentFails() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.withRouter { client in
            let first = try await client.initPayment(merchant, [("pg_order_id", "ORD-9")])
            let duplicate = try await client.initPayment(merchant, [("pg_order_id", "ORD-9")])
            #expect(duplicate.xml.value("pg_error_code") == "9991")
            let failed = try await client.submitCard(redirectURL: first.xml.value("pg_redirect_url")!, number: TestCard.declined)
            #expect(failed.status == .ok)
            let retry = try await client.initPayment(merchant, [("pg_order_id", "ORD-9")])
            #expect(retry.xml.value("pg_status") == "ok")
            let other = try await server.createMerchant()
            #expect(try await client.initPayment(other, [("pg_order_id", "ORD-9")]).xml.value("pg_status") == "ok")
        }
        await server.cleanUp()
    }

    @Test func acceptsTheRequestAsOnePgXMLDocument() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        var fields = [PGParameter("pg_merchant_id", String(merchant.id.rawValue)), PGParameter("pg_amount", "25"),
                      PGParameter("pg_description", "XML order"), PGParameter("pg_salt", "x1")]
        fields.append(PGParameter("pg_sig", PGSignature.sign(script: "init_payment.php", parameters: fields, secret: merchant.paymentSecret)))
        let body = PGForm.encode([PGParameter("pg_xml", PGXML.document(root: "request", fields))])
        let response = try await server.withRouter { client in
            try await client.executeRequest(uri: "/init_payment.php", method: .post,
                                            headers: [.contentType: "application/x-www-form-urlencoded"], body: .init(string: body))
        }
        #expect(response.xml.value("pg_status") == "ok", Comment(rawValue: response.text))
        await server.cleanUp()
    }
}

@Suite struct MerchantSignatureErrorTests {
    /// A known merchant with a wrong signature gets a signed 1100; the payment is not created.
    @Test func wrongSignatureIsASigned1100() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        let fields = [("pg_merchant_id", String(merchant.id.rawValue)), ("pg_amount", "10"), ("pg_description", "x"),
                      ("pg_salt", "s1"), ("pg_sig", "0123456789abcdef0123456789abcdef")]
        let body = fields.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let response = try await server.withRouter { client in
            try await client.executeRequest(uri: "/init_payment.php", method: .post,
                                            headers: [.contentType: "application/x-www-form-urlencoded"], body: .init(string: body))
        }
        let xml = response.xml
        #expect(xml.value("pg_error_code") == "1100")
        let flat = xml.compactMap { parameter -> (String, String)? in
            if case .text(let text) = parameter.value { return (parameter.name, text) }
            return nil
        }
        #expect(IndependentMD5.sign(script: "init_payment.php", parameters: flat, secret: merchant.paymentSecret) == xml.value("pg_sig"))
        await server.cleanUp()
    }
}

@Suite struct MerchantGETRequestTests {
    /// A request may also be a GET with the signed fields in the query string (§1.2).
    @Test func initPaymentAndStatusAcceptGET() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        @Sendable func signedQuery(_ script: String, _ fields: [PGParameter]) -> String {
            var all = [PGParameter("pg_merchant_id", String(merchant.id.rawValue))] + fields + [PGParameter("pg_salt", "g1")]
            all.append(PGParameter("pg_sig", PGSignature.sign(script: script, parameters: all, secret: merchant.paymentSecret)))
            return PGForm.encode(all)
        }
        try await server.withRouter { client in
            let created = try await client.executeRequest(
                uri: "/init_payment.php?" + signedQuery("init_payment.php", [PGParameter("pg_amount", "3"), PGParameter("pg_description", "GET order")]),
                method: .get, headers: [:], body: nil).xml
            let id = try #require(created.value("pg_payment_id"))
            let status = try await client.executeRequest(
                uri: "/get_status3?" + signedQuery("get_status3", [PGParameter("pg_payment_id", id)]), method: .get, headers: [:], body: nil).xml
            #expect(status.value("pg_payment_status") == "new" && status.value("pg_amount") == "3")
        }
        await server.cleanUp()
    }
}

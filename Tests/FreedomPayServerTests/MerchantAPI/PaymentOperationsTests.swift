import Foundation
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import HummingbirdTesting
import Testing

/// get_status3.php, do_capture.php, cancel.php and revoke.php: state rules, documented codes, isolation.
@Suite struct PaymentOperationsTests {
    func call(_ client: some TestClientProtocol, _ path: String, _ merchant: Merchant, _ fields: [(String, String)]) async throws -> [PGParameter] {
        try await client.merchantAPI(path, fields.map { PGParameter($0.0, $0.1) }, as: merchant).xml
    }

    @Test func twoStepPaymentCapturesPartlyAndRefundsNeverAboveTheCapturedAmount() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.withRouter { client in
            let (id, _) = try await client.paidPayment(merchant, [("pg_auto_clearing", "0"), ("pg_amount", "1000")])
            let held = try await call(client, "/get_status3.php", merchant, [("pg_payment_id", id)])
            #expect(held.value("pg_payment_status") == "success" && held.value("pg_captured") == "0")
            #expect(try await call(client, "/revoke.php", merchant, [("pg_payment_id", id)]).value("pg_error_code") == "10034")
            let cleared = try await call(client, "/do_capture.php", merchant, [("pg_payment_id", id), ("pg_clearing_amount", "500")])
            #expect(cleared.value("pg_status") == "ok")
            #expect(cleared.value("pg_amount") == "1000" && cleared.value("pg_clearing_amount") == "500" && cleared.value("pg_clearing_status") == "1")
            #expect(try await call(client, "/do_capture.php", merchant, [("pg_payment_id", id)]).value("pg_error_code") == "10036")
            #expect(try await call(client, "/revoke.php", merchant, [("pg_payment_id", id), ("pg_refund_amount", "500.01")]).value("pg_error_code") == "10020")
            let refund = try await call(client, "/revoke.php", merchant, [("pg_payment_id", id), ("pg_refund_amount", "200")])
            #expect(refund.value("pg_refund_status") == "success")
            let status = try await client.merchantAPI("/get_status3.php", [PGParameter("pg_payment_id", id)], as: merchant)
            let parsed = try PaymentStatusResponse(parameters: status.xml)
            #expect(parsed.clearingAmount == "500" && parsed.refundAmount == "-200" && parsed.captured)
            #expect(parsed.refunds.map(\.amount) == ["-200"])
            #expect(parsed.refunds.first?.paymentID == refund.value("pg_payment_refund_id"))
            let rest = try await call(client, "/revoke.php", merchant, [("pg_payment_id", id)])
            #expect(rest.value("pg_status") == "ok")
            let final = try await call(client, "/get_status3.php", merchant, [("pg_payment_id", id)])
            #expect(final.value("pg_payment_status") == "revoked" && final.value("pg_refund_amount") == "-500")
            #expect(try await call(client, "/revoke.php", merchant, [("pg_payment_id", id)]).value("pg_error_code") == "11018")
        }
        await server.cleanUp()
    }

    @Test func heldPaymentCancelsOnceAndThenCannotBeCleared() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.withRouter { client in
            let (id, _) = try await client.paidPayment(merchant, card: TestCard.unionPay, [("pg_auto_clearing", "0")])
            let cancel = try await call(client, "/cancel.php", merchant, [("pg_payment_id", id)])
            #expect(cancel.value("pg_revoke_status") == "success" && cancel.value("pg_payment_revoke_id") != nil)
            #expect(try await call(client, "/cancel.php", merchant, [("pg_payment_id", id)]).value("pg_error_code") == "10033")
            #expect(try await call(client, "/do_capture.php", merchant, [("pg_payment_id", id)]).value("pg_error_code") == "10035")
            let status = try await call(client, "/get_status3.php", merchant, [("pg_payment_id", id)])
            #expect(status.value("pg_payment_status") == "revoked")
            #expect(status.children("pg_revoked_payments")?.count == 1)
        }
        await server.cleanUp()
    }

    @Test func clearedPaymentCannotBeCancelledAndFailedPaymentsCannotBeTouched() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.withRouter { client in
            let (paid, _) = try await client.paidPayment(merchant)
            #expect(try await call(client, "/cancel.php", merchant, [("pg_payment_id", paid)]).value("pg_error_code") == "10012")
            #expect(try await call(client, "/do_capture.php", merchant, [("pg_payment_id", paid)]).value("pg_error_code") == "10036")
            let (failed, _) = try await client.paidPayment(merchant, card: TestCard.declined)
            #expect(try await call(client, "/cancel.php", merchant, [("pg_payment_id", failed)]).value("pg_error_code") == "9013")
            #expect(try await call(client, "/do_capture.php", merchant, [("pg_payment_id", failed)]).value("pg_error_code") == "10035")
            #expect(try await call(client, "/revoke.php", merchant, [("pg_payment_id", failed)]).value("pg_error_code") == "4003")
        }
        await server.cleanUp()
    }

    @Test func testCardRestrictionsApplyToClearingAndCancel() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.withRouter { client in
            let (noClearing, _) = try await client.paidPayment(merchant, card: TestCard.noClearing, [("pg_auto_clearing", "0")])
            #expect(try await call(client, "/do_capture.php", merchant, [("pg_payment_id", noClearing)]).value("pg_error_code") == "10001")
            #expect(try await call(client, "/cancel.php", merchant, [("pg_payment_id", noClearing)]).value("pg_status") == "ok")
            let (noCancel, _) = try await client.paidPayment(merchant, card: TestCard.frictionless, [("pg_auto_clearing", "0")])
            #expect(try await call(client, "/cancel.php", merchant, [("pg_payment_id", noCancel)]).value("pg_error_code") == "10012")
        }
        await server.cleanUp()
    }

    @Test func heldPaymentIsClearedAutomaticallyAfterFiveDays() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.withRouter { client in
            let (id, _) = try await client.paidPayment(merchant, [("pg_auto_clearing", "0")])
            server.clock.advance(by: 5 * 24 * 3600 - 60)
            #expect(try await call(client, "/get_status3.php", merchant, [("pg_payment_id", id)]).value("pg_captured") == "0")
            server.clock.advance(by: 61)
            let status = try await call(client, "/get_status3.php", merchant, [("pg_payment_id", id)])
            #expect(status.value("pg_captured") == "1" && status.value("pg_clearing_amount") == "1500")
        }
        await server.cleanUp()
    }

    @Test func statusByOrderIDReturnsTheLastPaymentAndUnpaidOnesExpire() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.withRouter { client in
            let (failed, _) = try await client.paidPayment(merchant, card: TestCard.declined, [("pg_order_id", "ORD-1")])
            let second = try await client.initPayment(merchant, [("pg_order_id", "ORD-1"), ("pg_lifetime", "300")])
            let secondID = try #require(second.xml.value("pg_payment_id"))
            let byOrder = try await call(client, "/get_status3.php", merchant, [("pg_order_id", "ORD-1")])
            #expect(byOrder.value("pg_payment_id") == secondID && byOrder.value("pg_payment_status") == "new")
            #expect(try await call(client, "/get_status3.php", merchant, [("pg_payment_id", failed)]).value("pg_failure_code") == "10001")
            server.clock.advance(by: 301)
            #expect(try await call(client, "/get_status3.php", merchant, [("pg_order_id", "ORD-1")]).value("pg_payment_status") == "incomplete")
            #expect(try await call(client, "/get_status3.php", merchant, []).value("pg_error_code") == "200")
            #expect(try await call(client, "/get_status3.php", merchant, [("pg_payment_id", "abc")]).value("pg_error_code") == "200")
        }
        await server.cleanUp()
    }

    /// Another merchant's payment ids look like "not found" on every endpoint and change nothing.
    @Test func anotherMerchantsPaymentIsNotFound() async throws {
        let server = try await TestServer.make()
        let owner = try await server.createMerchant()
        let intruder = try await server.createMerchant()
        try await server.withRouter { client in
            let (id, _) = try await client.paidPayment(owner, [("pg_auto_clearing", "0"), ("pg_order_id", "SECRET-1")])
            for path in ["/get_status3.php", "/do_capture.php", "/cancel.php", "/revoke.php"] {
                let answer = try await call(client, path, intruder, [("pg_payment_id", id)])
                #expect(answer.value("pg_error_code") == "11068", Comment(rawValue: path))
                #expect(answer.value("pg_error_description") == "Payment not found.")
            }
            #expect(try await call(client, "/get_status3.php", intruder, [("pg_order_id", "SECRET-1")]).value("pg_error_code") == "11068")
            #expect(try await call(client, "/get_status3.php", owner, [("pg_payment_id", "1234567890")]).value("pg_error_code") == "11068")
        }
        let storedID = try await server.services.store.read { db in try await db.queryOne("SELECT id FROM purchase_payments", [])?.text("id") }
        let payment = try await server.payment(try #require(storedID), of: owner)
        #expect(payment?.status == .authorized)
        await server.cleanUp()
    }
}

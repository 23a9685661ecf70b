import Foundation
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import HummingbirdTesting
import Testing

/// The callback log and its redeliver button, against a real merchant receiver on a loopback port.
@Suite struct DashboardCallbackTests {
    @Test func redeliverSendsTheCallbackAgainSignedAsUsual() async throws {
        let server = try await TestServer.make(configure: patientCallbacks)
        let merchant = try await server.createMerchant()
        let receiver = MerchantReceiver(secret: merchant.paymentSecret)
        try await receiver.run { shop in
            try await server.withRouter { client in
                let payment = try await server.paidPaymentDirectly(merchant, resultURL: shop + "/result")
                let paymentID = String(payment.id.rawValue)
                #expect(try await eventually { try await server.resultCallbacks(paymentID).first?.delivery.state == .delivered(.accepted) })
                #expect(receiver.received("result").count == 1)
                let original = try #require(try await server.resultCallbacks(paymentID).first)

                let browser = try await server.dashboard(client)
                let log = try await browser.get("/dashboard/callbacks")
                #expect(log.text.contains("href=\"/dashboard/callbacks/\(original.id)\"") && log.text.contains("accepted"))
                let detail = try await browser.get("/dashboard/callbacks/\(original.id)")
                #expect(detail.text.contains("pg_payment_id=\(paymentID)") && detail.text.contains("ok: Order accepted"))
                #expect(detail.text.contains("1 of "))
                let paymentPage = try await browser.get("/dashboard/payments/\(paymentID)")
                #expect(paymentPage.status == .ok && paymentPage.text.contains("/dashboard/callbacks/\(original.id)"))

                let csrf = try await browser.csrf(from: "/dashboard/callbacks/\(original.id)")
                let redeliver = try await browser.post("/dashboard/callbacks/\(original.id)/redeliver", [("csrf", csrf)])
                #expect(redeliver.status == .seeOther)
                #expect(try await eventually { receiver.received("result").count == 2 })
                let again = try #require(receiver.received("result").last)
                #expect(again.signatureValid)
                #expect(again.value("pg_payment_id") == paymentID && again.value("pg_amount") == "1500")
                #expect(again.value("pg_can_reject") == "0", "a redelivery can no longer refuse the payment")
                #expect(again.value("pg_salt") != receiver.received("result").first?.value("pg_salt"), "signed afresh")

                let rows = try await server.resultCallbacks(paymentID)
                #expect(rows.count == 2, "the original stays in the log as history")
                #expect(try await eventually { try await server.resultCallbacks(paymentID).last?.delivery.state == .delivered(.accepted) })
                #expect(try await server.payment(paymentID, of: merchant)?.status == payment.status)
                #expect(try await browser.post("/dashboard/callbacks/999999/redeliver", [("csrf", csrf)]).status == .notFound)
                #expect(try await browser.post("/dashboard/callbacks/\(original.id)/redeliver", []).status == .forbidden)
                #expect(receiver.received("result").count == 2)
            }
        }
        await server.cleanUp()
    }

    @Test func smsInboxAndListsRender() async throws {
        let server = try await TestServer.make()
        let partner = try await server.createPartner()
        try await server.services.store.write { db in
            try await SMSOutbox().send(partner: partner.id, phone: "77010000000", text: "Your code is 123456", now: Date(), in: db)
        }
        try await server.withRouter { client in
            let browser = try await server.dashboard(client)
            #expect(try await browser.get("/dashboard/sms").text.contains("Your code is 123456"))
            for path in ["/dashboard/transactions", "/dashboard/payments", "/dashboard/payouts", "/dashboard/clients", "/dashboard/partners"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(page.text.contains("</table>"), "\(path)")
            }
        }
        await server.cleanUp()
    }
}

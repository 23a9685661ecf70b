import AsyncHTTPClient
import Foundation
import FreedomPayClient
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

/// The whole purchase over real HTTP: client SDK, hosted page by plain form posts, callbacks to a merchant.
@Suite struct PurchaseEndToEndTests {
    static func browser(_ method: HTTPMethod, _ url: String, form: String? = nil) async throws -> (status: Int, location: String?, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: form))
        }
        // A client that does not follow redirects, to see where the page sends the buyer.
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        defer { _ = client.shutdown() }
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), response.headers.first(name: "location"), String(buffer: body))
    }

    @Test func clientSDKPaysOnTheHostedPageThenRefundsWithCallbacks() async throws {
        let server = try await TestServer.make(configure: patientCallbacks)
        let merchant = try await server.createMerchant(name: "E2E Shop")
        let receiver = MerchantReceiver(secret: merchant.paymentSecret)
        try await receiver.run { shop in
            try await server.withLiveServer { baseURL in
                let client = MerchantAPIClient(baseURL: baseURL, merchantID: String(merchant.id.rawValue),
                                               paymentSecret: merchant.paymentSecret, payoutSecret: merchant.payoutSecret)
                var request = InitPaymentRequest(amount: "2500.75", description: "Headphones", orderID: "E2E-1", currency: "KZT")
                request.resultURL = shop + "/result"
                request.checkURL = shop + "/check"
                request.successURL = shop + "/success"
                request.failureURL = shop + "/failure"
                request.autoClearing = false
                let created = try await client.initPayment(request)
                #expect(created.redirectURL.hasPrefix(baseURL + "/pay/"))

                let page = try await Self.browser(.GET, created.redirectURL)
                #expect(page.status == 200 && page.body.contains("2500.75 KZT") && page.body.contains("E2E Shop"))
                let paid = try await Self.browser(.POST, created.redirectURL, form: "card_number=4716+0472+6194+1981&expiry=12%2F39&cvv=123&holder=Ivan+Ivanov")
                #expect(paid.status == 303)
                #expect(paid.location?.hasPrefix(shop + "/success?") == true)

                let check = try #require(receiver.received("check").first)
                #expect(check.signatureValid && check.value("pg_result") == nil && check.value("pg_amount") == "2500.75")
                #expect(try await eventually { receiver.received("result").count == 1 })
                #expect(receiver.received("result").first?.value("pg_captured") == "0")

                let held = try await client.paymentStatus(orderID: "E2E-1")
                #expect(held.paymentStatus == "success" && !held.captured && held.cardPan == "4716-04XX-XXXX-1981")
                let cleared = try await client.capture(paymentID: created.paymentID, amount: "2000")
                #expect(cleared.clearingAmount == "2000" && cleared.cleared)
                let refund = try await client.refund(paymentID: created.paymentID, amount: "500.25")
                #expect(refund.refundStatus == "success")
                await #expect(throws: FreedomPayClientError.self) { _ = try await client.refund(paymentID: created.paymentID, amount: "1500") }
                let status = try await client.paymentStatus(paymentID: created.paymentID)
                #expect(status.clearingAmount == "2000" && status.refundAmount == "-500.25" && status.captured)
            }
        }
        await server.cleanUp()
    }

    @Test func checkRequestRejectionFailsThePaymentBeforeCharging() async throws {
        let server = try await TestServer.make(configure: patientCallbacks)
        let merchant = try await server.createMerchant()
        let receiver = MerchantReceiver(secret: merchant.paymentSecret)
        receiver.reply(.rejected("Sold out"), to: "check")
        try await receiver.run { shop in
            try await server.withRouter { client in
                let (id, page) = try await client.paidPayment(merchant, [
                    ("pg_check_url", shop + "/check"), ("pg_failure_url", shop + "/failure"), ("pg_result_url", shop + "/result"),
                ])
                #expect(page.location?.hasPrefix(shop + "/failure?") == true)
                #expect(page.location?.contains("pg_error_code=10016") == true)
                let payment = try await server.payment(id, of: merchant)
                #expect(payment?.status == .failed)
                #expect(payment?.failureDescription?.contains("Sold out") == true)
                #expect(receiver.received("check").first?.signatureValid == true)
                #expect(try await eventually { receiver.received("result").first?.value("pg_result") == "0" })
            }
        }
        await server.cleanUp()
    }

    @Test func unreachableCheckURLCountsAsRefusal() async throws {
        let server = try await TestServer.make { configuration in
            fastCallbacks(&configuration)
            configuration.callbackTimeoutMs = 500
        }
        let merchant = try await server.createMerchant()
        let (id, _) = try await server.withRouter { client in
            try await client.paidPayment(merchant, [("pg_check_url", "http://127.0.0.1:9/check")])
        }
        #expect(try await server.payment(id, of: merchant)?.status == .failed)
        await server.cleanUp()
    }

    @Test func clientSDKSavesACardChargesItAndRemovesIt() async throws {
        let server = try await TestServer.make(configure: patientCallbacks)
        let merchant = try await server.createMerchant()
        try await server.withLiveServer { baseURL in
            let client = MerchantAPIClient(baseURL: baseURL, merchantID: String(merchant.id.rawValue),
                                           paymentSecret: merchant.paymentSecret, payoutSecret: merchant.payoutSecret)
            let added = try await client.addCard(userID: "buyer-1", postLink: "https://shop.example/notify", backLink: "https://shop.example/back")
            let saved = try await Self.browser(.POST, added.redirectURL, form: "card_number=4716047261941981&expiry=11%2F38&cvv=123&holder=Anna+K")
            #expect(saved.status == 303 && saved.location == "https://shop.example/back")
            let cards = try await client.listCards(userID: "buyer-1")
            #expect(cards.map(\.cardHash) == ["4716-04XX-XXXX-1981"])
            let token = try #require(cards.first?.cardToken)
            let paymentID = try await client.cardInit(
                InitPaymentRequest(amount: "15", description: "Refill", orderID: "R-1"), userID: "buyer-1", cardToken: token)
            let charged = try await client.cardDirect(paymentID: paymentID)
            #expect(charged.paymentStatus == "success")
            #expect(try await client.paymentStatus(paymentID: paymentID).captured)
            #expect(try await client.removeCard(userID: "buyer-1", cardToken: token) != nil)
            #expect(try await client.listCards(userID: "buyer-1").isEmpty)

            var first = InitPaymentRequest(amount: "5", description: "Plan", orderID: "PLAN-1")
            first.recurringStart = true
            let created = try await client.initPayment(first)
            _ = try await Self.browser(.POST, created.redirectURL, form: "card_number=4716047261941981&expiry=11%2F38&cvv=123&holder=Anna+K")
            let status = try await client.send(path: "/get_status3.php", parameters: [PGParameter("pg_payment_id", created.paymentID)], secret: .payment)
            let profile = try #require(status.value("pg_recurring_profile_id"))
            let recurring = try await client.makeRecurringPayment(profile: profile, amount: "5", description: "Plan, month 2")
            #expect(recurring.recurringProfile == profile && recurring.amount == "5")
        }
        await server.cleanUp()
    }
}

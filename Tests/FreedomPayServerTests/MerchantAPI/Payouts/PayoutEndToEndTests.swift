import Foundation
import FreedomPayClient
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import NIOHTTP1
import Testing

/// The whole payout over real HTTP: the client SDK, the payout card page by plain form posts, sandbox funding,
/// reg2reg, the status endpoints and the payout notify checked by the merchant with an independent MD5.
@Suite struct PayoutEndToEndTests {
    @Test func clientSDKTokenizesFundsPaysOutAndIsNotifiedOnce() async throws {
        let server = try await TestServer.make(configure: patientCallbacks)
        let merchant = try await server.createMerchant(name: "Payout Shop")
        let receiver = MerchantReceiver(secret: merchant.payoutSecret)
        try await receiver.run { shop in
            try await server.withLiveServer { baseURL in
                let client = MerchantAPIClient(baseURL: baseURL, merchantID: String(merchant.id.rawValue),
                                               paymentSecret: merchant.paymentSecret, payoutSecret: merchant.payoutSecret)
                let added = try await client.addPayoutCard(userID: "user_42", postLink: shop + "/cards", backLink: shop + "/back")
                #expect(added.redirectURL.hasPrefix(baseURL + "/v1/merchant/\(merchant.id.rawValue)/cardstoragepayout/view"))
                let page = try await PurchaseEndToEndTests.browser(.GET, added.redirectURL)
                #expect(page.status == 200 && page.body.contains("Payout Shop"))
                let saved = try await PurchaseEndToEndTests.browser(
                    .POST, added.redirectURL, form: "card_number=4671+5938+6647+8252&expiry=12%2F39&cvv=123&holder=Ivan+Ivanov")
                #expect(saved.status == 303 && saved.location == shop + "/back")
                let token = try #require(try await client.listPayoutCards(userID: "user_42").first).cardToken
                #expect(try await client.listCards(userID: "user_42").isEmpty, "payout cards are not purchase cards")

                let funded = try await client.sandboxFund(amount: "10000")
                #expect(try await client.balanceStatus().balance == funded.balance)
                let request = Reg2RegRequest(orderID: "E2E-PO-1", amount: "2500", description: "Cashback", orderTimeLimit: server.tomorrow,
                                             userID: "user_42", postLink: shop + "/notify", cardTokenTo: token)
                let paid = try await client.reg2reg(request)
                let expectedBalance = PGAmount.render(1_000_000 - 250_000 - 2_500)
                #expect(paid.paymentStatus == "success" && paid.paymentAmount == "2500" && paid.balance == expectedBalance)
                #expect(paid.cardHash == "4671-59XX-XXXX-8252")
                #expect(try await client.balanceStatus().balance == expectedBalance)

                let v2 = try await client.payoutStatus(orderID: "E2E-PO-1")
                let v1 = try await client.payoutStatusV1(paymentID: paid.paymentID)
                let byOrder = try await client.payoutStatus(byOrder: "E2E-PO-1")
                #expect(v2.paymentID == paid.paymentID && v2.paymentStatus == "success" && v2.amount == "2500")
                #expect(v1.paymentID == paid.paymentID && v1.paymentStatus == "ok")
                #expect(byOrder.paymentID == paid.paymentID && byOrder.transactionStatus == "ok")

                #expect(try await eventually { receiver.received("notify").count == 1 })
                let notify = try #require(receiver.received("notify").first)
                #expect(notify.signatureValid && notify.viaXML)
                #expect(notify.value("pg_status") == "ok" && notify.value("pg_payment_id") == paid.paymentID)
                #expect(notify.value("pg_to_pay") == PGAmount.render(252_500) && notify.value("pg_balance") == expectedBalance)
                #expect(try await eventually {
                    try await server.payoutCallbacks(paid.paymentID).first?.delivery.state == .delivered(.accepted)
                })

                let again = try await client.reg2reg(request)
                #expect(again.paymentID == paid.paymentID)
                #expect(try await client.balanceStatus().balance == expectedBalance)
                do {
                    var changed = request
                    changed.amount = "1"
                    _ = try await client.reg2reg(changed)
                    Issue.record("a different request with a used order id must be refused")
                } catch FreedomPayClientError.merchantAPI(let code, _) {
                    #expect(code == "9991")
                }
                try await Task.sleep(for: .milliseconds(300))
                #expect(receiver.received("notify").count == 1)
                #expect(try await server.payoutCallbacks(paid.paymentID).count == 1)
            }
        }
    }

    @Test func clientSDKPaysARecipientWhoEntersTheCardOnThePage() async throws {
        let server = try await TestServer.make(configure: patientCallbacks)
        let merchant = try await server.createMerchant(name: "Prize Shop")
        let receiver = MerchantReceiver(secret: merchant.payoutSecret)
        try await receiver.run { shop in
            try await server.withLiveServer { baseURL in
                let client = MerchantAPIClient(baseURL: baseURL, merchantID: String(merchant.id.rawValue),
                                               paymentSecret: merchant.paymentSecret, payoutSecret: merchant.payoutSecret)
                _ = try await client.sandboxFund(amount: "5000")
                let created = try await client.reg2nonreg(Reg2NonRegRequest(
                    orderID: "E2E-NR-1", amount: "3000", description: "Prize", orderTimeLimit: server.tomorrow,
                    postLink: shop + "/notify", backLink: shop + "/back"))
                #expect(created.redirectURL.hasPrefix(baseURL + "/payout/"))
                #expect(try await client.balanceStatus().balance == "5000")
                let sent = try await PurchaseEndToEndTests.browser(
                    .POST, created.redirectURL, form: "card_number=\(PayoutCard.unionPay)&expiry=12%2F39&cvv=123&holder=Ivan+Ivanov")
                #expect(sent.status == 303 && sent.location == shop + "/back")
                #expect(try await client.payoutStatus(orderID: "E2E-NR-1").paymentStatus == "success")
                #expect(try await client.balanceStatus().balance == PGAmount.render(500_000 - 303_000))
                #expect(try await eventually { receiver.received("notify").first?.signatureValid == true })
                #expect(receiver.received("notify").first?.value("pg_payment_id") == created.paymentID)
            }
        }
    }
}

import Foundation
import FreedomPayClient
import FreedomPayCore
@testable import FreedomPayServer
import FreedomPayWire
import Testing

/// `freedompay listen`: the listener logic against a live server and a local receiver.
@Suite struct CallbackListenTests {
    static func listener(_ merchant: Merchant, baseURL: String, forward: String, paymentSecret: String? = nil) -> CallbackListener {
        let client = MerchantAPIClient(
            baseURL: baseURL, merchantID: String(merchant.id.rawValue),
            paymentSecret: paymentSecret ?? merchant.paymentSecret, payoutSecret: merchant.payoutSecret)
        return CallbackListener(client: client, forwardURL: forward, waitMs: 300)
    }

    /// Polls until one callback was relayed (the first poll attaches the listener).
    static func nextEvent(_ listener: CallbackListener) async throws -> CallbackListener.Event? {
        for _ in 0..<40 {
            if let event = try await listener.once() { return event }
        }
        return nil
    }

    /// The merchant's own result URL is unreachable: the callback arrives only through the listener, signed
    /// for the local URL, and the local reply marks the callback delivered.
    @Test func forwardsTheSignedCallbackAndTheLocalReplyMarksItDelivered() async throws {
        let server = try await TestServer.make(configure: fastCallbacks)
        let merchant = try await server.createMerchant()
        let receiver = MerchantReceiver(secret: merchant.paymentSecret)
        try await receiver.run { shop in
            try await server.withLiveServer { baseURL in
                let listener = Self.listener(merchant, baseURL: baseURL, forward: shop + "/local-callback")
                #expect(try await listener.once() == nil)
                let payment = try await server.paidPaymentDirectly(merchant, resultURL: "http://127.0.0.1:9/shop/result")
                let event = try #require(try await Self.nextEvent(listener))
                #expect(event.signatureValid)
                #expect(event.summary.contains("signature: valid"), "\(event.summary)")
                #expect(event.replyStatus == 200 && event.outcome == "ok", "\(event.summary)")
                #expect(event.originalURL == "http://127.0.0.1:9/shop/result")
                let received = receiver.received("local-callback")
                #expect(received.count == 1)
                #expect(received.first?.signatureValid == true, "the receiver's own MD5 check of pg_sig")
                #expect(received.first?.value("pg_payment_id") == String(payment.id.rawValue))
                let id = String(payment.id.rawValue)
                #expect(try await eventually { try await server.resultCallbacks(id).first?.delivery.state == .delivered(.accepted) })
                #expect(try await server.resultCallbacks(id).first?.delivery.attempts == 1)
            }
        }
        await server.cleanUp()
    }

    /// A local `rejected` reply is a merchant refusal: the payment is reversed as with a direct delivery.
    @Test func localRejectionIsRecordedAsTheMerchantsRefusal() async throws {
        let server = try await TestServer.make(configure: fastCallbacks)
        let merchant = try await server.createMerchant()
        let receiver = MerchantReceiver(secret: merchant.paymentSecret)
        receiver.reply(.rejected("Out of stock"), to: "local-callback")
        try await receiver.run { shop in
            try await server.withLiveServer { baseURL in
                let listener = Self.listener(merchant, baseURL: baseURL, forward: shop + "/local-callback")
                _ = try await listener.once()
                let payment = try await server.paidPaymentDirectly(merchant, resultURL: "http://127.0.0.1:9/shop/result")
                let event = try #require(try await Self.nextEvent(listener))
                #expect(event.outcome == "rejected")
                let id = String(payment.id.rawValue)
                #expect(try await eventually { try await server.resultCallbacks(id).first?.delivery.state == .delivered(.rejected) })
                #expect(try await server.payment(id, of: merchant)?.status == .cancelled)
            }
        }
        await server.cleanUp()
    }

    /// A listener that attached and then vanished: after the callback timeout the dispatcher delivers directly.
    @Test func deadListenerFallsBackToDirectDelivery() async throws {
        let server = try await TestServer.make(configure: fastCallbacks)
        let merchant = try await server.createMerchant()
        let receiver = MerchantReceiver(secret: merchant.paymentSecret)
        try await receiver.run { shop in
            try await server.withLiveServer { baseURL in
                _ = try await Self.listener(merchant, baseURL: baseURL, forward: shop + "/local-callback").once()
                let payment = try await server.paidPaymentDirectly(merchant, resultURL: shop + "/result")
                let id = String(payment.id.rawValue)
                #expect(try await eventually { try await server.resultCallbacks(id).first?.delivery.state == .delivered(.accepted) })
                #expect(receiver.received("result").count == 1)
                #expect(receiver.received("local-callback").isEmpty)
                #expect(await !server.services.sandboxTools.relay.isAttached(merchant.id))
            }
        }
        await server.cleanUp()
    }

    /// The relay is authenticated with the merchant's secret; one merchant cannot answer another's delivery.
    @Test func relayRoutesAreSignedAndScopedToTheMerchant() async throws {
        let server = try await TestServer.make(configure: fastCallbacks)
        let merchant = try await server.createMerchant()
        let other = try await server.createMerchant()
        try await server.withLiveServer { baseURL in
            let forged = Self.listener(merchant, baseURL: baseURL, forward: "http://127.0.0.1:9/cb", paymentSecret: "wrong")
            await #expect(throws: FreedomPayClientError.self) { _ = try await forged.once() }
            #expect(await !server.services.sandboxTools.relay.isAttached(merchant.id))
            let otherClient = MerchantAPIClient(
                baseURL: baseURL, merchantID: String(other.id.rawValue), paymentSecret: other.paymentSecret, payoutSecret: "")
            _ = try await Self.listener(merchant, baseURL: baseURL, forward: "http://127.0.0.1:9/cb").once()
            let queued = await server.services.sandboxTools.relay.enqueue(merchant: merchant.id) { url in
                CallbackRelay.Delivery(id: "d-1", forwardURL: url, originalURL: url, method: .post, payload: "a=1",
                                       secret: .payment, requireSignedReply: true)
            }
            #expect(queued != nil)
            _ = await server.services.sandboxTools.relay.poll(merchant: merchant.id, forwardURL: "http://127.0.0.1:9/cb")
            let answer = try await otherClient.sendRaw(path: CallbackListener.replyPath, parameters: [
                PGParameter("pg_delivery_id", "d-1"), PGParameter("pg_http_status", "200"), PGParameter("pg_body_base64", ""),
            ], secret: .payment)
            #expect(answer.text.contains("<pg_status>error</pg_status>") && answer.text.contains("not found"), "\(answer.text)")
        }
        await server.cleanUp()
    }

    @Test func relayIsAbsentOutsideSandboxMode() async throws {
        let server = try await TestServer.make(sandbox: false)
        let merchant = try await server.createMerchant()
        try await server.withLiveServer { baseURL in
            do {
                _ = try await Self.listener(merchant, baseURL: baseURL, forward: "http://127.0.0.1:9/cb").once()
                Issue.record("the listen route answered outside sandbox mode")
            } catch FreedomPayClientError.merchantAPI(let code, _) {
                #expect(code == "9994")
            }
        }
        await server.cleanUp()
    }
}

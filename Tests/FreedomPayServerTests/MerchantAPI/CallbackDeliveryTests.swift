import Foundation
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import HummingbirdTesting
import Testing

/// Result notify delivery through the outbox to a real merchant receiver on a loopback port.
@Suite struct ResultNotifyTests {
    @Test(arguments: [PGRequestMethod.post, .get, .xml])
    func resultNotifyIsSignedWithTheMerchantURLScriptName(method: PGRequestMethod) async throws {
        let server = try await TestServer.make(configure: patientCallbacks)
        let merchant = try await server.createMerchant()
        let receiver = MerchantReceiver(secret: merchant.paymentSecret)
        try await receiver.run { shop in
            try await server.withRouter { _ in
                let payment = try await server.paidPaymentDirectly(merchant, resultURL: shop + "/result", method: method)
                #expect(try await eventually(seconds: 45) { receiver.received("result").count == 1 })
                let notify = try #require(receiver.received("result").first)
                #expect(notify.signatureValid)
                #expect(notify.method == (method == .get ? "GET" : "POST"))
                #expect(notify.viaXML == (method == .xml))
                #expect(notify.value("pg_payment_id") == String(payment.id.rawValue))
                #expect(notify.value("pg_amount") == "1500" && notify.value("pg_result") == "1")
                #expect(notify.value("pg_can_reject") == "1" && notify.value("pg_captured") == "1")
                #expect(notify.value("pg_card_pan") == "4716-04XX-XXXX-1981")
                #expect(notify.value("basket") == "b-1")
                #expect(!notify.fields.contains { $0.1.contains(TestCard.frictionless) })
                #expect(try await eventually { try await server.resultCallbacks(String(payment.id.rawValue)).first?.delivery.state == .delivered(.accepted) })
            }
        }
        await server.cleanUp()
    }

    /// Merchant down, then up: retried on the schedule, delivered exactly once, refusal no longer allowed.
    @Test func merchantDownThenUpIsDeliveredExactlyOnce() async throws {
        let server = try await TestServer.make(configure: patientCallbacks)
        let merchant = try await server.createMerchant()
        let receiver = MerchantReceiver(secret: merchant.paymentSecret)
        receiver.reply(.down, to: "result")
        try await receiver.run { shop in
            try await server.withRouter { _ in
                let payment = try await server.paidPaymentDirectly(merchant, resultURL: shop + "/result")
                #expect(try await eventually { receiver.received("result").count >= 2 })
                receiver.reply(.ok, to: "result")
                let id = String(payment.id.rawValue)
                #expect(try await eventually { try await server.resultCallbacks(id).first?.delivery.state == .delivered(.accepted) })
                try await Task.sleep(for: .milliseconds(500))
                let received = receiver.received("result")
                let callbacks = try await server.resultCallbacks(id)
                #expect(callbacks.count == 1)
                #expect(callbacks.first?.delivery.attempts == received.count)
                #expect(received.allSatisfy { $0.signatureValid && $0.value("pg_payment_id") == id })
                #expect(received.first?.value("pg_can_reject") == "1")
                #expect(received.dropFirst().allSatisfy { $0.value("pg_can_reject") == "0" })
            }
        }
        await server.cleanUp()
    }

    @Test func rejectionOnTheFirstAttemptReversesThePayment() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        let receiver = MerchantReceiver(secret: merchant.paymentSecret)
        receiver.reply(.rejected("Out of stock"), to: "result")
        try await receiver.run { shop in
            let payment = try await server.paidPaymentDirectly(merchant, resultURL: shop + "/result")
            #expect(try await server.dispatcher.drainOnce() == 1)
            let reversed = try await server.payment(String(payment.id.rawValue), of: merchant)
            #expect(reversed?.status == .cancelled)
            let callback = try await server.resultCallbacks(String(payment.id.rawValue)).first
            #expect(callback?.delivery.state == .delivered(.rejected))
            #expect(callback?.replyDescription == "Out of stock")
        }
        await server.cleanUp()
    }

    @Test func documentedScheduleThenLateRejectionIsNotHonoured() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        let receiver = MerchantReceiver(secret: merchant.paymentSecret)
        receiver.reply(.badSignature, to: "result")
        try await receiver.run { shop in
            let payment = try await server.paidPaymentDirectly(merchant, resultURL: shop + "/result")
            let id = String(payment.id.rawValue)
            let dispatcher = server.dispatcher
            #expect(try await dispatcher.drainOnce() == 1)
            receiver.reply(.error, to: "result")
            server.clock.advance(by: 29 * 60)
            #expect(try await dispatcher.drainOnce() == 0)
            server.clock.advance(by: 61)
            #expect(try await dispatcher.drainOnce() == 1)
            receiver.reply(.rejected("Too late"), to: "result")
            server.clock.advance(by: 30 * 60)
            #expect(try await dispatcher.drainOnce() == 1)
            let callback = try await server.resultCallbacks(id).first
            #expect(callback?.delivery.state == .delivered(.accepted))
            #expect(callback?.delivery.attempts == 3)
            #expect(try await server.payment(id, of: merchant)?.status == .captured)
            #expect(receiver.received("result").map { $0.value("pg_can_reject") } == ["1", "0", "0"])
        }
        await server.cleanUp()
    }

    @Test func deliveryIsAbandonedAfterTwoHoursOfFailures() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        let receiver = MerchantReceiver(secret: merchant.paymentSecret)
        receiver.reply(.down, to: "result")
        try await receiver.run { shop in
            let payment = try await server.paidPaymentDirectly(merchant, resultURL: shop + "/result")
            for _ in 0..<5 {
                #expect(try await server.dispatcher.drainOnce() == 1)
                server.clock.advance(by: 30 * 60)
            }
            #expect(try await server.dispatcher.drainOnce() == 0)
            let callback = try await server.resultCallbacks(String(payment.id.rawValue)).first
            #expect(callback?.delivery.state == .exhausted)
            #expect(receiver.received("result").count == 5)
        }
        await server.cleanUp()
    }

    /// A restart in the middle of retries, including a row leased by an instance that died mid-delivery:
    /// the new process delivers once the lease expires, exactly once.
    @Test func restartInTheMiddleOfRetriesNeitherLosesNorDuplicates() async throws {
        let first = try await TestServer.make()
        let merchant = try await first.createMerchant()
        let receiver = MerchantReceiver(secret: merchant.paymentSecret)
        receiver.reply(.down, to: "result")
        try await receiver.run { shop in
            let payment = try await first.paidPaymentDirectly(merchant, resultURL: shop + "/result")
            let id = String(payment.id.rawValue)
            #expect(try await first.dispatcher.drainOnce() == 1)
            first.clock.advance(by: 30 * 60)
            let nowMs = Int64(first.clock.now().timeIntervalSince1970 * 1000)
            let leased = try await first.services.store.write { db in
                try await OutboxRepository().claimDue(nowMs: nowMs, leaseMs: 60_000, owner: "crashed", limit: 10, in: db)
            }
            #expect(leased.count == 1)
            try await first.services.store.close()

            let second = try await first.reopened { _ in }
            receiver.reply(.ok, to: "result")
            #expect(try await second.dispatcher.drainOnce() == 0)
            second.clock.advance(by: 61)
            #expect(try await second.dispatcher.drainOnce() == 1)
            second.clock.advance(by: 3 * 3600)
            #expect(try await second.dispatcher.drainOnce() == 0)
            let received = receiver.received("result")
            #expect(received.count == 2)
            #expect(received.allSatisfy { $0.signatureValid && $0.value("pg_payment_id") == id })
            #expect(received.last?.value("pg_can_reject") == "0")
            let callback = try await second.resultCallbacks(id)
            #expect(callback.count == 1 && callback.first?.delivery.state == .delivered(.accepted))
            await second.cleanUp()
        }
    }

    /// The same with the real running dispatcher: the app stops while the merchant is down, a new app on the
    /// same data folder delivers once the merchant is back.
    @Test func runningAppRestartedOnTheSameDataFolderDeliversOnce() async throws {
        // Retries 1 s apart, so the app is stopped between attempts, not during one.
        let slower: @Sendable (inout ServerConfiguration) -> Void = { configuration in
            fastCallbacks(&configuration)
            configuration.callbackRetryIntervalMs = 1_000
            configuration.callbackRetryWindowMs = 20_000
            configuration.callbackTimeoutMs = 1_000  // lease 3 s: an attempt cut off by the shutdown is retried soon
        }
        let first = try await TestServer.make(configure: slower)
        let merchant = try await first.createMerchant()
        let receiver = MerchantReceiver(secret: merchant.paymentSecret)
        receiver.reply(.down, to: "result")
        try await receiver.run { shop in
            let id = try await first.withRouter { _ in
                let payment = try await first.paidPaymentDirectly(merchant, resultURL: shop + "/result")
                let id = String(payment.id.rawValue)
                #expect(try await eventually(seconds: 15) { try await first.resultCallbacks(id).first?.delivery.attempts == 1 })
                return id
            }
            try await first.services.store.close()
            let failedAttempts = receiver.received("result").count
            receiver.reply(.ok, to: "result")
            let second = try await first.reopened(configure: slower)
            try await second.withRouter { _ in
                #expect(try await eventually(seconds: 20) { try await second.resultCallbacks(id).first?.delivery.state == .delivered(.accepted) })
                try await Task.sleep(for: .milliseconds(300))
            }
            let received = receiver.received("result")
            // Exactly one delivery after the restart; an attempt cut off by the shutdown may have reached the
            // merchant without being recorded (at-least-once on the wire), but nothing follows the success.
            #expect(failedAttempts >= 1 && received.count == failedAttempts + 1)
            #expect(received.allSatisfy { $0.signatureValid && $0.value("pg_payment_id") == id })
            #expect(received.last?.value("pg_can_reject") == "0")
            await second.cleanUp()
        }
    }
}

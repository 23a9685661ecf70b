import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

@Suite struct MetricsTests {
    @Test func metricsShowRequestsSignatureFailuresPostingsAndBatches() async throws {
        FreedomPayMetrics.bootstrap()
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner()
        let forger = Partner(id: partner.id, authID: partner.authID, name: "forger", secret: "not-the-secret")
        try await server.withRouter { client in
            _ = try await client.cardAPI("/v5/card-api/request/status", #"{"request_id":"x"}"#, as: partner)
            _ = try await client.cardAPI("/v5/card-api/request/status", #"{"request_id":"x"}"#, as: forger)
            _ = try await client.cardAPI("/v5/card-api/sandbox/fund", #"{"amount":10,"currency":"KZT"}"#, as: partner)
            let metrics = try await client.executeRequest(uri: "/metrics", method: .get, headers: [:], body: nil)
            #expect(metrics.status == .ok)
            let text = metrics.text
            #expect(text.contains("hb_requests"), "request counts by route and status")
            #expect(text.contains(#"http_route="/v5/card-api/request/status""#))
            #expect(text.contains("http_server_request_duration_bucket"), "latency histogram")
            #expect(text.contains(#"freedompay_signature_failures_total{scheme="jws_hs512",reason="signature"}"#) ||
                    text.contains(#"freedompay_signature_failures_total{reason="signature",scheme="jws_hs512"}"#))
            #expect(text.contains("freedompay_ledger_postings_total"))
            #expect(text.contains("freedompay_store_batch_size"))
            #expect(text.contains("freedompay_store_flush_seconds_bucket"), "WAL flush latency histogram")
            #expect(!text.contains(partner.secret))
        }
    }
}

extension MetricsTests {
    /// A callback that fails once and then gets through shows one retry and one delivery in `/metrics`.
    @Test func metricsCountCallbackRetriesAndDeliveries() async throws {
        FreedomPayMetrics.bootstrap()
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let merchant = try await server.createMerchant()
        let receiver = MerchantReceiver(secret: merchant.paymentSecret)
        func count(_ outcome: String, in text: String) -> Int {
            let line = text.split(separator: "\n").first {
                $0.hasPrefix("freedompay_callback_attempts_total{") && $0.contains(#"kind="result""#) && $0.contains(#"outcome="\#(outcome)""#)
            }
            return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        }
        let before = String(decoding: FreedomPayMetrics.registry.emitToBuffer(), as: UTF8.self)
        try await receiver.run { shop in
            receiver.reply(.down, to: "result")
            _ = try await server.paidPaymentDirectly(merchant, resultURL: shop + "/result")
            #expect(try await server.dispatcher.drainOnce() == 1)
            receiver.reply(.ok, to: "result")
            server.clock.advance(by: 30 * 60)
            #expect(try await server.dispatcher.drainOnce() == 1)
        }
        let text = try await server.withRouter { client in
            try await client.executeRequest(uri: "/metrics", method: .get, headers: [:], body: nil).text
        }
        // Other tests in this process may count too, so compare with the figures before this scenario.
        #expect(count("retry", in: text) >= count("retry", in: before) + 1)
        #expect(count("delivered", in: text) >= count("delivered", in: before) + 1)
    }
}

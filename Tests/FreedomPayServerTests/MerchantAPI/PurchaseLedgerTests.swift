import Foundation
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import HummingbirdTesting
import Testing

/// Cleared amounts credit the merchant's ledger account; refunds and reversals debit it.
@Suite struct PurchaseLedgerTests {
    func balance(_ server: TestServer, _ merchant: Merchant) async throws -> Int64 {
        try await server.services.store.read { db in
            try await LedgerRepository().balance(of: .merchant(merchant.id, .kzt), in: db).postedMinor
        }
    }

    func call(_ client: some TestClientProtocol, _ path: String, _ merchant: Merchant, _ fields: [(String, String)]) async throws -> [PGParameter] {
        try await client.merchantAPI(path, fields.map { PGParameter($0.0, $0.1) }, as: merchant).xml
    }

    @Test func clearingCreditsAndRefundsDebitTheMerchant() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.withRouter { client in
            let (oneStep, _) = try await client.paidPayment(merchant, [("pg_amount", "100.50")])
            #expect(try await balance(server, merchant) == 10_050)
            let (twoStep, _) = try await client.paidPayment(merchant, [("pg_amount", "40"), ("pg_auto_clearing", "0")])
            #expect(try await balance(server, merchant) == 10_050)
            _ = try await call(client, "/do_capture.php", merchant, [("pg_payment_id", twoStep), ("pg_clearing_amount", "30")])
            #expect(try await balance(server, merchant) == 13_050)
            _ = try await call(client, "/revoke.php", merchant, [("pg_payment_id", oneStep), ("pg_refund_amount", "0.50")])
            #expect(try await balance(server, merchant) == 13_000)
            let (declined, _) = try await client.paidPayment(merchant, card: TestCard.declined)
            #expect(try await server.payment(declined, of: merchant)?.status == .failed)
            #expect(try await balance(server, merchant) == 13_000)
        }
        let audit = try await server.services.store.read { db in try await LedgerAudit().violations(in: db) }
        #expect(audit == [])
        await server.cleanUp()
    }

    @Test func refundTheMerchantBalanceCannotCoverIsRefusedAndChangesNothing() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.withRouter { client in
            let (id, _) = try await client.paidPayment(merchant, [("pg_amount", "100")])
            try await server.services.store.write { db in
                try await LedgerRepository().post(.transfer(
                    id: "drain", kind: "test.payout", amountMinor: 9_000, from: .merchant(merchant.id, .kzt), to: .external(.kzt)), in: db)
            }
            let refused = try await call(client, "/revoke.php", merchant, [("pg_payment_id", id)])
            #expect(refused.value("pg_error_code") == "4006")
            #expect(try await server.payment(id, of: merchant)?.machine.refundedMinor == 0)
            #expect(try await balance(server, merchant) == 1_000)
        }
        await server.cleanUp()
    }

    @Test func rejectedResultNotifyReturnsTheMoney() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        let receiver = MerchantReceiver(secret: merchant.paymentSecret)
        receiver.reply(.rejected("No stock"), to: "result")
        try await receiver.run { shop in
            _ = try await server.paidPaymentDirectly(merchant, resultURL: shop + "/result")
            #expect(try await balance(server, merchant) == 150_000)
            #expect(try await server.dispatcher.drainOnce() == 1)
            #expect(try await balance(server, merchant) == 0)
        }
        await server.cleanUp()
    }
}

@Suite struct PurchaseSweeperTests {
    /// Nobody reads the payments: the sweeper still clears the held one after 5 days (crediting the merchant)
    /// and expires the unpaid one (with a failure Result notify).
    @Test func sweeperAppliesTimeRulesWithoutAnyRead() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        let (held, unpaid) = try await server.withRouter { client in
            let (held, _) = try await client.paidPayment(merchant, [("pg_auto_clearing", "0"), ("pg_amount", "70")])
            let unpaid = try await client.initPayment(merchant, [("pg_lifetime", "300"), ("pg_result_url", "http://127.0.0.1:9/result")])
            return (held, try #require(unpaid.xml.value("pg_payment_id")))
        }
        let sweeper = PurchaseSweeper(services: server.services)
        #expect(try await sweeper.sweepOnce() == 0)
        server.clock.advance(by: 5 * 24 * 3600)
        #expect(try await sweeper.sweepOnce() == 2)
        #expect(try await server.payment(held, of: merchant)?.status == .captured)
        #expect(try await server.payment(unpaid, of: merchant)?.status == .incomplete)
        #expect(try await server.resultCallbacks(unpaid).first?.callback.parameters.value("pg_result") == "0")
        let balance = try await server.services.store.read { db in
            try await LedgerRepository().balance(of: .merchant(merchant.id, .kzt), in: db).postedMinor
        }
        #expect(balance == 7_000)
        #expect(try await sweeper.sweepOnce() == 0)
        await server.cleanUp()
    }
}

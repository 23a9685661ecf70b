import Foundation
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import HummingbirdTesting
import Testing

/// reg2reg against the ledger: fees, the payout test cards (§6.2), delayed outcomes, idempotency, scoping.
@Suite struct PayoutFlowTests {
    static func render(_ minor: Int64) -> String { PGAmount.render(minor) }

    @Test func successDebitsAmountPlusFeeAndQueuesASignedNotify() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.fund(merchant, minor: 1_000_000)
        try await server.withRouter { client in
            let token = try await client.payoutToken(merchant)
            let answer = try await client.reg2reg(merchant, token: token, order: "PO-1", amount: "2500", timeLimit: server.tomorrow)
            #expect(answer.value("pg_status") == "ok" && answer.value("pg_error_code") == "0")
            #expect(answer.value("pg_payment_amount") == "2500" && answer.value("pg_to_pay") == Self.render(252_500))
            #expect(answer.value("pg_balance") == Self.render(747_500))
            #expect(answer.value("pg_card_hash") == "4671-59XX-XXXX-8252" && answer.value("pg_card_token") == token)
            #expect(answer.value("pg_payment_date")?.contains("T") == true)
            #expect(try await server.payoutBalance(merchant) == 747_500)
            let fees = try await server.services.store.read { db in try await LedgerRepository().balance(of: .fees(.kzt), in: db) }
            #expect(fees.postedMinor == 2_500)
            let id = try #require(answer.value("pg_payment_id"))
            let notify = try #require(try await server.payoutCallbacks(id).first)
            #expect(notify.callback.secret == .payout && notify.callback.method == .xml)
            #expect(notify.callback.parameters.value("pg_status") == "ok" && notify.callback.parameters.value("pg_to_pay") == Self.render(252_500))
            let status = try await client.payoutAPI("/api/payment_status2", [("pg_order_id", "PO-1")], as: merchant)
            #expect(status.value("pg_payment_status") == "success" && status.value("pg_payment_id") == id)
        }
    }

    @Test(arguments: [(PayoutCard.serviceUnavailable, "10000"), (PayoutCard.contactIssuer, "10001")])
    func decliningCardsFailAndMoveNothing(_ card: String, _ code: String) async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.fund(merchant, minor: 1_000_000)
        try await server.withRouter { client in
            let token = try await client.payoutToken(merchant, card: card)
            let answer = try await client.reg2reg(merchant, token: token, order: "D-1", timeLimit: server.tomorrow)
            #expect(answer.value("pg_status") == "error" && answer.value("pg_error_code") == code)
            let id = try #require(answer.value("pg_payment_id"))
            #expect(try await server.payoutBalance(merchant) == 1_000_000)
            let status = try await client.payoutAPI("/api/payment_status2", [("pg_order_id", "D-1")], as: merchant)
            #expect(status.value("pg_payment_status") == "error" && status.value("pg_error_code") == code)
            #expect(try await server.payoutCallbacks(id).first?.callback.parameters.value("pg_status") == "error")
        }
    }

    @Test func insufficientBalanceAnswers8888AndLeavesTheOrderFree() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.fund(merchant, minor: 250_000)
        try await server.withRouter { client in
            let token = try await client.payoutToken(merchant)
            let refused = try await client.reg2reg(merchant, token: token, order: "I-1", amount: "2500", timeLimit: server.tomorrow)
            #expect(refused.value("pg_error_code") == "8888" && refused.value("pg_payment_id") == nil)
            #expect(try await server.payoutBalance(merchant) == 250_000)
            let status = try await client.payoutAPI("/api/payment_status2", [("pg_order_id", "I-1")], as: merchant)
            #expect(status.value("pg_error_code") == "11068")
            try await server.fund(merchant, minor: 2_500)
            let paid = try await client.reg2reg(merchant, token: token, order: "I-1", amount: "2500", timeLimit: server.tomorrow)
            #expect(paid.value("pg_status") == "ok")
            #expect(try await server.payoutBalance(merchant) == 0)

            let testCard = try await client.payoutToken(merchant, card: PayoutCard.insufficient)
            try await server.fund(merchant, minor: 1_000_000)
            let documented = try await client.reg2reg(merchant, token: testCard, order: "I-2", amount: "10", timeLimit: server.tomorrow)
            #expect(documented.value("pg_error_code") == "8888")
            #expect(try await server.payoutBalance(merchant) == 1_000_000)
        }
    }

    @Test(arguments: [(PayoutCard.processThenSuccess, "success", Int64(747_500)), (PayoutCard.processThenError, "error", Int64(1_000_000))])
    func processThenFinalAfterTheDelay(_ card: String, _ final: String, _ balanceAfter: Int64) async throws {
        let server = try await TestServer.make { $0.payoutProcessingDelaySeconds = 60 }
        let merchant = try await server.createMerchant()
        try await server.fund(merchant, minor: 1_000_000)
        try await server.withRouter { client in
            let token = try await client.payoutToken(merchant, card: card)
            let answer = try await client.reg2reg(merchant, token: token, order: "P-1", timeLimit: server.tomorrow)
            #expect(answer.value("pg_status") == "ok" && answer.value("pg_payment_status") == "process")
            let id = try #require(answer.value("pg_payment_id"))
            #expect(try await server.payoutBalance(merchant) == 747_500)
            #expect(try await server.payoutSweeper.sweepOnce() == 0)
            #expect(try await server.payoutCallbacks(id).isEmpty)
            let pending = try await client.payoutAPI("/get_status2.php", [("pg_order_id", "P-1")], as: merchant)
            #expect(pending.value("pg_transaction_status") == "pending")
            server.clock.advance(by: 61)
            #expect(try await server.payoutSweeper.sweepOnce() == 1)
            let status = try await client.payoutAPI("/api/payment_status2", [("pg_order_id", "P-1"), ("pg_payment_id", id)], as: merchant)
            #expect(status.value("pg_payment_status") == final)
            #expect(try await server.payoutBalance(merchant) == balanceAfter)
            let notify = try #require(try await server.payoutCallbacks(id).first)
            #expect(notify.callback.parameters.value("pg_status") == (final == "success" ? "ok" : "error"))
            #expect(notify.callback.parameters.value("pg_balance") == Self.render(balanceAfter))
            if final == "error" { #expect(notify.callback.parameters.value("pg_error_code") == "10001") }
            let v1 = try await client.payoutAPI("/api/payment_status", [("pg_payment_id", id)], as: merchant)
            #expect(v1.value("pg_payment_status") == (final == "success" ? "ok" : "failed"))
        }
    }

    @Test func sameOrderIsPaidOnceAndADifferentRequestIs9991() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.fund(merchant, minor: 1_000_000)
        try await server.withRouter { client in
            let token = try await client.payoutToken(merchant)
            let limit = server.tomorrow
            let first = try await client.reg2reg(merchant, token: token, order: "ID-1", timeLimit: limit)
            let again = try await client.reg2reg(merchant, token: token, order: "ID-1", timeLimit: limit)
            #expect(again.value("pg_payment_id") == first.value("pg_payment_id") && again.value("pg_balance") == first.value("pg_balance"))
            let changed = try await client.reg2reg(merchant, token: token, order: "ID-1", amount: "3000", timeLimit: limit)
            #expect(changed.value("pg_error_code") == "9991")
            #expect(try await server.payoutBalance(merchant) == 747_500)
            #expect(try await server.payoutCallbacks(try #require(first.value("pg_payment_id"))).count == 1)
        }
    }

    @Test func anotherMerchantsPayoutReadsAsNotFound() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        let other = try await server.createMerchant()
        try await server.fund(merchant, minor: 1_000_000)
        try await server.withRouter { client in
            let token = try await client.payoutToken(merchant)
            let paid = try await client.reg2reg(merchant, token: token, order: "S-1", timeLimit: server.tomorrow)
            let id = try #require(paid.value("pg_payment_id"))
            #expect(try await client.payoutAPI("/api/payment_status2", [("pg_order_id", "S-1")], as: other).value("pg_error_code") == "11068")
            #expect(try await client.payoutAPI("/api/payment_status", [("pg_payment_id", id)], as: other).value("pg_error_code") == "11068")
            #expect(try await client.payoutAPI("/get_status2.php", [("pg_order_id", "S-1")], as: other).value("pg_error_code") == "11068")
            #expect(try await client.payoutAPI("/api/payment_status2", [("pg_order_id", "S-2"), ("pg_payment_id", id)], as: merchant)
                .value("pg_error_code") == "11068")
            #expect(try await client.payoutAPI("/api/balance_status", [("pg_currency", "KZT")], as: other).value("pg_balance") == "0")
            let list = try await client.payoutAPI("/v1/merchant/\(other.id.rawValue)/cardstoragepayout/list", [("pg_user_id", "user_42")], as: other)
            #expect(list.filter { $0.name == "card" }.isEmpty)
            let removed = try await client.payoutAPI("/v1/merchant/\(other.id.rawValue)/cardstoragepayout/remove",
                                                     [("pg_user_id", "user_42"), ("pg_card_token", token)], as: other)
            #expect(removed.value("pg_error_code") == "1999")
            #expect(try await client.payoutAPI("/api/payment_status", [], as: merchant).value("pg_error_code") == "200")
        }
    }

    @Test func fiftyConcurrentPayoutsAgainstABalanceForTwenty() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.fund(merchant, minor: 20 * 10_100)
        try await server.withRouter { client in
            let token = try await client.payoutToken(merchant)
            let limit = server.tomorrow
            let codes = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let answer = try await client.reg2reg(merchant, token: token, order: "C-\(index)", amount: "100", timeLimit: limit)
                        return answer.value("pg_status") == "ok" ? "ok" : (answer.value("pg_error_code") ?? "?")
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(codes.filter { $0 == "ok" }.count == 20)
            #expect(codes.filter { $0 == "8888" }.count == 30)
            #expect(try await server.payoutBalance(merchant) == 0)

            try await server.fund(merchant, minor: 10_100)
            let racing = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await client.reg2reg(merchant, token: token, order: "R-1", amount: "100", timeLimit: limit).value("pg_payment_id") }
                }
                return try await group.reduce(into: Set<String?>()) { $0.insert($1) }
            }
            #expect(racing.count == 1 && racing.first! != nil)
            #expect(try await server.payoutBalance(merchant) == 0)
        }
    }

    @Test func balanceStatusAndSandboxFund() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.withRouter { client in
            let funded = try await client.payoutAPI("/api/sandbox/fund", [("pg_amount", "150000.50")], as: merchant)
            #expect(funded.value("pg_balance") == "150000.5" || funded.value("pg_balance") == "150000.50")
            let balance = try await client.payoutAPI("/api/balance_status", [("pg_currency", "KZT")], as: merchant)
            #expect(balance.value("pg_status") == "ok" && balance.value("pg_currency") == "KZT" && balance.value("pg_balance") == funded.value("pg_balance"))
            #expect(try await client.payoutAPI("/api/sandbox/fund", [("pg_amount", "0")], as: merchant).value("pg_error_code") == "200")
            #expect(try await client.payoutAPI("/api/balance_status", [("pg_currency", "XXX")], as: merchant).value("pg_error_code") == "200")
        }
        #expect(try await server.payoutBalance(merchant) == 15_000_050)
        let production = try await TestServer.make(sandbox: false)
        let shop = try await production.createMerchant()
        try await production.withRouter { client in
            let refused = try await client.merchantAPI("/api/sandbox/fund", [PGParameter("pg_amount", "10")], as: shop, secret: .payout)
            #expect(refused.xml.value("pg_error_code") == "9994")
        }
        #expect(try await production.payoutBalance(shop) == 0)
    }
}

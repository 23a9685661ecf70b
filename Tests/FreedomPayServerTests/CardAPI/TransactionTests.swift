import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

/// Card transactions over HTTP: debit holds, clearing, refunds, credits, cancel, info, request/status,
/// and every refusal leaving the ledger unchanged.
@Suite struct TransactionTests {
    static func create(_ card: String, _ type: String, _ amount: String, order: String = CardBodies.uuid(), requestID: String = CardBodies.uuid()) -> String {
        #"{"request_id":"\#(requestID)","order_id":"\#(order)","card_id":"\#(card)","type":"\#(type)","amount":\#(amount),"currency":"KZT"}"#
    }

    static func step(_ transaction: String, order: String, amount: String? = nil, requestID: String = CardBodies.uuid()) -> String {
        let amountField = amount.map { #","amount":\#($0)"# } ?? ""
        return #"{"request_id":"\#(requestID)","order_id":"\#(order)","transaction_id":"\#(transaction)"\#(amountField)}"#
    }

    static func balance(_ card: String, _ server: TestServer) async throws -> AccountBalance {
        try await server.services.store.read { db in try await LedgerRepository().balance(of: .card(card, .kzt), in: db) }
    }

    static func auditIsClean(_ server: TestServer) async throws -> Bool {
        try await server.services.store.read { db in try await LedgerAudit().violations(in: db) }.isEmpty
    }

    @Test func creditDebitClearRefundMoveTheLedgerAndReportThroughRequestStatus() async throws {
        try await withCardServer { server, owner, _, client in
            let (_, card) = try await client.issueCard(as: owner)
            let credit = try await client.cardAPI("/v5/card-api/transaction/create", Self.create(card, "credit", "5000"), as: owner)
            #expect(credit.json["status"] as? String == "ok", "\(credit.text)")
            #expect(try await Self.balance(card, server).postedMinor == 500_000)

            let order = "ORD-1001", requestID = CardBodies.uuid()
            let debit = try await client.cardAPI(
                "/v5/card-api/transaction/create", Self.create(card, "debit", "1000.50", order: order, requestID: requestID), as: owner)
            let transaction = try #require(debit.json["transaction_id"] as? String, "\(debit.text)")
            var balance = try await Self.balance(card, server)
            #expect(balance.heldMinor == 100_050)
            #expect(balance.availableMinor == 399_950)

            let status = try await client.cardAPI("/v5/card-api/request/status", #"{"request_id":"\#(requestID)"}"#, as: owner)
            #expect(status.json["transaction_id"] as? String == transaction)
            #expect((status.json["fin_document_id"] as? String)?.hasPrefix("FD-") == true)
            #expect(status.json["cards"] == nil, "a transaction request answers the transaction shape only")

            let clearing = try await client.cardAPI("/v5/card-api/transaction/clearing", Self.step(transaction, order: order, amount: "800"), as: owner)
            #expect(clearing.json["status"] as? String == "ok", "\(clearing.text)")
            balance = try await Self.balance(card, server)
            #expect(balance.heldMinor == 0, "the rest of the hold is released")
            #expect(balance.postedMinor == 420_000)

            try await client.expectError(
                "/v5/card-api/transaction/refund", Self.step(transaction, order: order, amount: "800.01"), as: owner, code: "amount_exceeds_allowed")
            let partial = try await client.cardAPI("/v5/card-api/transaction/refund", Self.step(transaction, order: order, amount: "300"), as: owner)
            #expect(partial.json["status"] as? String == "ok")
            let rest = try await client.cardAPI("/v5/card-api/transaction/refund", Self.step(transaction, order: order), as: owner)
            #expect(rest.json["status"] as? String == "ok")
            try await client.expectError(
                "/v5/card-api/transaction/refund", Self.step(transaction, order: order, amount: "1"), as: owner, code: "invalid_card_state")
            #expect(try await Self.balance(card, server).postedMinor == 500_000)

            let info = try await client.cardAPI("/v5/card-api/transaction/info", #"{"order_id":"\#(order)"}"#, as: owner)
            #expect(info.json["transaction_status"] as? String == "refunded")
            #expect(info.json["clearing_amount"] as? Double == 800)
            #expect(info.json["refund_amount"] as? Double == 800)
            #expect(try await Self.auditIsClean(server))
        }
    }

    @Test func cancelReleasesTheHoldAndClearingItAfterwardsIsRefused() async throws {
        try await withCardServer { server, owner, _, client in
            let (_, card) = try await client.issueCard(as: owner)
            _ = try await client.cardAPI("/v5/card-api/transaction/create", Self.create(card, "credit", "100"), as: owner)
            let debit = try await client.cardAPI("/v5/card-api/transaction/create", Self.create(card, "debit", "60", order: "o-1"), as: owner)
            let transaction = try #require(debit.json["transaction_id"] as? String)
            let cancel = try await client.cardAPI("/v5/card-api/transaction/cancel", Self.step(transaction, order: "o-1"), as: owner)
            #expect(cancel.json["status"] as? String == "ok")
            #expect(try await Self.balance(card, server).availableMinor == 10_000)
            try await client.expectError("/v5/card-api/transaction/clearing", Self.step(transaction, order: "o-1"), as: owner, code: "invalid_card_state")
        }
    }

    @Test func refusalsLeaveTheLedgerUnchanged() async throws {
        try await withCardServer { server, owner, stranger, client in
            let (_, card) = try await client.issueCard(as: owner)
            _ = try await client.cardAPI("/v5/card-api/transaction/create", Self.create(card, "credit", "100"), as: owner)
            let before = try await Self.balance(card, server)
            let create = "/v5/card-api/transaction/create"
            try await client.expectError(create, Self.create(card, "debit", "100.01"), as: owner, code: "insufficient_funds")
            for amount in ["-5", "1.005", #""abc""#, "100000000", "0"] {
                try await client.expectError(create, Self.create(card, "debit", amount), as: owner, code: "validation_error", mentioning: "amount")
            }
            try await client.expectError(create, Self.create(card, "refund", "1"), as: owner, code: "validation_error", mentioning: "type")
            try await client.expectError(create, Self.create("no-such-card", "debit", "1"), as: owner, code: "card_not_found")
            try await client.expectError(create, Self.create(card, "debit", "1"), as: stranger, code: "card_not_found")
            try await client.expectError(
                "/v5/card-api/transaction/clearing", Self.step("999999", order: "x"), as: owner, code: "transaction_not_found")

            let debit = try await client.cardAPI(create, Self.create(card, "debit", "10", order: "o-2"), as: owner)
            let transaction = try #require(debit.json["transaction_id"] as? String)
            try await client.expectError("/v5/card-api/transaction/clearing", Self.step(transaction, order: "o-2"), as: stranger, code: "transaction_not_found")
            try await client.expectError("/v5/card-api/transaction/clearing", Self.step(transaction, order: "wrong-order"), as: owner, code: "transaction_not_found")
            _ = try await client.cardAPI("/v5/card-api/transaction/clearing", Self.step(transaction, order: "o-2"), as: owner)
            try await client.expectError("/v5/card-api/transaction/clearing", Self.step(transaction, order: "o-2"), as: owner, code: "invalid_card_state")
            try await client.expectError(create, Self.create(card, "debit", "1", order: "o-2"), as: owner, code: "validation_error", mentioning: "order_id")

            let after = try await Self.balance(card, server)
            #expect(after.postedMinor == before.postedMinor - 1_000, "only the one cleared debit moved money")
            #expect(after.heldMinor == 0)
            #expect(try await Self.auditIsClean(server))
        }
    }

    @Test func blockedAndClosedCardsRefuseDebits() async throws {
        try await withCardServer { server, owner, _, client in
            let (_, card) = try await client.issueCard(as: owner)
            _ = try await client.cardAPI("/v5/card-api/transaction/create", Self.create(card, "credit", "100"), as: owner)
            _ = try await client.cardAPI("/v5/card-api/card/block", CardBodies.action(card), as: owner)
            try await client.expectError("/v5/card-api/transaction/create", Self.create(card, "debit", "1"), as: owner, code: "invalid_card_state")
            let topUp = try await client.cardAPI("/v5/card-api/transaction/create", Self.create(card, "credit", "1"), as: owner)
            #expect(topUp.json["status"] as? String == "ok", "a blocked card can still be credited")
            _ = try await client.cardAPI("/v5/card-api/card/close", CardBodies.action(card), as: owner)
            try await client.expectError("/v5/card-api/transaction/create", Self.create(card, "debit", "1"), as: owner, code: "invalid_card_state")
            try await client.expectError("/v5/card-api/transaction/create", Self.create(card, "credit", "1"), as: owner, code: "invalid_card_state")
            #expect(try await Self.balance(card, server).postedMinor == 10_100)
        }
    }

    @Test func aDebitAboveALimitIsRefused() async throws {
        try await withCardServer { server, owner, _, client in
            let (_, card) = try await client.issueCard(as: owner)
            _ = try await client.cardAPI("/v5/card-api/transaction/create", Self.create(card, "credit", "10000"), as: owner)
            let limit = #"{"request_id":"\#(CardBodies.uuid())","object":{"type":"card","value":"\#(card)"},"limits":[{"transaction_type":"pay","period":"day","amount":[{"type":"max","value":"500","currency":"KZT"}]}]}"#
            let set = try await client.cardAPI("/v5/card-api/limits/set", limit, as: owner)
            #expect(set.json["status"] as? String == "ok", "\(set.text)")
            let first = try await client.cardAPI("/v5/card-api/transaction/create", Self.create(card, "debit", "400"), as: owner)
            #expect(first.json["status"] as? String == "ok")
            try await client.expectError("/v5/card-api/transaction/create", Self.create(card, "debit", "100.01"), as: owner, code: "limit_exceeded")
            let fits = try await client.cardAPI("/v5/card-api/transaction/create", Self.create(card, "debit", "100"), as: owner)
            #expect(fits.json["status"] as? String == "ok")
            #expect(try await Self.balance(card, server).heldMinor == 50_000)
        }
    }

    /// A debit retried under a new request id after the first went through names the reused order id, not the
    /// refusal the retry would otherwise meet (funds, limit, card state); nothing moves.
    @Test func aReusedOrderIDIsNamedBeforeAnyOtherRefusal() async throws {
        try await withCardServer { server, owner, _, client in
            let (_, card) = try await client.issueCard(as: owner)
            let create = "/v5/card-api/transaction/create"
            _ = try await client.cardAPI(create, Self.create(card, "credit", "100"), as: owner)
            _ = try await client.cardAPI(create, Self.create(card, "debit", "60", order: "pay-1"), as: owner)
            let held = try await Self.balance(card, server)
            try await client.expectError(create, Self.create(card, "debit", "60", order: "pay-1"), as: owner, code: "validation_error", mentioning: "order_id")
            let limit = #"{"request_id":"\#(CardBodies.uuid())","object":{"type":"card","value":"\#(card)"},"limits":[{"transaction_type":"pay","period":"day","amount":[{"type":"max","value":"70","currency":"KZT"}]}]}"#
            _ = try await client.cardAPI("/v5/card-api/limits/set", limit, as: owner)
            try await client.expectError(create, Self.create(card, "debit", "20", order: "pay-1"), as: owner, code: "validation_error", mentioning: "order_id")
            try await client.expectError(create, Self.create(card, "debit", "20"), as: owner, code: "limit_exceeded")
            _ = try await client.cardAPI("/v5/card-api/card/block", CardBodies.action(card), as: owner)
            try await client.expectError(create, Self.create(card, "debit", "1", order: "pay-1"), as: owner, code: "validation_error", mentioning: "order_id")
            try await client.expectError(create, Self.create(card, "debit", "1"), as: owner, code: "invalid_card_state")
            #expect(try await Self.balance(card, server) == held)
            #expect(try await Self.auditIsClean(server))
        }
    }

    @Test func aRetriedRequestIDExecutesOnce() async throws {
        try await withCardServer { server, owner, _, client in
            let (_, card) = try await client.issueCard(as: owner)
            let body = Self.create(card, "credit", "10", requestID: "retry-1")
            let first = try await client.cardAPI("/v5/card-api/transaction/create", body, as: owner)
            let again = try await client.cardAPI("/v5/card-api/transaction/create", body, as: owner)
            #expect(first.text == again.text, "an identical retry replays the first answer")
            try await client.expectError(
                "/v5/card-api/transaction/create", Self.create(card, "credit", "11", requestID: "retry-1"), as: owner, code: "duplicate_request_id")
            #expect(try await Self.balance(card, server).postedMinor == 1_000)
        }
    }
}

/// A debit asked in another currency converts at the partner's rate in force; the statement shows it.
@Suite struct TransactionCurrencyTests {
    @Test func aForeignCurrencyDebitConvertsAtTheRateInForce() async throws {
        try await withCardServer { server, owner, stranger, client in
            let (_, card) = try await client.issueCard(as: owner)
            _ = try await client.cardAPI("/v5/card-api/transaction/create", TransactionTests.create(card, "credit", "10000"), as: owner)
            let noRate = #"{"request_id":"\#(CardBodies.uuid())","order_id":"fx-0","card_id":"\#(card)","type":"debit","amount":10,"currency":"USD"}"#
            try await client.expectError("/v5/card-api/transaction/create", noRate, as: owner, code: "validation_error", mentioning: "rate")

            let rates = try await client.partnerAPI("/v5/partner/rates/add", #"{"rates":[{"currency_from":"USD","currency_to":"KZT","rate":441.507}]}"#, as: owner)
            #expect(rates.json["status"] as? String == "ok", "\(rates.text)")
            let strangerRates = try await client.partnerAPI("/v5/partner/rates/add", #"{"rates":[{"currency_from":"EUR","currency_to":"KZT","rate":500}]}"#, as: stranger)
            #expect(strangerRates.json["status"] as? String == "ok")

            let debit = #"{"request_id":"\#(CardBodies.uuid())","order_id":"fx-1","card_id":"\#(card)","type":"debit","amount":10.01,"currency":"USD"}"#
            let created = try await client.cardAPI("/v5/card-api/transaction/create", debit, as: owner)
            let transaction = try #require(created.json["transaction_id"] as? String, "\(created.text)")
            let balance = try await TransactionTests.balance(card, server)
            #expect(balance.heldMinor == 441_949, "10.01 × 441.507 = 4419.48507 KZT, rounded to the tiyn: 4419.49")
            let info = try await client.cardAPI("/v5/card-api/transaction/info", #"{"transaction_id":"\#(transaction)"}"#, as: owner)
            #expect(info.json["original_currency"] as? String == "USD")
            #expect(info.json["currency"] as? String == "KZT")

            let eur = #"{"request_id":"\#(CardBodies.uuid())","order_id":"fx-2","card_id":"\#(card)","type":"debit","amount":1,"currency":"EUR"}"#
            try await client.expectError("/v5/card-api/transaction/create", eur, as: owner, code: "validation_error", mentioning: "rate")

            let now = Date()
            let body = #"{"card_id":"\#(card)","start_date":"\#(WireDate.rfc3339(now.addingTimeInterval(-3600)))","end_date":"\#(WireDate.rfc3339(now.addingTimeInterval(3600)))"}"#
            let statement = try await client.cardAPI("/v5/card-api/card/statement_extended", body, as: owner)
            let authorization = (statement.json["authorizations"] as? [[String: Any]])?.first
            let parameters = (authorization?["additional_parameters"] as? [[String: String]]) ?? []
            #expect(parameters.contains(["name": "original_amount", "value": "10.01"]))
            #expect(parameters.contains(["name": "original_currency", "value": "USD"]))
            #expect(parameters.contains(["name": "rate", "value": "441.507"]))
        }
    }
}

extension TransactionTests {
    /// Transaction ids start with their creation time in milliseconds (so the id indexes grow at the end) and
    /// stay unique: 18 digits, later transactions sort after earlier ones.
    @Test func transactionIDsAreTimeOrderedAndUnique() async throws {
        try await withCardServer { server, owner, _, client in
            let (_, card) = try await client.issueCard(as: owner)
            var ids: [String] = []
            for _ in 0..<5 {
                let before = Int64((server.clock.now().timeIntervalSince1970 * 1000).rounded(.down))
                let credit = try await client.cardAPI("/v5/card-api/transaction/create", Self.create(card, "credit", "1"), as: owner)
                let id = try #require(credit.json["transaction_id"] as? String, "\(credit.text)")
                #expect(id.count == 18 && id.allSatisfy(\.isNumber), "\(id)")
                #expect(Int64(id.prefix(13))! >= before, "\(id) starts with the creation time")
                ids.append(id)
                server.clock.advance(by: 0.002)
            }
            #expect(ids == ids.sorted() && Set(ids).count == ids.count)
        }
    }
}

import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

/// Statements come from the same ledger as the balance: lines, holds and totals must agree.
@Suite struct StatementTests {
    @Test func statementAndExtendedStatementAgreeWithTheBalance() async throws {
        try await withCardServer { server, owner, stranger, client in
            let (clientID, card) = try await client.issueCard(as: owner)
            let create = "/v5/card-api/transaction/create"
            _ = try await client.cardAPI(create, TransactionTests.create(card, "credit", "1000"), as: owner)
            let debit = try await client.cardAPI(create, TransactionTests.create(card, "debit", "250.25", order: "o-1"), as: owner)
            let transaction = try #require(debit.json["transaction_id"] as? String)
            _ = try await client.cardAPI("/v5/card-api/transaction/clearing", TransactionTests.step(transaction, order: "o-1"), as: owner)
            _ = try await client.cardAPI(create, TransactionTests.create(card, "debit", "100", order: "o-2"), as: owner)

            let statement = try await client.cardAPI("/v5/card-api/card/statement", #"{"card_id":"\#(card)"}"#, as: owner)
            let operations = try #require(statement.json["operations"] as? [[String: Any]], "\(statement.text)")
            #expect(operations.map { $0["type"] as? String } == ["credit", "pay"])
            #expect(operations.map { $0["amount"] as? Double } == [1000, 250.25])
            #expect(operations.allSatisfy { ($0["rrn"] as? String)?.count == 12 })

            let now = Date()
            let body = #"{"card_id":"\#(card)","start_date":"\#(WireDate.rfc3339(now.addingTimeInterval(-3600)))","end_date":"\#(WireDate.rfc3339(now.addingTimeInterval(3600)))"}"#
            let extended = try await client.cardAPI("/v5/card-api/card/statement_extended", body, as: owner)
            #expect(extended.json["client_id"] as? String == clientID)
            let authorizations = extended.json["authorizations"] as? [[String: Any]] ?? []
            #expect(authorizations.map { $0["amount"] as? Double } == [100], "the uncleared debit is an authorisation")
            let accounts = (extended.json["balances"] as? [String: Any])?["accounts"] as? [[String: Any]] ?? []
            #expect(accounts.first?["amount"] as? Double == 649.75)
            #expect(accounts.first?["blocked_amount"] as? Double == 100)

            let balance = try await client.cardAPI("/v5/card-api/card/balance", #"{"card_id":"\#(card)"}"#, as: owner)
            let balanceAccounts = (balance.json["balances"] as? [String: Any])?["accounts"] as? [[String: Any]] ?? []
            #expect(balanceAccounts.first?["amount"] as? Double == accounts.first?["amount"] as? Double)

            try await client.expectError("/v5/card-api/card/statement_extended", #"{"card_id":"\#(card)"}"#, as: owner, code: "validation_error", mentioning: "start_date")
            try await client.expectError(
                "/v5/card-api/card/statement", #"{"card_id":"\#(card)","start_date":"2025-03-01T00:00:00Z","end_date":"2025-02-01T00:00:00Z"}"#,
                as: owner, code: "validation_error")
            try await client.expectError("/v5/card-api/card/statement", #"{"card_id":"\#(card)","start_date":"yesterday"}"#, as: owner, code: "validation_error")
            try await client.expectError("/v5/card-api/card/statement", #"{"card_id":"\#(card)"}"#, as: stranger, code: "card_not_found")
            let empty = try await client.cardAPI(
                "/v5/card-api/card/statement", #"{"card_id":"\#(card)","start_date":"2020-01-01T00:00:00Z","end_date":"2020-02-01T00:00:00Z"}"#, as: owner)
            #expect((empty.json["operations"] as? [Any])?.isEmpty == true)
        }
    }
}

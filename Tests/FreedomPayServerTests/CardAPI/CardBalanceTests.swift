import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

@Suite struct CardBalanceTests {
    /// Puts `amountMinor` KZT on the card from the outside world, as a top-up would.
    static func fund(_ card: String, amountMinor: Int64, server: TestServer) async throws {
        let ledger = LedgerRepository(clock: server.clock)
        try await server.services.store.write { db in
            try await ledger.post(Posting.transfer(
                id: CardBodies.uuid(), kind: "test.topup", amountMinor: amountMinor, from: .external(.kzt), to: .card(card, .kzt)), in: db)
        }
    }

    @Test func balanceReportsAvailableHeldAndTurnoversFromTheLedger() async throws {
        try await withCardServer { server, owner, _, client in
            let (_, card) = try await client.issueCard(as: owner)
            let empty = try await client.cardAPI("/v5/card-api/card/balance", CardBodies.json(CardRequest(cardID: card)), as: owner)
            let zero = try JSONDecoder().decode(CardBalanceResponse.self, from: Data(empty.text.utf8))
            #expect(zero.balances.accounts.first?.amount == 0)

            try await Self.fund(card, amountMinor: 150_050, server: server)
            let ledger = LedgerRepository(clock: server.clock)
            try await server.services.store.write { db in
                _ = try await ledger.placeHold(id: CardBodies.uuid(), account: .card(card, .kzt), amountMinor: 20_000, reference: nil, in: db)
                try await ledger.post(Posting.transfer(id: CardBodies.uuid(), kind: "test.pay", amountMinor: 50_000, from: .card(card, .kzt), to: .external(.kzt)), in: db)
            }
            let response = try await client.cardAPI("/v5/card-api/card/balance", CardBodies.json(CardRequest(cardID: card)), as: owner)
            #expect(response.text.contains(#""amount":800.5"#), "\(response.text)")
            let decoded = try JSONDecoder().decode(CardBalanceResponse.self, from: Data(response.text.utf8))
            let account = try #require(decoded.balances.accounts.first)
            #expect(account.currency == "KZT")
            #expect(account.amount == Decimal(string: "800.5"))
            #expect(account.blockedAmount == 200)
            #expect(account.credit == Decimal(string: "1500.5"))
            #expect(account.debit == 500)
            #expect(account.iban.hasPrefix("KZ") && account.iban.count == 20)
            #expect(Self.ibanChecksumIsValid(account.iban))

            _ = try await client.cardAPI("/v5/card-api/card/close", CardBodies.action(card), as: owner)
            let closed = try await client.cardAPI("/v5/card-api/card/balance", CardBodies.json(CardRequest(cardID: card)), as: owner)
            #expect(closed.json["status"] as? String == "ok", "a closed card's balance stays readable")

            try await client.expectError("/v5/card-api/card/balance", CardBodies.json(CardRequest(cardID: "99999999")), as: owner, code: "card_not_found")
            try await client.expectError("/v5/card-api/card/balance", "{}", as: owner, code: "validation_error", mentioning: "card_id")
        }
    }

    static func ibanChecksumIsValid(_ iban: String) -> Bool {
        let rearranged = iban.dropFirst(4) + iban.prefix(4)
        let digits = rearranged.map { $0.isLetter ? String(Int($0.asciiValue!) - 55) : String($0) }.joined()
        return digits.reduce(0) { ($0 * 10 + Int(String($1))!) % 97 } == 1
    }
}

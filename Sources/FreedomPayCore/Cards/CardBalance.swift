import Foundation

/// A card account's balance as `card/balance` reports it (card-api.md §3.11 `balances.accounts[]`, [inferred]
/// meanings): `available` = posted − held, `held` = active holds, `debitMinor`/`creditMinor` = all money
/// that ever left/entered the account.
public struct CardAccountBalance: Sendable, Equatable {
    public let iban: String
    public let balance: AccountBalance
    public let debitMinor: Int64
    public let creditMinor: Int64
}

extension CardService {
    /// The balance of the card's ledger account. Readable in every status, closed and expired included.
    public func balance(of id: CardID, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws -> CardAccountBalance {
        let card = try await card(id, partner: partner, now: now, in: db)
        guard let currency = Currency(code: card.currency) else { throw StoreError.decoding("card currency \(card.currency)") }
        let account = AccountKey.card(card.id.rawValue, currency)
        let balance = try await ledger.balance(of: account, in: db)
        let turnover = try await ledger.turnover(of: account, in: db)
        return CardAccountBalance(
            iban: Self.sandboxIBAN(cardID: card.id), balance: balance, debitMinor: turnover.debitedMinor, creditMinor: turnover.creditedMinor)
    }

    /// [inferred] A valid-checksum Kazakh-format IBAN for the card account: `KZkk` + bank `440` + the card id
    /// zero-padded to 13 digits (sandbox only; the real processor assigns its own).
    public static func sandboxIBAN(cardID: CardID) -> String {
        let account = "440" + String(repeating: "0", count: max(0, 13 - cardID.rawValue.count)) + cardID.rawValue
        // ISO 13616: move "KZ00" to the end, letters to numbers (K=20, Z=35), check = 98 − (number mod 97).
        let digits = account + "2035" + "00"
        let remainder = digits.reduce(0) { ($0 * 10 + Int(String($1))!) % 97 }
        let check = 98 - remainder
        return "KZ" + (check < 10 ? "0" : "") + String(check) + account
    }
}

import Crypto
import Foundation
import FreedomPayWire

/// One line of a card statement, from a ledger entry (posted) or an active hold (authorisation).
public struct CardStatementLine: Sendable, Equatable {
    /// `pay`, `credit`, `refund`, `withdrawal` (§2.8 [inferred] vocabulary).
    public let type: String
    /// Always positive; the type says the direction.
    public let amount: Money
    public let at: Date
    /// 12-digit retrieval reference number derived from the ledger id (stable across calls).
    public let rrn: String
    public let reference: String?
}

/// A card's statement over a period: posted entries and holds from the same ledger the balance reads,
/// so statement and balance can never disagree.
public struct CardStatement: Sendable {
    public let card: CardRecord
    public let operations: [CardStatementLine]
    public let authorizations: [CardStatementLine]
    public let balance: CardAccountBalance
    /// Currency conversions of the transactions behind the lines, by transaction id (reference).
    public let conversions: [String: CardTransaction.Conversion]
}

extension CardService {
    /// The statement of `id` for `from <= t < to`, `page` 1-based with `perPage` lines.
    public func statement(
        of id: CardID, partner: PartnerID, from: Date, to: Date, page: Int, perPage: Int, now: Date, in db: any SQLExecutor
    ) async throws -> CardStatement {
        guard from <= to else { throw CardRuleError.validation("field 'start_date' must not be after 'end_date'") }
        guard page >= 1, (1...1000).contains(perPage) else { throw CardRuleError.validation("page must be >= 1 and per_page 1..1000") }
        let balance = try await balance(of: id, partner: partner, now: now, in: db)
        let card = try await card(id, partner: partner, now: now, in: db)
        let account = balance.balance.account
        let entries = try await ledger.entries(of: account, from: from, to: to, limit: perPage, offset: (page - 1) * perPage, in: db)
        let operations = entries.map { entry in
            CardStatementLine(
                type: Self.operationType(kind: entry.kind, amountMinor: entry.amountMinor),
                amount: Money(minorUnits: abs(entry.amountMinor), currency: account.currency), at: entry.createdAt,
                rrn: Self.rrn(entry.postingID), reference: entry.reference)
        }
        let holds = try await db.query(
            """
            SELECT id, amount_minor, reference, created_at FROM ledger_holds
            WHERE account_key = ? AND status = 'active' AND created_at >= ? AND created_at < ? ORDER BY created_at, id
            """,
            [.text(account.storageKey), .integer(Int64(from.timeIntervalSince1970)), .integer(Int64(to.timeIntervalSince1970.rounded(.up)))])
        let authorizations = try holds.map { row in
            CardStatementLine(
                type: "pay", amount: Money(minorUnits: try row.int("amount_minor"), currency: account.currency),
                at: Date(timeIntervalSince1970: TimeInterval(try row.int("created_at"))), rrn: Self.rrn(try row.text("id")),
                reference: row.optionalText("reference"))
        }
        let references = Set((operations + authorizations).compactMap(\.reference))
        let conversions = try await TransactionRepository().conversions(of: references.sorted(), partner: partner, in: db)
        return CardStatement(card: card, operations: operations, authorizations: authorizations, balance: balance, conversions: conversions)
    }

    static func operationType(kind: String, amountMinor: Int64) -> String {
        switch kind {
        case "card.debit": return "pay"
        case "card.refund": return "refund"
        default: return amountMinor >= 0 ? "credit" : "withdrawal"
        }
    }

    /// A stable 12-digit RRN for a ledger id.
    static func rrn(_ id: String) -> String {
        let digest = SHA256.hash(data: Array(id.utf8))
        let number = digest.prefix(8).reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
        let text = String(number % 1_000_000_000_000)
        return String(repeating: "0", count: 12 - text.count) + text
    }
}

import Foundation

/// How much of a limit's period is used, as `limits/list` reports it: the target's debits since the period
/// start in the limit's currency, also what `CardDebitLimits` enforces with (held amount while created, cleared
/// amount after; canceled ones not at all).
public struct LimitUsage: Sendable {
    public init() {}

    public func usedMinor(of limit: CardLimit, on target: LimitTarget, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws -> Int64 {
        guard limit.transactionType == "pay" else { return 0 }  // the only type `transaction/create` debits count as
        let start = Int64(LimitPolicy.periodStart(of: limit.period, now: now).timeIntervalSince1970)
        let cards: String
        var binds: [SQLValue] = [.integer(partner.rawValue), .text(limit.currency), .integer(start)]
        switch target {
        case .card(let id), .account(let id):
            cards = "card_id = ?"
            binds.append(.text(id.rawValue))
        case .client(let id):
            cards = "card_id IN (SELECT card_id FROM payment_cards WHERE partner_id = ? AND client_id = ?)"
            binds += [.integer(partner.rawValue), .text(id.rawValue)]
        }
        let row = try await db.queryOne(
            """
            SELECT CAST(COALESCE(SUM(CASE WHEN status = 'created' THEN amount_minor ELSE cleared_minor END), 0) AS BIGINT) AS used_minor
            FROM card_transactions
            WHERE partner_id = ? AND kind = 'debit' AND status <> 'canceled' AND currency = ? AND created_at >= ? AND \(cards)
            """, binds)
        return try row?.int("used_minor") ?? 0
    }
}

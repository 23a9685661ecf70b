import Foundation

/// `card_limits` rows. Setting a limit replaces the one with the same type, region, period and currency.
public struct LimitRepository: Sendable {
    public init() {}

    public func upsert(_ limits: [CardLimit], on target: LimitTarget, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws {
        for limit in limits {
            let key: [SQLValue] = [
                .integer(partner.rawValue), .text(target.typeName), .text(target.value), .text(limit.transactionType),
                .text(limit.region), .text(limit.period), .text(limit.currency),
            ]
            try await db.execute(
                """
                DELETE FROM card_limits WHERE partner_id = ? AND object_type = ? AND object_value = ? AND transaction_type = ?
                    AND region = ? AND period = ? AND currency = ?
                """, key)
            try await db.execute(
                """
                INSERT INTO card_limits (partner_id, object_type, object_value, transaction_type, region, period, currency,
                    max_minor, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, key + [.integer(limit.maxMinor), .integer(Int64(now.timeIntervalSince1970))])
        }
    }

    public func limits(on target: LimitTarget, partner: PartnerID, in db: any SQLExecutor) async throws -> [CardLimit] {
        let rows = try await db.query(
            """
            SELECT transaction_type, region, period, currency, max_minor FROM card_limits
            WHERE partner_id = ? AND object_type = ? AND object_value = ?
            ORDER BY transaction_type, region, period, currency
            """,
            [.integer(partner.rawValue), .text(target.typeName), .text(target.value)])
        return try rows.map { row in
            CardLimit(
                transactionType: try row.text("transaction_type"), region: try row.text("region"), period: try row.text("period"),
                maxMinor: try row.int("max_minor"), currency: try row.text("currency"))
        }
    }
}

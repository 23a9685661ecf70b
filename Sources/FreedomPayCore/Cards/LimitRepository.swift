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

    /// The limits of each target, in the targets' order, read with one query.
    public func limits(on targets: [LimitTarget], partner: PartnerID, in db: any SQLExecutor) async throws -> [[CardLimit]] {
        guard !targets.isEmpty else { return [] }
        let condition = Array(repeating: "(object_type = ? AND object_value = ?)", count: targets.count).joined(separator: " OR ")
        let rows = try await db.query(
            """
            SELECT object_type, object_value, transaction_type, region, period, currency, max_minor FROM card_limits
            WHERE partner_id = ? AND (\(condition))
            ORDER BY transaction_type, region, period, currency
            """,
            [.integer(partner.rawValue)] + targets.flatMap { [SQLValue.text($0.typeName), .text($0.value)] })
        var found = Array(repeating: [CardLimit](), count: targets.count)
        for row in rows {
            let type = try row.text("object_type"), value = try row.text("object_value")
            guard let index = targets.firstIndex(where: { $0.typeName == type && $0.value == value }) else { continue }
            found[index].append(try Self.decode(row))
        }
        return found
    }

    public func limits(on target: LimitTarget, partner: PartnerID, in db: any SQLExecutor) async throws -> [CardLimit] {
        let rows = try await db.query(
            """
            SELECT transaction_type, region, period, currency, max_minor FROM card_limits
            WHERE partner_id = ? AND object_type = ? AND object_value = ?
            ORDER BY transaction_type, region, period, currency
            """,
            [.integer(partner.rawValue), .text(target.typeName), .text(target.value)])
        return try rows.map(Self.decode)
    }

    private static func decode(_ row: SQLRow) throws -> CardLimit {
        CardLimit(
            transactionType: try row.text("transaction_type"), region: try row.text("region"), period: try row.text("period"),
            maxMinor: try row.int("max_minor"), currency: try row.text("currency"))
    }
}

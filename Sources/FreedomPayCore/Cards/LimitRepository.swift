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
    ///
    /// One exact primary-key lookup per target, joined with UNION ALL and tagged with the target's position. An OR
    /// of (type, value) pairs made SQLite read every limit of the partner on every debit; two IN lists cost two
    /// temporary B-trees per call. The rows are sorted here, as the single-target query sorts them.
    public func limits(on targets: [LimitTarget], partner: PartnerID, in db: any SQLExecutor) async throws -> [[CardLimit]] {
        guard !targets.isEmpty else { return [] }
        let lookup = targets.indices.map { index in
            "SELECT \(index) AS target, transaction_type, region, period, currency, max_minor FROM card_limits "
                + "WHERE partner_id = ? AND object_type = ? AND object_value = ?"
        }
        var arguments: [SQLValue] = []
        for target in targets { arguments += [.integer(partner.rawValue), .text(target.typeName), .text(target.value)] }
        let rows = try await db.query(lookup.joined(separator: " UNION ALL "), arguments)
        var found = Array(repeating: [CardLimit](), count: targets.count)
        for row in rows {
            let index = Int(try row.int("target"))
            guard found.indices.contains(index) else { continue }
            found[index].append(try Self.decode(row))
        }
        return found.map { $0.sorted(by: Self.storedOrder) }
    }

    /// `ORDER BY transaction_type, region, period, currency` (byte order, as SQLite's BINARY collation).
    static func storedOrder(_ left: CardLimit, _ right: CardLimit) -> Bool {
        for (a, b) in [(left.transactionType, right.transactionType), (left.region, right.region), (left.period, right.period),
                       (left.currency, right.currency)] where a != b {
            return a.utf8.lexicographicallyPrecedes(b.utf8)
        }
        return false
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

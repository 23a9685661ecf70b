import Foundation

/// Each partner's rate book in `partner_rates`. Rows are never changed: a newer rate supersedes by its
/// sequence (`id`), so the history stays readable and the rule lives in `RateBook.inForce`.
public struct RateRepository: Sendable {
    public init() {}

    /// Stores a batch in order (later in the batch = received later).
    public func add(_ rates: [NewRate], partner: PartnerID, receivedAt: Date, in db: any SQLExecutor) async throws {
        for rate in rates {
            try await db.execute(
                """
                INSERT INTO partner_rates (partner_id, currency_from, currency_to, rate_type, operation, rate, start_at, end_at, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [.integer(partner.rawValue), .text(rate.key.from), .text(rate.key.to), .text(rate.key.type), .text(rate.key.operation),
                 .text("\(rate.value)"), .integer(seconds(rate.startsAt)), SQLValue(rate.endsAt.map(seconds)),
                 .integer(seconds(receivedAt))])
        }
    }

    /// The rate in force for one key at `moment`, for conversion by any API (nil = none in force).
    public func rateInForce(
        partner: PartnerID, from: String, to: String, type: String? = nil, operation: String? = nil, at moment: Date,
        in db: any SQLExecutor
    ) async throws -> Rate? {
        let key = RateKey(from: from, to: to, type: type, operation: operation)
        let rows = try await db.query(
            """
            SELECT * FROM partner_rates
            WHERE partner_id = ? AND currency_from = ? AND currency_to = ? AND rate_type = ? AND operation = ? AND start_at <= ?
              AND (end_at IS NULL OR end_at > start_at)
            ORDER BY id DESC LIMIT 1
            """,
            [.integer(partner.rawValue), .text(key.from), .text(key.to), .text(key.type), .text(key.operation), .integer(seconds(moment))])
        return RateBook.inForce(try rows.map(decode), key: key, at: moment)
    }

    /// Every rate in force at `moment`, one per key, filtered by the non-nil arguments; ordered by key.
    public func ratesInForce(
        partner: PartnerID, from: String?, to: String?, type: String?, operation: String?, at moment: Date, in db: any SQLExecutor
    ) async throws -> [Rate] {
        var filters = ""
        var binds: [SQLValue] = [.integer(partner.rawValue), .integer(seconds(moment))]
        for (column, value) in [("currency_from", from), ("currency_to", to), ("rate_type", type), ("operation", operation)] {
            guard let value else { continue }
            filters += " AND \(column) = ?"
            binds.append(.text(value))
        }
        let rows = try await db.query(
            """
            SELECT * FROM partner_rates WHERE id IN (
                SELECT MAX(id) FROM partner_rates
                WHERE partner_id = ? AND start_at <= ? AND (end_at IS NULL OR end_at > start_at)\(filters)
                GROUP BY currency_from, currency_to, rate_type, operation)
            ORDER BY currency_from, currency_to, rate_type, operation
            """, binds)
        return try rows.map(decode).compactMap { RateBook.inForce([$0], key: $0.key, at: moment) }
    }

    private func decode(_ row: SQLRow) throws -> Rate {
        guard let value = Decimal(string: try row.text("rate"), locale: Locale(identifier: "en_US_POSIX")) else {
            throw StoreError.decoding("partner_rates.rate is not a decimal")
        }
        return Rate(
            sequence: try row.int("id"),
            key: RateKey(from: try row.text("currency_from"), to: try row.text("currency_to"),
                         type: try row.text("rate_type"), operation: try row.text("operation")),
            value: value, startsAt: date(try row.int("start_at")), endsAt: row.optionalInt("end_at").map(date),
            receivedAt: date(try row.int("received_at")))
    }

    private func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
    private func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }
}

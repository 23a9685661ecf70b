import Foundation

/// `card_transactions` rows, always scoped to the calling partner.
public struct TransactionRepository: Sendable {
    public init() {}

    /// A fresh transaction id: the creation time in milliseconds, then 5 random digits (18 digits in all).
    /// Time first, so new rows (and their holds, `hold-<id>`) land at the end of the id indexes: one index page
    /// written per commit instead of one per transaction. The random tail lets instances share a database
    /// without coordinating; `insertNew` draws another on the rare repeat (the former 10 random digits alone
    /// were likely to repeat within about 100,000 transactions, which then failed).
    public static func newID(now: Date) -> String {
        let milliseconds = max(Int64((now.timeIntervalSince1970 * 1000).rounded(.down)), 0)
        var random = IdentifierRandom()
        return String(milliseconds) + RandomToken.digits(5, firstNonZero: false, using: &random)
    }

    /// Why `insertNew` did not insert.
    public enum InsertConflict: Error, Equatable {
        /// The partner already has a transaction with this order id.
        case orderIDUsed
    }

    /// Inserts the transaction `make` builds around a fresh id (`newID`) and returns it; throws
    /// `InsertConflict.orderIDUsed` when the partner already used its order id.
    ///
    /// The unique keys decide, so the usual case is one statement: the order id is looked up only when the insert
    /// met a conflict, to tell a reused order id from an id that happened to repeat (then a new id is drawn).
    public func insertNew(
        now: Date, in db: any SQLExecutor, newID: (Date) -> String = newID(now:), _ make: (String) -> CardTransaction
    ) async throws -> CardTransaction {
        for _ in 0..<16 {
            let transaction = make(newID(now))
            if try await insertUnlessTaken(transaction, in: db) == 1 { return transaction }
            if try await find(orderID: transaction.orderID, partner: transaction.partnerID, in: db) != nil { throw InsertConflict.orderIDUsed }
        }
        throw StoreError.failed("could not find a free transaction id")
    }

    /// The number of rows inserted: 0 when a unique key (id, or the partner's order id) was taken.
    private func insertUnlessTaken(_ transaction: CardTransaction, in db: any SQLExecutor) async throws -> Int {
        try await db.execute(
            """
            INSERT INTO card_transactions (id, partner_id, order_id, card_id, kind, currency, amount_minor, cleared_minor,
                refunded_minor, status, fin_document_id, description, created_at, original_amount, original_currency, fx_rate)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """,
            [.text(transaction.id), .integer(transaction.partnerID.rawValue), .text(transaction.orderID), .text(transaction.cardID),
             .text(transaction.kind.rawValue), .text(transaction.currency.code), .integer(transaction.amountMinor),
             .integer(transaction.clearedMinor), .integer(transaction.refundedMinor), .text(transaction.status.rawValue),
             .text(transaction.finDocumentID), SQLValue(transaction.description), .integer(Int64(transaction.createdAt.timeIntervalSince1970)),
             SQLValue(transaction.conversion?.original), SQLValue(transaction.conversion?.originalCurrency), SQLValue(transaction.conversion?.rate)])
    }

    public func update(_ transaction: CardTransaction, in db: any SQLExecutor) async throws {
        try await db.execute(
            "UPDATE card_transactions SET cleared_minor = ?, refunded_minor = ?, status = ? WHERE id = ? AND partner_id = ?",
            [.integer(transaction.clearedMinor), .integer(transaction.refundedMinor), .text(transaction.status.rawValue),
             .text(transaction.id), .integer(transaction.partnerID.rawValue)])
    }

    /// Locked for update; another partner's transaction reads as absent.
    public func find(id: String, partner: PartnerID, in db: any SQLExecutor) async throws -> CardTransaction? {
        try await db.queryOne(
            "SELECT * FROM card_transactions WHERE id = ? AND partner_id = ?" + db.dialect.forUpdate, [.text(id), .integer(partner.rawValue)]
        ).map(decode)
    }

    public func find(orderID: String, partner: PartnerID, in db: any SQLExecutor) async throws -> CardTransaction? {
        try await db.queryOne(
            "SELECT * FROM card_transactions WHERE order_id = ? AND partner_id = ?" + db.dialect.forUpdate, [.text(orderID), .integer(partner.rawValue)]
        ).map(decode)
    }

    private func decode(_ row: SQLRow) throws -> CardTransaction {
        guard let kind = CardTransaction.Kind(rawValue: try row.text("kind")),
              let status = CardTransaction.Status(rawValue: try row.text("status")),
              let currency = Currency(code: try row.text("currency")) else {
            throw StoreError.decoding("card transaction kind/status/currency")
        }
        var transaction = CardTransaction(
            id: try row.text("id"), partnerID: PartnerID(rawValue: try row.int("partner_id")), orderID: try row.text("order_id"),
            cardID: try row.text("card_id"), kind: kind, currency: currency, amountMinor: try row.int("amount_minor"),
            clearedMinor: try row.int("cleared_minor"), refundedMinor: try row.int("refunded_minor"), status: status,
            finDocumentID: try row.text("fin_document_id"), description: row.optionalText("description"),
            createdAt: Date(timeIntervalSince1970: TimeInterval(try row.int("created_at"))))
        if let original = row.optionalText("original_amount"), let currency = row.optionalText("original_currency"), let rate = row.optionalText("fx_rate") {
            transaction.conversion = CardTransaction.Conversion(original: original, originalCurrency: currency, rate: rate)
        }
        return transaction
    }

    /// Conversions of the given transactions (for statements), keyed by transaction id.
    public func conversions(of ids: [String], partner: PartnerID, in db: any SQLExecutor) async throws -> [String: CardTransaction.Conversion] {
        guard !ids.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        let rows = try await db.query(
            "SELECT id, original_amount, original_currency, fx_rate FROM card_transactions WHERE partner_id = ? AND fx_rate IS NOT NULL AND id IN (\(placeholders))",
            [.integer(partner.rawValue)] + ids.map { .text($0) })
        var found: [String: CardTransaction.Conversion] = [:]
        for row in rows {
            found[try row.text("id")] = CardTransaction.Conversion(
                original: try row.text("original_amount"), originalCurrency: try row.text("original_currency"), rate: try row.text("fx_rate"))
        }
        return found
    }
}

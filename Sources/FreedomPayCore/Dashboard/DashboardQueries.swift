import Foundation

/// The read-only queries behind the operator dashboard. Operators see every tenant, so nothing here filters
/// by partner or merchant; every list is paged. Nothing selects a sealed PAN, CVV, PIN hash or secret.
public struct DashboardQueries: Sendable {
    public init() {}

    public func partners(_ paging: DashboardPaging, in db: any SQLExecutor) async throws -> DashboardListing {
        try await DashboardListing.run(
            "SELECT id, auth_id, name, created_at FROM partners ORDER BY id DESC LIMIT ? OFFSET ?", [],
            columns: [.text("Id", "id"), .text("auth_id", "auth_id"), .text("Name", "name"), .time("Created", "created_at")],
            paging: paging, in: db)
    }

    public func merchants(_ paging: DashboardPaging, in db: any SQLExecutor) async throws -> DashboardListing {
        try await DashboardListing.run(
            "SELECT id, name, created_at FROM merchants ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", [],
            columns: [.text("pg_merchant_id", "id"), .text("Name", "name"), .time("Created", "created_at")],
            paging: paging, in: db)
    }

    public func clients(_ paging: DashboardPaging, in db: any SQLExecutor) async throws -> DashboardListing {
        try await DashboardListing.run(
            """
            SELECT client_id, partner_id, first_name, last_name, phone, created_at FROM card_clients
            ORDER BY created_at DESC, client_id DESC LIMIT ? OFFSET ?
            """, [],
            columns: [.text("Client", "client_id", link: { "cards?q=\($0)" }), .text("Partner", "partner_id"),
                      .text("First name", "first_name"), .text("Last name", "last_name"), .text("Phone", "phone"),
                      .time("Created", "created_at")],
            paging: paging, in: db)
    }

    /// Cards with their masked PAN and ledger balance; `search` matches a card id, a client id or the
    /// last digits of the masked PAN.
    public func cards(search: String?, _ paging: DashboardPaging, in db: any SQLExecutor) async throws -> DashboardListing {
        var sql = """
            SELECT c.card_id, c.partner_id, c.client_id, c.card_mask, c.status, c.currency,
                   COALESCE(a.posted_minor, 0) AS posted_minor, COALESCE(a.held_minor, 0) AS held_minor,
                   COALESCE(a.posted_minor, 0) - COALESCE(a.held_minor, 0) AS available_minor
            FROM payment_cards c LEFT JOIN ledger_accounts a ON a.account_key = 'card:' || c.card_id || ':' || c.currency
            """
        var binds: [SQLValue] = []
        if let search = search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            sql += " WHERE c.card_id = ? OR c.client_id = ? OR c.card_mask LIKE ?"
            binds = [.text(search), .text(search), .text("%" + search)]
        }
        sql += " ORDER BY c.created_at DESC, c.card_id DESC LIMIT ? OFFSET ?"
        return try await DashboardListing.run(sql, binds, columns: [
            .text("Card", "card_id", link: { "cards/\($0)" }), .text("Partner", "partner_id"),
            .text("Client", "client_id", link: { "cards?q=\($0)" }), .text("Card number", "card_mask"),
            DashboardColumn("Status") { row in DashboardCell(Self.cardStatus(row.optionalInt("status"))) },
            .money("Available", "available_minor"), .money("Held", "held_minor"),
        ], paging: paging, in: db)
    }

    /// The card's fields (masked PAN only) as label/value pairs, or nil when there is no such card.
    public func card(_ id: String, in db: any SQLExecutor) async throws -> (fields: [(String, String)], account: String)? {
        guard let row = try await db.queryOne(
            """
            SELECT card_id, partner_id, client_id, product_id, kind, status, card_mask, expiry_month, expiry_year, currency,
                   embossed_name, status_reason, created_at FROM payment_cards WHERE card_id = ?
            """, [.text(id)]) else { return nil }
        let currency = row.optionalText("currency") ?? ""
        let account = "card:\(id):\(currency)"
        let balance = try await db.queryOne("SELECT posted_minor, held_minor FROM ledger_accounts WHERE account_key = ?", [.text(account)])
        let posted = balance?.optionalInt("posted_minor") ?? 0, held = balance?.optionalInt("held_minor") ?? 0
        let fields: [(String, String)] = [
            ("Card", id), ("Partner", DashboardFormat.text(row["partner_id"])), ("Client", DashboardFormat.text(row["client_id"])),
            ("Product", DashboardFormat.text(row["product_id"])), ("Kind", DashboardFormat.text(row["kind"])),
            ("Status", Self.cardStatus(row.optionalInt("status"))), ("Status reason", DashboardFormat.text(row["status_reason"])),
            ("Card number", DashboardFormat.text(row["card_mask"])),
            ("Expiry", "\(DashboardFormat.text(row["expiry_month"]))/\(DashboardFormat.text(row["expiry_year"]))"),
            ("Embossed name", DashboardFormat.text(row["embossed_name"])),
            ("Posted", DashboardFormat.money(posted, currency: currency)), ("Held", DashboardFormat.money(held, currency: currency)),
            ("Available", DashboardFormat.money(posted - held, currency: currency)),
            ("Created", DashboardFormat.time(TimeInterval(row.optionalInt("created_at") ?? 0))),
        ]
        return (fields, account)
    }

    /// A ledger account's entries, newest first: the card statement as the ledger records it.
    public func statement(account: String, _ paging: DashboardPaging, in db: any SQLExecutor) async throws -> DashboardListing {
        let columns: [DashboardColumn] = [
            .text("Entry", "id"), .text("Posting", "posting_id"), .text("Kind", "kind"), .text("Reference", "reference"),
            .money("Amount", "amount_minor"), .time("Time", "created_at"),
        ]
        guard let row = try await db.queryOne("SELECT id, currency FROM ledger_accounts WHERE account_key = ?", [.text(account)]) else {
            return DashboardListing(columns: columns.map(\.label), rows: [], page: paging.page, hasMore: false)
        }
        let currency = SQLValue.text(try row.text("currency"))
        let lines = try await LedgerHistory(accountID: try row.int("id")).page(
            from: Int64.min, to: Int64.max, order: .newestFirst, limit: paging.size + 1, offset: paging.offset, in: db)
        let cells = try lines.prefix(paging.size).map { line in
            let row = SQLRow(lowercasedColumns: ["id", "posting_id", "kind", "reference", "amount_minor", "currency", "created_at"], values: [
                .integer(line.seq), .text(line.entry.postingID), .text(line.entry.kind), SQLValue(line.entry.reference),
                .integer(line.entry.amountMinor), currency, .integer(Int64(line.entry.createdAt.timeIntervalSince1970)),
            ])
            return try columns.map { try $0.cell(row) }
        }
        return DashboardListing(columns: columns.map(\.label), rows: cells, page: paging.page, hasMore: lines.count > paging.size)
    }

    public func transactions(card: String?, _ paging: DashboardPaging, in db: any SQLExecutor) async throws -> DashboardListing {
        let (filter, binds) = DashboardListing.filter("card_id", card)
        let sql = """
            SELECT id, partner_id, order_id, card_id, kind, currency, amount_minor, cleared_minor, refunded_minor, status, created_at
            FROM card_transactions\(filter) ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?
            """
        return try await DashboardListing.run(sql, binds, columns: [
            .text("Transaction", "id"), .text("Partner", "partner_id"), .text("Order", "order_id"),
            .text("Card", "card_id", link: { "cards/\($0)" }), .text("Kind", "kind"), .money("Amount", "amount_minor"),
            .money("Cleared", "cleared_minor"), .money("Refunded", "refunded_minor"), .text("Status", "status"),
            .time("Created", "created_at"),
        ], paging: paging, in: db)
    }

    static func cardStatus(_ raw: Int64?) -> String {
        guard let raw, let status = CardStatus(rawValue: Int(raw)) else { return "unknown" }
        return status.name
    }
}

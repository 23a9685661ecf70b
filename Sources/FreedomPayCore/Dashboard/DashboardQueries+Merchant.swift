import Foundation
import FreedomPayWire

/// One callback as the dashboard's callback log shows it: what was sent and what the merchant answered.
public struct DashboardCallback: Sendable {
    public let row: OutboxCallback
    public let createdAtMs: Int64
    public let finishedAtMs: Int64?
}

extension DashboardQueries {
    public func payments(_ paging: DashboardPaging, in db: any SQLExecutor) async throws -> DashboardListing {
        try await DashboardListing.run(
            """
            SELECT id, merchant_id, order_id, amount_minor, currency, status, card_mask, created_at FROM purchase_payments
            ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?
            """, [],
            columns: [.text("Payment", "id", link: { "payments/\($0)" }), .text("Merchant", "merchant_id"), .text("Order", "order_id"),
                      .money("Amount", "amount_minor"), .text("Status", "status"), .text("Card", "card_mask"),
                      .time("Created", "created_at")],
            paging: paging, in: db)
    }

    /// A payment's fields and its operations in order: its state history.
    public func payment(_ id: Int64, in db: any SQLExecutor) async throws -> (fields: [(String, String)], history: DashboardListing)? {
        guard let row = try await db.queryOne(
            """
            SELECT id, merchant_id, order_id, amount_minor, currency, description, status, cleared_minor, refunded_minor, card_mask,
                   failure_code, failure_description, created_at, payment_at, expires_at FROM purchase_payments WHERE id = ?
            """, [.integer(id)]) else { return nil }
        let currency = row.optionalText("currency") ?? ""
        let fields: [(String, String)] = [
            ("Payment", String(id)), ("Merchant", DashboardFormat.text(row["merchant_id"])), ("Order", DashboardFormat.text(row["order_id"])),
            ("Description", DashboardFormat.text(row["description"])),
            ("Amount", DashboardFormat.money(row.optionalInt("amount_minor") ?? 0, currency: currency)),
            ("Cleared", DashboardFormat.money(row.optionalInt("cleared_minor") ?? 0, currency: currency)),
            ("Refunded", DashboardFormat.money(row.optionalInt("refunded_minor") ?? 0, currency: currency)),
            ("Status", DashboardFormat.text(row["status"])), ("Card", DashboardFormat.text(row["card_mask"])),
            ("Failure", [DashboardFormat.text(row["failure_code"]), DashboardFormat.text(row["failure_description"])].filter { !$0.isEmpty }.joined(separator: " ")),
            ("Created", DashboardFormat.time(TimeInterval(row.optionalInt("created_at") ?? 0))),
            ("Paid", row.optionalInt("payment_at").map { DashboardFormat.time(TimeInterval($0)) } ?? ""),
        ]
        let history = try await DashboardListing.run(
            """
            SELECT o.id, o.kind, o.amount_minor, o.status, o.created_at, p.currency FROM purchase_operations o
            JOIN purchase_payments p ON p.id = o.payment_id WHERE o.payment_id = ? ORDER BY o.seq LIMIT ? OFFSET ?
            """, [.integer(id)],
            columns: [.text("Operation", "id"), .text("Kind", "kind"), .money("Amount", "amount_minor"), .text("Status", "status"),
                      .time("Time", "created_at")],
            paging: DashboardPaging(size: DashboardPaging.maxSize), in: db)
        return (fields, history)
    }

    public func payouts(_ paging: DashboardPaging, in db: any SQLExecutor) async throws -> DashboardListing {
        try await DashboardListing.run(
            """
            SELECT id, merchant_id, order_id, kind, amount_minor, fee_minor, currency, status, card_mask, error_description,
                   created_at, settle_at, finished_at FROM payouts ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?
            """, [],
            columns: [.text("Payout", "id", link: { "callbacks?subject=\($0)" }), .text("Merchant", "merchant_id"),
                      .text("Order", "order_id"), .text("Kind", "kind"), .money("Amount", "amount_minor"), .money("Fee", "fee_minor"),
                      .text("Status", "status"), .text("Card", "card_mask"), .text("Error", "error_description"),
                      .time("Created", "created_at"), .time("Settles", "settle_at"), .time("Finished", "finished_at")],
            paging: paging, in: db)
    }

    /// The callback log, newest first; `subject` narrows it to one payment or payout.
    public func callbacks(subject: String?, _ paging: DashboardPaging, in db: any SQLExecutor) async throws -> DashboardListing {
        let (filter, binds) = DashboardListing.filter("subject_id", subject)
        let sql = """
            SELECT id, merchant_id, kind, subject_id, url, state, attempts, max_attempts, reply_status, last_error, created_at_ms
            FROM callback_outbox\(filter) ORDER BY id DESC LIMIT ? OFFSET ?
            """
        return try await DashboardListing.run(sql, binds, columns: [
            .text("Callback", "id", link: { "callbacks/\($0)" }), .text("Merchant", "merchant_id"), .text("Kind", "kind"),
            .text("Subject", "subject_id"), .text("URL", "url"), .text("State", "state"),
            DashboardColumn("Attempts") { row in
                DashboardCell("\(row.optionalInt("attempts") ?? 0)/\(row.optionalInt("max_attempts") ?? 0)")
            },
            .text("Reply", "reply_status"), .text("Last error", "last_error"), .time("Queued", "created_at_ms", milliseconds: true),
        ], paging: paging, in: db)
    }

    public func callback(_ id: Int64, in db: any SQLExecutor) async throws -> DashboardCallback? {
        guard let row = try await db.queryOne("SELECT * FROM callback_outbox WHERE id = ?", [.integer(id)]) else { return nil }
        return DashboardCallback(
            row: try OutboxRepository.decode(row), createdAtMs: row.optionalInt("created_at_ms") ?? 0,
            finishedAtMs: row.optionalInt("finished_at_ms"))
    }

    /// Every partner's sandbox SMS, newest first.
    public func messages(_ paging: DashboardPaging, in db: any SQLExecutor) async throws -> DashboardListing {
        try await DashboardListing.run(
            "SELECT id, partner_id, phone, text, created_at FROM sms_outbox ORDER BY id DESC LIMIT ? OFFSET ?", [],
            columns: [.text("Id", "id"), .text("Partner", "partner_id"), .text("Phone", "phone"), .text("Text", "text"),
                      .time("Sent", "created_at")],
            paging: paging, in: db)
    }

    /// Row counts for the overview page (each a single aggregate over one table).
    public func counts(in db: any SQLExecutor) async throws -> [(String, Int64)] {
        let tables: [(String, String)] = [
            ("Partners", "SELECT COUNT(*) AS n FROM partners"), ("Merchants", "SELECT COUNT(*) AS n FROM merchants"),
            ("Clients", "SELECT COUNT(*) AS n FROM card_clients"), ("Cards", "SELECT COUNT(*) AS n FROM payment_cards"),
            ("Card transactions", "SELECT COUNT(*) AS n FROM card_transactions"),
            ("Payments", "SELECT COUNT(*) AS n FROM purchase_payments"), ("Payouts", "SELECT COUNT(*) AS n FROM payouts"),
            ("Callbacks pending", "SELECT COUNT(*) AS n FROM callback_outbox WHERE state = 'pending'"),
            ("Callbacks given up", "SELECT COUNT(*) AS n FROM callback_outbox WHERE state = 'exhausted'"),
            ("Ledger postings", "SELECT COUNT(*) AS n FROM ledger_journal"),
        ]
        var counts: [(String, Int64)] = []
        for (label, sql) in tables { counts.append((label, try await db.queryOne(sql, [])?.int("n") ?? 0)) }
        return counts
    }
}

import Foundation

/// Wipes every piece of sandbox business data in one transaction, keeping the configuration people set up:
/// partners, merchants (with their credentials), dashboard operators and their sessions, the gift-product
/// catalogue and the schema itself.
/// Tables are listed by hand, children before parents, so the foreign keys hold at every step; a test checks
/// that every table of the schema is either wiped or explicitly kept, so a new table must choose.
public struct SandboxReset: Sendable {
    public init() {}

    /// Business data, in deletion order (rows referencing others first).
    public static let wipedTables = [
        "callback_outbox", "purchase_operations", "purchase_recurring_profiles", "purchase_card_tokens",
        "purchase_payments", "payout_card_tokens", "payouts",
        "ledger_holds", "ledger_account_history", "ledger_journal", "ledger_accounts",
        "card_transactions", "card_limits", "payment_cards", "card_clients",
        "gift_cards", "sms_outbox",
        "partner_wallet_operations", "partner_wallets", "partner_auth_messages", "partner_user_grants",
        "partner_client_products", "partner_client_users", "partner_clients", "partner_rates",
        "requests",
    ]

    /// Configuration and credentials, never touched.
    public static let keptTables = [
        "partners", "merchants", "gift_products", "dashboard_operators", "dashboard_sessions", "schema_migrations",
        // One row, reset (not deleted) with the journal: see `LedgerHistoryIndexer.reset`.
        "ledger_history_progress",
    ]

    /// Deletes the rows of every wiped table; returns how many rows each lost.
    @discardableResult
    public func wipe(in db: any SQLExecutor) async throws -> [String: Int] {
        var removed: [String: Int] = [:]
        for table in Self.wipedTables {
            removed[table] = try await db.execute("DELETE FROM \(table)", [])
        }
        try await LedgerHistoryIndexer.reset(in: db)
        return removed
    }
}

extension Schema {
    /// Card transactions (debits held then cleared, credits, refunds); money itself lives in the ledger.
    static let transactions: [Migration] = [
        Migration("0300_card_transactions") { dialect in
            let bigint = SchemaType.bigint(dialect)
            return [
                """
                CREATE TABLE card_transactions (
                    id TEXT PRIMARY KEY,
                    partner_id \(bigint) NOT NULL REFERENCES partners(id),
                    order_id TEXT NOT NULL,
                    card_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    amount_minor \(bigint) NOT NULL,
                    cleared_minor \(bigint) NOT NULL,
                    refunded_minor \(bigint) NOT NULL,
                    status TEXT NOT NULL,
                    fin_document_id TEXT NOT NULL,
                    description TEXT,
                    created_at \(bigint) NOT NULL,
                    UNIQUE (partner_id, order_id)
                )
                """,
                "CREATE INDEX card_transactions_by_card ON card_transactions (partner_id, card_id, created_at)",
            ]
        },
        Migration("0301_card_transactions_fx") { _ in
            [
                "ALTER TABLE card_transactions ADD COLUMN original_amount TEXT",
                "ALTER TABLE card_transactions ADD COLUMN original_currency TEXT",
                "ALTER TABLE card_transactions ADD COLUMN fx_rate TEXT",
            ]
        },
    ]
}

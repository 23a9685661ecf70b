extension Schema {
    /// Merchant API payouts (merchant-api.md §3.13–§3.20): the payouts themselves, unique per (merchant, order id)
    /// so that one order is never paid twice, and the cards saved for receiving payouts (same shape as
    /// `purchase_card_tokens`, read by the same `CardTokenRepository`).
    static let payouts: [Migration] = [
        Migration("0200_payouts") { dialect in
            let bigint = SchemaType.bigint(dialect)
            return [
                """
                CREATE TABLE payouts (
                    id \(bigint) PRIMARY KEY,
                    merchant_id \(bigint) NOT NULL REFERENCES merchants(id),
                    order_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    amount_minor \(bigint) NOT NULL,
                    fee_minor \(bigint) NOT NULL,
                    currency TEXT NOT NULL,
                    description TEXT NOT NULL,
                    user_id TEXT,
                    post_link TEXT NOT NULL,
                    card_token TEXT,
                    card_mask TEXT,
                    status TEXT NOT NULL,
                    planned_result TEXT NOT NULL,
                    error_code INTEGER,
                    error_description TEXT,
                    request_hash TEXT NOT NULL,
                    time_limit \(bigint) NOT NULL,
                    settle_at \(bigint),
                    balance_after_minor \(bigint),
                    created_at \(bigint) NOT NULL,
                    finished_at \(bigint),
                    page_token TEXT UNIQUE,
                    back_link TEXT,
                    UNIQUE (merchant_id, order_id)
                )
                """,
                "CREATE INDEX payouts_settle ON payouts (status, settle_at)",
            ] + cardTokenTable("payout_card_tokens", dialect)
        },
    ]
}

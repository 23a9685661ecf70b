extension Schema {
    /// Merchant API purchases (payments and their clearing/cancel/refund operations) and the callback outbox
    /// that every callback to a merchant goes through (written in the same transaction as the state change).
    static let purchases: [Migration] = [
        Migration("0100_purchases_and_callback_outbox") { dialect in
            let bigint = SchemaType.bigint(dialect)
            return [
                """
                CREATE TABLE purchase_payments (
                    id \(bigint) PRIMARY KEY,
                    merchant_id \(bigint) NOT NULL REFERENCES merchants(id),
                    order_id TEXT,
                    amount_minor \(bigint) NOT NULL,
                    currency TEXT NOT NULL,
                    description TEXT NOT NULL,
                    status TEXT NOT NULL,
                    cleared_minor \(bigint) NOT NULL DEFAULT 0,
                    refunded_minor \(bigint) NOT NULL DEFAULT 0,
                    auto_clearing INTEGER NOT NULL,
                    testing_mode INTEGER NOT NULL,
                    challenge_3ds INTEGER NOT NULL,
                    recurring_start INTEGER NOT NULL,
                    expires_at \(bigint) NOT NULL,
                    page_token TEXT NOT NULL UNIQUE,
                    options TEXT NOT NULL,
                    extra_fields TEXT NOT NULL,
                    idempotency_key TEXT,
                    request_hash TEXT NOT NULL,
                    card_mask TEXT,
                    card_brand TEXT,
                    card_exp TEXT,
                    card_owner TEXT,
                    card_profile TEXT,
                    three_ds_attempts INTEGER NOT NULL DEFAULT 0,
                    auth_code TEXT,
                    reference TEXT,
                    failure_code INTEGER,
                    failure_description TEXT,
                    created_at \(bigint) NOT NULL,
                    payment_at \(bigint),
                    authorized_at \(bigint),
                    recurring_profile_id \(bigint),
                    order_seq INTEGER NOT NULL,
                    UNIQUE (merchant_id, idempotency_key),
                    UNIQUE (merchant_id, order_id, order_seq)
                )
                """,
                """
                CREATE TABLE purchase_operations (
                    seq \(SchemaType.serialPrimaryKey(dialect)),
                    id \(bigint) NOT NULL UNIQUE,
                    payment_id \(bigint) NOT NULL REFERENCES purchase_payments(id),
                    merchant_id \(bigint) NOT NULL,
                    kind TEXT NOT NULL,
                    amount_minor \(bigint) NOT NULL,
                    status TEXT NOT NULL,
                    created_at \(bigint) NOT NULL
                )
                """,
                """
                CREATE TABLE purchase_recurring_profiles (
                    id \(bigint) PRIMARY KEY,
                    merchant_id \(bigint) NOT NULL REFERENCES merchants(id),
                    origin_payment_id \(bigint) NOT NULL REFERENCES purchase_payments(id),
                    currency TEXT NOT NULL,
                    card_mask TEXT NOT NULL,
                    card_brand TEXT NOT NULL,
                    card_exp TEXT NOT NULL,
                    card_owner TEXT NOT NULL,
                    card_profile TEXT NOT NULL,
                    expires_at \(bigint) NOT NULL,
                    created_at \(bigint) NOT NULL
                )
                """,
            ] + cardTokenTable("purchase_card_tokens", dialect) + [
                "CREATE INDEX purchase_operations_payment ON purchase_operations (payment_id, seq)",
                """
                CREATE TABLE callback_outbox (
                    id \(SchemaType.serialPrimaryKey(dialect)),
                    merchant_id \(bigint) NOT NULL,
                    secret_kind TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    subject_id TEXT NOT NULL,
                    url TEXT NOT NULL,
                    method TEXT NOT NULL,
                    parameters TEXT NOT NULL,
                    state TEXT NOT NULL,
                    can_reject INTEGER,
                    attempts INTEGER NOT NULL,
                    max_attempts INTEGER NOT NULL,
                    next_attempt_at_ms \(bigint) NOT NULL,
                    locked_until_ms \(bigint),
                    locked_by TEXT,
                    last_error TEXT,
                    reply_status TEXT,
                    reply_description TEXT,
                    created_at_ms \(bigint) NOT NULL,
                    finished_at_ms \(bigint)
                )
                """,
                "CREATE INDEX callback_outbox_due ON callback_outbox (state, next_attempt_at_ms)",
                "CREATE INDEX callback_outbox_subject ON callback_outbox (kind, subject_id)",
            ]
        }
    ]

    /// A card-token table: purchase and payout card storage keep identical rows in separate tables.
    static func cardTokenTable(_ name: String, _ dialect: SQLDialect) -> [String] {
        let bigint = SchemaType.bigint(dialect)
        return [
            """
            CREATE TABLE \(name) (
                token TEXT PRIMARY KEY,
                card_id \(bigint) NOT NULL UNIQUE,
                merchant_id \(bigint) NOT NULL REFERENCES merchants(id),
                user_id TEXT NOT NULL,
                order_id TEXT,
                operation_id \(bigint) NOT NULL,
                page_token TEXT NOT NULL UNIQUE,
                post_link TEXT NOT NULL,
                back_link TEXT NOT NULL,
                status TEXT NOT NULL,
                card_mask TEXT,
                card_brand TEXT,
                card_exp TEXT,
                card_owner TEXT,
                card_profile TEXT,
                created_at \(bigint) NOT NULL,
                deleted_at \(bigint)
            )
            """,
            "CREATE INDEX \(name)_user ON \(name) (merchant_id, user_id, created_at)",
        ]
    }
}

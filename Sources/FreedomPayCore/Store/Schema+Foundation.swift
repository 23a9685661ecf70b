extension Schema {
    /// Partners (Card and Partner API), merchants (Merchant API) and the request records behind idempotency.
    static let foundation: [Migration] = [
        Migration("0001_partners_merchants_requests") { dialect in
            [
                """
                CREATE TABLE partners (
                    id \(SchemaType.serialPrimaryKey(dialect)),
                    auth_id TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    secret_sealed \(SchemaType.bytes(dialect)) NOT NULL,
                    created_at \(SchemaType.bigint(dialect)) NOT NULL
                )
                """,
                """
                CREATE TABLE merchants (
                    id \(SchemaType.bigint(dialect)) PRIMARY KEY,
                    name TEXT NOT NULL,
                    payment_secret_sealed \(SchemaType.bytes(dialect)) NOT NULL,
                    payout_secret_sealed \(SchemaType.bytes(dialect)) NOT NULL,
                    created_at \(SchemaType.bigint(dialect)) NOT NULL
                )
                """,
                """
                CREATE TABLE requests (
                    partner_id \(SchemaType.bigint(dialect)) NOT NULL REFERENCES partners(id),
                    request_id TEXT NOT NULL,
                    api TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    body_hash TEXT NOT NULL,
                    status TEXT NOT NULL,
                    outcome_json TEXT NOT NULL,
                    response_json TEXT,
                    complete_at \(SchemaType.bigint(dialect)),
                    created_at \(SchemaType.bigint(dialect)) NOT NULL,
                    updated_at \(SchemaType.bigint(dialect)) NOT NULL,
                    PRIMARY KEY (partner_id, request_id)
                )
                """,
            ]
        }
    ]
}

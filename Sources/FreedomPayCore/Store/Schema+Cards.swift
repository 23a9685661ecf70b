extension Schema {
    /// Payment Cards: clients (cardholders), cards (PAN/CVV sealed, PIN as salted hash) and limits.
    static let cards: [Migration] = [
        Migration("cards_0001_clients_cards_limits") { dialect in
            let bigint = SchemaType.bigint(dialect)
            let bytes = SchemaType.bytes(dialect)
            return [
                """
                CREATE TABLE card_clients (
                    client_id TEXT PRIMARY KEY,
                    partner_id \(bigint) NOT NULL REFERENCES partners(id),
                    product_id \(bigint) NOT NULL,
                    branch_id TEXT,
                    phone \(bigint) NOT NULL,
                    client_type \(bigint) NOT NULL,
                    resident \(bigint) NOT NULL,
                    first_name TEXT NOT NULL,
                    last_name TEXT NOT NULL,
                    middle_name TEXT,
                    birthdate TEXT,
                    email TEXT,
                    country TEXT,
                    person_id TEXT,
                    language TEXT,
                    external_user_id TEXT,
                    document_sha256 TEXT,
                    details_json TEXT NOT NULL,
                    created_at \(bigint) NOT NULL,
                    updated_at \(bigint) NOT NULL
                )
                """,
                "CREATE INDEX card_clients_partner ON card_clients (partner_id)",
                """
                CREATE TABLE payment_cards (
                    card_id TEXT PRIMARY KEY,
                    partner_id \(bigint) NOT NULL REFERENCES partners(id),
                    client_id TEXT REFERENCES card_clients(client_id),
                    product_id \(bigint) NOT NULL,
                    kind TEXT NOT NULL,
                    status \(bigint) NOT NULL,
                    card_token TEXT NOT NULL UNIQUE,
                    card_mask TEXT NOT NULL,
                    pan_sealed \(bytes) NOT NULL,
                    cvv_sealed \(bytes) NOT NULL,
                    expiry_month \(bigint) NOT NULL,
                    expiry_year \(bigint) NOT NULL,
                    currency TEXT NOT NULL,
                    embossed_name TEXT,
                    branch_id TEXT,
                    status_reason TEXT,
                    pin_hash TEXT,
                    pin_failed_tries \(bigint) NOT NULL DEFAULT 0,
                    created_at \(bigint) NOT NULL,
                    updated_at \(bigint) NOT NULL
                )
                """,
                "CREATE INDEX payment_cards_partner_client ON payment_cards (partner_id, client_id)",
                """
                CREATE TABLE card_limits (
                    partner_id \(bigint) NOT NULL REFERENCES partners(id),
                    object_type TEXT NOT NULL,
                    object_value TEXT NOT NULL,
                    transaction_type TEXT NOT NULL,
                    region TEXT NOT NULL,
                    period TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    max_minor \(bigint) NOT NULL,
                    updated_at \(bigint) NOT NULL,
                    PRIMARY KEY (partner_id, object_type, object_value, transaction_type, region, period, currency)
                )
                """,
            ]
        }
    ]
}

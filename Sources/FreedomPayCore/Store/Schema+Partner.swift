extension Schema {
    /// Partner API: rates, client companies with their users and products, e-money wallets.
    static let partner: [Migration] = [
        Migration("partner_0001_rates") { dialect in
            [
                """
                CREATE TABLE partner_rates (
                    id \(SchemaType.serialPrimaryKey(dialect)),
                    partner_id \(SchemaType.bigint(dialect)) NOT NULL REFERENCES partners(id),
                    currency_from TEXT NOT NULL,
                    currency_to TEXT NOT NULL,
                    rate_type TEXT NOT NULL,
                    operation TEXT NOT NULL,
                    rate TEXT NOT NULL,
                    start_at \(SchemaType.bigint(dialect)) NOT NULL,
                    end_at \(SchemaType.bigint(dialect)),
                    received_at \(SchemaType.bigint(dialect)) NOT NULL
                )
                """,
                "CREATE INDEX partner_rates_key ON partner_rates (partner_id, currency_from, currency_to, rate_type, operation, start_at)",
            ]
        },
        Migration("partner_0002_clients") { dialect in
            [
                """
                CREATE TABLE partner_clients (
                    id \(SchemaType.serialPrimaryKey(dialect)),
                    partner_id \(SchemaType.bigint(dialect)) NOT NULL REFERENCES partners(id),
                    company_id TEXT,
                    name TEXT NOT NULL,
                    bin TEXT NOT NULL,
                    iban TEXT,
                    description TEXT,
                    legal_type TEXT,
                    address_json TEXT NOT NULL,
                    created_at \(SchemaType.bigint(dialect)) NOT NULL
                )
                """,
                """
                CREATE TABLE partner_client_users (
                    id \(SchemaType.serialPrimaryKey(dialect)),
                    partner_id \(SchemaType.bigint(dialect)) NOT NULL REFERENCES partners(id),
                    client_id \(SchemaType.bigint(dialect)) NOT NULL REFERENCES partner_clients(id),
                    first_name TEXT NOT NULL,
                    last_name TEXT NOT NULL,
                    phone TEXT NOT NULL,
                    email TEXT NOT NULL,
                    created_at \(SchemaType.bigint(dialect)) NOT NULL
                )
                """,
                """
                CREATE TABLE partner_client_products (
                    id \(SchemaType.serialPrimaryKey(dialect)),
                    partner_id \(SchemaType.bigint(dialect)) NOT NULL REFERENCES partners(id),
                    client_id \(SchemaType.bigint(dialect)) NOT NULL REFERENCES partner_clients(id),
                    product_id \(SchemaType.bigint(dialect)) NOT NULL,
                    product_uuid TEXT NOT NULL UNIQUE,
                    terminal_id \(SchemaType.bigint(dialect)) NOT NULL,
                    active \(SchemaType.bigint(dialect)) NOT NULL,
                    product_json TEXT NOT NULL,
                    created_at \(SchemaType.bigint(dialect)) NOT NULL
                )
                """,
                """
                CREATE TABLE partner_user_grants (
                    user_id \(SchemaType.bigint(dialect)) NOT NULL REFERENCES partner_client_users(id),
                    product_row_id \(SchemaType.bigint(dialect)) NOT NULL REFERENCES partner_client_products(id),
                    role TEXT NOT NULL,
                    created_at \(SchemaType.bigint(dialect)) NOT NULL,
                    PRIMARY KEY (user_id, product_row_id)
                )
                """,
                """
                CREATE TABLE partner_auth_messages (
                    id \(SchemaType.serialPrimaryKey(dialect)),
                    partner_id \(SchemaType.bigint(dialect)) NOT NULL REFERENCES partners(id),
                    user_id \(SchemaType.bigint(dialect)) NOT NULL REFERENCES partner_client_users(id),
                    channel TEXT NOT NULL,
                    destination TEXT NOT NULL,
                    created_at \(SchemaType.bigint(dialect)) NOT NULL
                )
                """,
            ]
        },
        Migration("partner_0003_wallets") { dialect in
            [
                """
                CREATE TABLE partner_wallets (
                    id \(SchemaType.serialPrimaryKey(dialect)),
                    partner_id \(SchemaType.bigint(dialect)) NOT NULL REFERENCES partners(id),
                    identifier TEXT NOT NULL,
                    country TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    state TEXT NOT NULL,
                    identified \(SchemaType.bigint(dialect)) NOT NULL,
                    owner_name TEXT,
                    created_at \(SchemaType.bigint(dialect)) NOT NULL,
                    updated_at \(SchemaType.bigint(dialect)) NOT NULL,
                    UNIQUE (partner_id, identifier)
                )
                """,
                """
                CREATE TABLE partner_wallet_operations (
                    posting_id TEXT NOT NULL,
                    wallet_id \(SchemaType.bigint(dialect)) NOT NULL REFERENCES partner_wallets(id),
                    type TEXT NOT NULL,
                    rrn TEXT NOT NULL,
                    correspondent_name TEXT NOT NULL,
                    correspondent_account TEXT NOT NULL,
                    commission_minor \(SchemaType.bigint(dialect)) NOT NULL,
                    created_at \(SchemaType.bigint(dialect)) NOT NULL,
                    PRIMARY KEY (posting_id, wallet_id)
                )
                """,
            ]
        },
    ]
}

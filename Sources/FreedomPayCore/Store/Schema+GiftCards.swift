extension Schema {
    /// Gift products (three sandbox products available to every partner), gift cards, the SMS outbox.
    static let giftCards: [Migration] = [
        Migration("0200_gift_cards") { dialect in
            let bigint = SchemaType.bigint(dialect)
            return [
                """
                CREATE TABLE gift_products (
                    code \(bigint) PRIMARY KEY,
                    name TEXT NOT NULL,
                    name_en TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    face_value_minor \(bigint) NOT NULL,
                    image TEXT NOT NULL,
                    partner_id \(bigint) REFERENCES partners(id)
                )
                """,
                """
                INSERT INTO gift_products (code, name, name_en, currency, face_value_minor, image) VALUES
                    (1, 'Подарочная карта 50', 'Gift card 50', 'USD', 5000, '/static/gift/gift50.svg'),
                    (2, 'Подарочная карта 100', 'Gift card 100', 'USD', 10000, '/static/gift/gift100.svg'),
                    (3, 'Подарочная карта 10 000', 'Gift card 10 000', 'KZT', 1000000, '/static/gift/gift10000kzt.svg')
                """,
                """
                CREATE TABLE gift_cards (
                    id \(SchemaType.serialPrimaryKey(dialect)),
                    partner_id \(bigint) NOT NULL REFERENCES partners(id),
                    product_code \(bigint) NOT NULL REFERENCES gift_products(code),
                    holder_name TEXT NOT NULL,
                    phone TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    face_value_minor \(bigint) NOT NULL,
                    pan_mask TEXT NOT NULL,
                    pan_sealed \(SchemaType.bytes(dialect)) NOT NULL,
                    status \(bigint) NOT NULL,
                    code_hash TEXT,
                    code_salt TEXT,
                    code_expires_at \(bigint),
                    code_attempts \(bigint) NOT NULL,
                    created_at \(bigint) NOT NULL
                )
                """,
                "CREATE INDEX gift_cards_by_partner ON gift_cards (partner_id, status)",
                """
                CREATE TABLE sms_outbox (
                    id \(SchemaType.serialPrimaryKey(dialect)),
                    partner_id \(bigint) NOT NULL REFERENCES partners(id),
                    phone TEXT NOT NULL,
                    text TEXT NOT NULL,
                    created_at \(bigint) NOT NULL
                )
                """,
                "CREATE INDEX sms_outbox_by_phone ON sms_outbox (partner_id, phone)",
            ]
        }
    ]
}

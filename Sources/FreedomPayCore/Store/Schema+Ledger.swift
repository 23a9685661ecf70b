extension Schema {
    /// Double-entry ledger: accounts with running totals, immutable postings and entries, holds.
    static let ledger: [Migration] = [
        Migration("0100_ledger") { dialect in
            let bigint = SchemaType.bigint(dialect)
            return [
                """
                CREATE TABLE ledger_accounts (
                    account_key TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    owner TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    posted_minor \(bigint) NOT NULL,
                    held_minor \(bigint) NOT NULL,
                    overdraft_limit_minor \(bigint),
                    created_at \(bigint) NOT NULL
                )
                """,
                """
                CREATE TABLE ledger_postings (
                    id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    reference TEXT,
                    created_at \(bigint) NOT NULL
                )
                """,
                """
                CREATE TABLE ledger_entries (
                    id \(SchemaType.serialPrimaryKey(dialect)),
                    posting_id TEXT NOT NULL REFERENCES ledger_postings(id),
                    account_key TEXT NOT NULL REFERENCES ledger_accounts(account_key),
                    currency TEXT NOT NULL,
                    amount_minor \(bigint) NOT NULL,
                    created_at \(bigint) NOT NULL
                )
                """,
                "CREATE INDEX ledger_entries_by_account ON ledger_entries (account_key, created_at, id)",
                "CREATE INDEX ledger_entries_by_posting ON ledger_entries (posting_id)",
                """
                CREATE TABLE ledger_holds (
                    id TEXT PRIMARY KEY,
                    account_key TEXT NOT NULL REFERENCES ledger_accounts(account_key),
                    amount_minor \(bigint) NOT NULL,
                    status TEXT NOT NULL,
                    reference TEXT,
                    created_at \(bigint) NOT NULL,
                    updated_at \(bigint) NOT NULL
                )
                """,
                "CREATE INDEX ledger_holds_by_account ON ledger_holds (account_key, status)",
            ]
        }
    ]
}

extension Schema {
    /// A cheaper ledger layout (issue #4). Per posting the old one wrote a rowid row plus a TEXT primary-key
    /// index for the posting, two entries carrying the long TEXT account key and its currency, two entries
    /// in a per-account index keyed by that TEXT, and four foreign-key probes.
    ///
    /// Now: accounts get an integer surrogate id (the key stays unique), entries name their account by that
    /// id and take their currency from it, postings are one B-tree on SQLite (`WITHOUT ROWID`), and entries
    /// carry no foreign keys: the repository is their only writer and `LedgerAudit` reports any entry whose
    /// posting or account is missing. Tables are rebuilt (SQLite cannot add a primary key) and existing rows
    /// copied, entry ids kept so statements keep their order. `ledger_holds` is rebuilt only so that its
    /// foreign key follows the new accounts table.
    static let ledgerLayout: [Migration] = [
        Migration("1300_ledger_layout_v2") { dialect in
            ledgerLayoutTables(dialect) + ledgerLayoutCopies + [
                "DROP TABLE ledger_holds",
                "DROP TABLE ledger_entries",
                "DROP TABLE ledger_postings",
                "DROP TABLE ledger_accounts",
                "ALTER TABLE ledger_accounts_v2 RENAME TO ledger_accounts",
                "ALTER TABLE ledger_postings_v2 RENAME TO ledger_postings",
                "ALTER TABLE ledger_entries_v2 RENAME TO ledger_entries",
                "ALTER TABLE ledger_holds_v2 RENAME TO ledger_holds",
                "CREATE INDEX ledger_entries_by_account ON ledger_entries (account_id, created_at, id)",
                "CREATE INDEX ledger_holds_by_account ON ledger_holds (account_key, status)",
            ] + (dialect == .postgres ? ledgerLayoutPostgresNames : [])
        }
    ]

    /// PostgreSQL keeps the `_v2` names of constraints and identity sequences across a table rename; give
    /// them their usual names, and move the entries' identity past the ids copied explicitly.
    private static let ledgerLayoutPostgresNames = [
        "ALTER TABLE ledger_accounts RENAME CONSTRAINT ledger_accounts_v2_pkey TO ledger_accounts_pkey",
        "ALTER TABLE ledger_accounts RENAME CONSTRAINT ledger_accounts_v2_account_key_key TO ledger_accounts_account_key_key",
        "ALTER TABLE ledger_postings RENAME CONSTRAINT ledger_postings_v2_pkey TO ledger_postings_pkey",
        "ALTER TABLE ledger_entries RENAME CONSTRAINT ledger_entries_v2_pkey TO ledger_entries_pkey",
        "ALTER TABLE ledger_holds RENAME CONSTRAINT ledger_holds_v2_pkey TO ledger_holds_pkey",
        "ALTER TABLE ledger_holds RENAME CONSTRAINT ledger_holds_v2_account_key_fkey TO ledger_holds_account_key_fkey",
        "ALTER SEQUENCE ledger_accounts_v2_id_seq RENAME TO ledger_accounts_id_seq",
        "ALTER SEQUENCE ledger_entries_v2_id_seq RENAME TO ledger_entries_id_seq",
        "SELECT setval(pg_get_serial_sequence('ledger_entries', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM ledger_entries), false)",
    ]

    private static func ledgerLayoutTables(_ dialect: SQLDialect) -> [String] {
        let bigint = SchemaType.bigint(dialect)
        return [
            """
            CREATE TABLE ledger_accounts_v2 (
                id \(SchemaType.serialPrimaryKey(dialect)),
                account_key TEXT NOT NULL UNIQUE,
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
            CREATE TABLE ledger_postings_v2 (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                reference TEXT,
                created_at \(bigint) NOT NULL
            )\(dialect == .sqlite ? " WITHOUT ROWID" : "")
            """,
            """
            CREATE TABLE ledger_entries_v2 (
                id \(SchemaType.serialPrimaryKey(dialect)),
                posting_id TEXT NOT NULL,
                account_id \(bigint) NOT NULL,
                amount_minor \(bigint) NOT NULL,
                created_at \(bigint) NOT NULL
            )
            """,
            """
            CREATE TABLE ledger_holds_v2 (
                id TEXT PRIMARY KEY,
                account_key TEXT NOT NULL REFERENCES ledger_accounts_v2(account_key),
                amount_minor \(bigint) NOT NULL,
                status TEXT NOT NULL,
                reference TEXT,
                created_at \(bigint) NOT NULL,
                updated_at \(bigint) NOT NULL
            )
            """,
        ]
    }

    /// Copies in parent-first order; accounts get ids in creation order.
    private static let ledgerLayoutCopies = [
        """
        INSERT INTO ledger_accounts_v2 (account_key, kind, owner, currency, posted_minor, held_minor, overdraft_limit_minor, created_at)
        SELECT account_key, kind, owner, currency, posted_minor, held_minor, overdraft_limit_minor, created_at
        FROM ledger_accounts ORDER BY created_at, account_key
        """,
        "INSERT INTO ledger_postings_v2 (id, kind, reference, created_at) SELECT id, kind, reference, created_at FROM ledger_postings",
        """
        INSERT INTO ledger_entries_v2 (id, posting_id, account_id, amount_minor, created_at)
        SELECT e.id, e.posting_id, a.id, e.amount_minor, e.created_at
        FROM ledger_entries e JOIN ledger_accounts_v2 a ON a.account_key = e.account_key ORDER BY e.id
        """,
        """
        INSERT INTO ledger_holds_v2 (id, account_key, amount_minor, status, reference, created_at, updated_at)
        SELECT id, account_key, amount_minor, status, reference, created_at, updated_at FROM ledger_holds
        """,
    ]
}

extension Schema {
    /// Dashboard operators (people running the server, not partners or merchants) and their login sessions.
    /// Passwords are PBKDF2 hashes; sessions are kept only as the SHA-256 of the cookie's token.
    static let operators: [Migration] = [
        Migration("1100_dashboard_operators") { dialect in
            let bigint = SchemaType.bigint(dialect)
            return [
                """
                CREATE TABLE dashboard_operators (
                    id \(SchemaType.serialPrimaryKey(dialect)),
                    username TEXT NOT NULL UNIQUE,
                    password_hash TEXT NOT NULL,
                    created_at \(bigint) NOT NULL
                )
                """,
                """
                CREATE TABLE dashboard_sessions (
                    token_hash TEXT PRIMARY KEY,
                    operator_id \(bigint) NOT NULL REFERENCES dashboard_operators(id),
                    expires_at \(bigint) NOT NULL,
                    created_at \(bigint) NOT NULL
                )
                """,
                "CREATE INDEX dashboard_sessions_expiry ON dashboard_sessions (expires_at)",
            ]
        }
    ]
}

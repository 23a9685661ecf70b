extension Schema {
    /// Index maintenance on the ledger's hottest table. `ledger_entries_by_posting` served no query: every
    /// join reaches postings from entries (`p.id = e.posting_id`, the postings' primary key), the audit
    /// scans the whole table anyway, and nothing deletes postings while entries remain (the sandbox reset
    /// empties `ledger_entries` first). Dropping it saves one B-tree insert per entry row, two per posting.
    static let ledgerIndexes: [Migration] = [
        Migration("1200_ledger_entries_drop_by_posting") { _ in
            ["DROP INDEX IF EXISTS ledger_entries_by_posting"]
        }
    ]
}

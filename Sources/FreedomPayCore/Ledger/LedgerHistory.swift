import Foundation

/// One account's entries read from the journal: the part `LedgerHistoryIndexer` has indexed
/// (`ledger_account_history`, up to `indexed_seq`) plus the journal rows after it, so the answer is the
/// same whether the indexer is up to date or not. Only the requested page's postings are read in full.
struct LedgerHistory {
    enum Order { case oldestFirst, newestFirst }

    /// A statement line with its journal position.
    struct Line {
        let seq: Int64
        let entry: StatementEntry
    }

    let accountID: Int64

    /// Entries with `from <= created_at < to` (seconds), ordered by time then journal position, paged.
    func page(from: Int64, to: Int64, order: Order, limit: Int, offset: Int, in db: any SQLExecutor) async throws -> [Line] {
        let indexed = try await LedgerHistoryIndexer.progress(in: db)
        var candidates: [JournalText.Item] = []
        for row in try await db.query(
            """
            SELECT items FROM ledger_account_history
            WHERE account_id = ? AND first_seq <= ? AND max_at >= ? AND min_at < ? ORDER BY first_seq
            """, [.integer(accountID), .integer(indexed), .integer(from), .integer(to)]) {
            for item in try JournalText.items(try row.text("items")) where item.seq <= indexed && item.createdAt >= from && item.createdAt < to {
                candidates.append(item)
            }
        }
        var postings: [Int64: JournalPosting] = [:]
        // The tail's rows naming this account: its id starts the entries or follows a ';' (`JournalText`).
        for row in try await db.query(
            """
            SELECT seq, id, kind, reference, created_at, entries FROM ledger_journal
            WHERE seq > ? AND (entries LIKE ? OR entries LIKE ?) ORDER BY seq
            """, [.integer(indexed), .text("\(accountID):%"), .text("%;\(accountID):%")]) {
            let posting = try JournalPosting(row)
            guard posting.createdAt >= from, posting.createdAt < to else { continue }
            for entry in posting.entries where entry.accountID == accountID {
                candidates.append(JournalText.Item(seq: posting.seq, createdAt: posting.createdAt))
            }
            postings[posting.seq] = posting
        }
        // Stable: an account named twice in one posting keeps its entries' order.
        candidates = candidates.enumerated().sorted { left, right in
            (left.element.createdAt, left.element.seq, left.offset) < (right.element.createdAt, right.element.seq, right.offset)
        }.map(\.element)
        if order == .newestFirst { candidates.reverse() }
        let start = min(max(offset, 0), candidates.count)
        let pageItems = candidates[start..<min(start + max(limit, 0), candidates.count)]
        try await load(Set(pageItems.map(\.seq)).filter { postings[$0] == nil }, into: &postings, in: db)
        return try lines(for: pageItems, postings: postings, candidates: candidates, order: order)
    }

    private func load(_ seqs: Set<Int64>, into postings: inout [Int64: JournalPosting], in db: any SQLExecutor) async throws {
        let wanted = seqs.sorted()
        var start = 0
        while start < wanted.count {
            let chunk = wanted[start..<min(start + 500, wanted.count)]
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            for row in try await db.query(
                "SELECT seq, id, kind, reference, created_at, entries FROM ledger_journal WHERE seq IN (\(placeholders))", chunk.map { .integer($0) }) {
                let posting = try JournalPosting(row)
                postings[posting.seq] = posting
            }
            start += chunk.count
        }
    }

    /// The page's lines; the k-th occurrence of a position (in the account's own order) is the posting's
    /// k-th entry on this account.
    private func lines(
        for page: ArraySlice<JournalText.Item>, postings: [Int64: JournalPosting], candidates: [JournalText.Item], order: Order
    ) throws -> [Line] {
        var lines: [Line] = []
        lines.reserveCapacity(page.count)
        for index in page.indices {
            let item = page[index]
            guard let posting = postings[item.seq] else { throw StoreError.decoding("ledger history names journal position \(item.seq), which is missing") }
            let own = posting.entries.filter { $0.accountID == accountID }
            // Occurrences of this position before `index` in the account's oldest-first order.
            var occurrence = 0
            var probe = index - 1
            while probe >= 0, candidates[probe].seq == item.seq { occurrence += 1; probe -= 1 }
            let position = order == .oldestFirst ? occurrence : own.count - 1 - occurrence
            guard own.indices.contains(position) else {
                throw StoreError.decoding("ledger history lists account #\(accountID) at position \(item.seq) more often than its entries")
            }
            lines.append(Line(seq: item.seq, entry: StatementEntry(
                postingID: posting.id, kind: posting.kind, reference: posting.reference, amountMinor: own[position].amountMinor,
                createdAt: Date(timeIntervalSince1970: TimeInterval(posting.createdAt)))))
        }
        return lines
    }
}

/// A journal row decoded.
struct JournalPosting {
    let seq: Int64
    let id: String
    let kind: String
    let reference: String?
    let createdAt: Int64
    let entries: [JournalText.Entry]

    init(_ row: SQLRow) throws {
        seq = try row.int("seq")
        id = try row.text("id")
        kind = try row.text("kind")
        reference = row.optionalText("reference")
        createdAt = try row.int("created_at")
        entries = try JournalText.entries(try row.text("entries"))
    }
}

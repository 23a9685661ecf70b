import Foundation
import FreedomPayCore
import FreedomPayStore
import Testing

/// Migrations `1300_ledger_layout_v2` and `1400_ledger_journal` on every store: a ledger written in the
/// oldest layout (TEXT account keys on entries, foreign keys) keeps its balances, turnover, statements,
/// holds and audit findings, and takes new postings afterwards. Also the audit's checks for journal rows
/// the repository never writes.
@Suite struct LedgerLayoutMigrationTests {
    let ledger = LedgerRepository()
    let card1 = AccountKey.card("c1", .kzt)
    let card2 = AccountKey.card("c2", .kzt)
    let world = AccountKey.external(.kzt)
    let usdCard = AccountKey.card("c3", .usd)
    let usdWorld = AccountKey.external(.usd)
    /// Stored total off from its entries on purpose: the audit must report it before and after.
    let broken = AccountKey.card("broken", .kzt)

    static let beforeLayout = Array(Schema.migrations.prefix { $0.id != "1300_ledger_layout_v2" })

    @Test(arguments: StoreKind.available)
    func oldLedgerKeepsBalancesStatementsAndAuditAndTakesNewPostings(kind: StoreKind) async throws {
        #expect(Schema.migrations.dropFirst(Self.beforeLayout.count).map(\.id) == ["1300_ledger_layout_v2", "1400_ledger_journal"])
        let fixture = try await StoreFixture.make(kind, migrations: Self.beforeLayout)
        let store = fixture.store
        defer { Task { await fixture.tearDown() } }
        try await store.write { db in try await writeOldLayoutLedger(in: db) }
        let accounts = [card1, card2, world, usdCard, usdWorld, broken]
        let before = try await store.read { db in try await oldLayoutState(of: accounts, in: db) }

        try await Schema.migrate(store)

        for (account, expected) in zip(accounts, before) {
            let (balance, entries) = try await store.read { db in
                (try await ledger.balance(of: account, in: db),
                 try await ledger.entries(of: account, from: .distantPast, to: .distantFuture, limit: 1000, in: db))
            }
            #expect(balance.postedMinor == expected.posted && balance.heldMinor == expected.held, "\(account)")
            #expect(entries.map(Self.line) == expected.statement, "\(account)")
        }
        let turnover = try await store.read { db in try await ledger.turnover(of: card1, in: db) }
        #expect(turnover.debitedMinor == 2_500 && turnover.creditedMinor == 10_000 + 40 + 5)
        // Statement order is (created_at, id): c1's late-inserted but early-dated entry stays first.
        #expect(before[0].statement.map { $0.prefix { $0 != "|" } } == ["early", "fund1", "move", "refund"])
        let audit = try await store.read { db in try await LedgerAudit().violations(in: db) }
        #expect(audit == [.postedMismatch(account: broken.storageKey, storedMinor: 7, entriesMinor: 0)])

        // The migrated ledger takes postings (entry ids continue past the copied ones) and hold changes.
        try await store.write { db in
            try await ledger.post(try Posting.transfer(id: "after", kind: "card.debit", amountMinor: 100, from: card1, to: world), in: db)
            try await ledger.releaseHold(id: "h1", in: db)
            try await ledger.openAccount(AccountKey.card("c4", .kzt), in: db)
        }
        let (after, entries) = try await store.read { db in
            (try await ledger.balance(of: card1, in: db),
             try await ledger.entries(of: card1, from: .distantPast, to: .distantFuture, limit: 1000, in: db))
        }
        #expect(after.postedMinor == before[0].posted - 100 && after.heldMinor == 0)
        #expect(entries.map(\.postingID) == ["early", "fund1", "move", "refund", "after"])
        await #expect(throws: LedgerError.duplicatePosting("move")) {
            try await store.write { db in
                try await ledger.post(try Posting.transfer(id: "move", kind: "x", amountMinor: 1, from: world, to: card2), in: db)
            }
        }
        #expect(try await store.read { db in try await LedgerAudit().violations(in: db) }.count == 1)
    }

    @Test(arguments: StoreKind.available)
    func auditReportsJournalRowsTheRepositoryNeverWrites(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store
        defer { Task { await fixture.tearDown() } }
        try await store.write { db in
            try await ledger.openAccount(card1, in: db)
            try await ledger.post(try Posting.transfer(id: "fund", kind: "card.credit", amountMinor: 500, from: world, to: card1), in: db)
        }
        try await LedgerHistoryIndexer().catchUp(in: store)
        #expect(try await store.read { db in try await LedgerAudit().violations(in: db) }.isEmpty)
        let account = try await store.read { db in
            try #require(try await db.queryOne("SELECT id FROM ledger_accounts WHERE account_key = ?", [.text(card1.storageKey)])).int("id")
        }
        // Zero amounts, so only the missing account, the unreadable entries and the extra history line are wrong.
        let (ghost, garbage) = try await store.write { db in
            let insert = "INSERT INTO ledger_journal (id, kind, reference, created_at, entries) VALUES (?, 'x', NULL, 0, ?) RETURNING seq"
            let ghost = try #require(try await db.queryOne(insert, [.text("ghost"), .text("\(account):0;987654:0")])).int("seq")
            let garbage = try #require(try await db.queryOne(insert, [.text("garbage"), .text("12:x")])).int("seq")
            try await db.execute(
                "INSERT INTO ledger_account_history (account_id, first_seq, last_seq, min_at, max_at, items) VALUES (?, 0, 1, 0, 0, '1:0')",
                [.integer(account)])
            return (ghost, garbage)
        }
        let violations = try await store.read { db in try await LedgerAudit().violations(in: db) }
        #expect(violations == [
            .orphanEntry(seq: ghost, postingID: "ghost", accountID: 987_654),
            .malformedPosting(seq: garbage, postingID: "garbage"),
            .historyMismatch(account: card1.storageKey, listed: 2, journal: 1),
        ])
        #expect(violations.first?.description.contains("987654") == true)
    }

    // MARK: The old layout, written by raw SQL as the previous version stored it

    private func writeOldLayoutLedger(in db: any SQLExecutor) async throws {
        let accounts: [(AccountKey, Int64?)] = [(card1, 0), (card2, 0), (world, nil), (usdCard, 0), (usdWorld, nil), (broken, 0)]
        for (account, limit) in accounts {
            try await db.execute(
                """
                INSERT INTO ledger_accounts (account_key, kind, owner, currency, posted_minor, held_minor, overdraft_limit_minor, created_at)
                VALUES (?, ?, ?, ?, 0, 0, ?, 10)
                """, [.text(account.storageKey), .text(account.kind.rawValue), .text(account.owner), .text(account.currency.code), SQLValue(limit)])
        }
        try await oldPosting("fund1", "card.credit", at: 100, [(world, -10_000), (card1, 10_000)], in: db)
        try await oldPosting("fund2", "card.credit", at: 100, [(world, -3_000), (card2, 3_000)], in: db)
        try await oldPosting("move", "card.transfer", at: 200, [(card1, -2_500), (card2, 2_500)], in: db)
        try await oldPosting("usd", "card.credit", at: 250, [(usdWorld, -900), (usdCard, 900)], in: db)
        try await oldPosting("refund", "card.refund", at: 300, [(world, -40), (card1, 40)], in: db)
        // Inserted last, dated first.
        try await oldPosting("early", "card.credit", at: 50, [(world, -5), (card1, 5)], in: db)
        try await db.execute("UPDATE ledger_accounts SET posted_minor = 7 WHERE account_key = ?", [.text(broken.storageKey)])
        try await db.execute(
            "INSERT INTO ledger_holds (id, account_key, amount_minor, status, reference, created_at, updated_at) VALUES ('h1', ?, 300, 'active', 't1', 400, 400)",
            [.text(card1.storageKey)])
        try await db.execute(
            "INSERT INTO ledger_holds (id, account_key, amount_minor, status, reference, created_at, updated_at) VALUES ('h0', ?, 99, 'released', NULL, 90, 95)",
            [.text(card2.storageKey)])
        try await db.execute("UPDATE ledger_accounts SET held_minor = 300 WHERE account_key = ?", [.text(card1.storageKey)])
    }

    private func oldPosting(_ id: String, _ kind: String, at time: Int64, _ entries: [(AccountKey, Int64)], in db: any SQLExecutor) async throws {
        try await db.execute(
            "INSERT INTO ledger_postings (id, kind, reference, created_at) VALUES (?, ?, ?, ?)", [.text(id), .text(kind), .text("ref-\(id)"), .integer(time)])
        for (account, amount) in entries {
            try await db.execute(
                "INSERT INTO ledger_entries (posting_id, account_key, currency, amount_minor, created_at) VALUES (?, ?, ?, ?, ?)",
                [.text(id), .text(account.storageKey), .text(account.currency.code), .integer(amount), .integer(time)])
            try await db.execute(
                "UPDATE ledger_accounts SET posted_minor = posted_minor + ? WHERE account_key = ?", [.integer(amount), .text(account.storageKey)])
        }
    }

    /// A statement line in one comparable string: posting, kind, reference, amount, time.
    static func line(_ entry: StatementEntry) -> String {
        [entry.postingID, entry.kind, entry.reference ?? "-", String(entry.amountMinor), String(Int64(entry.createdAt.timeIntervalSince1970))]
            .joined(separator: "|")
    }

    /// Balances and full statements as the previous version's queries read them.
    private func oldLayoutState(of accounts: [AccountKey], in db: any SQLExecutor) async throws -> [(posted: Int64, held: Int64, statement: [String])] {
        var states: [(posted: Int64, held: Int64, statement: [String])] = []
        for account in accounts {
            let row = try #require(try await db.queryOne(
                "SELECT posted_minor, held_minor FROM ledger_accounts WHERE account_key = ?", [.text(account.storageKey)]))
            let statement = try await db.query(
                """
                SELECT e.posting_id, p.kind, p.reference, e.amount_minor, e.created_at
                FROM ledger_entries e JOIN ledger_postings p ON p.id = e.posting_id
                WHERE e.account_key = ? ORDER BY e.created_at, e.id
                """, [.text(account.storageKey)]
            ).map { row in
                [try row.text("posting_id"), try row.text("kind"), row.optionalText("reference") ?? "-", String(try row.int("amount_minor")),
                 String(try row.int("created_at"))].joined(separator: "|")
            }
            states.append((try row.int("posted_minor"), try row.int("held_minor"), statement))
        }
        return states
    }
}

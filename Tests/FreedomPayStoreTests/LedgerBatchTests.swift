import Foundation
import FreedomPayCore
import FreedomPayStore
import Testing

/// `LedgerRepository.post(_ postings:)` (the bulk path) on every store: same balances and entries as
/// posting one by one, checked against running balances, and all or nothing.
@Suite struct LedgerBatchTests {
    let ledger = LedgerRepository()
    let world = AccountKey.external(.kzt)

    private func openCards(_ count: Int, in store: any Store) async throws -> [AccountKey] {
        let cards = (0..<count).map { AccountKey.card("b\($0)", .kzt) }
        try await store.write { db in for card in cards { try await ledger.openAccount(card, in: db) } }
        return cards
    }

    @Test(arguments: StoreKind.available)
    func batchMatchesOneByOnePostingAndKeepsInvariants(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store
        defer { Task { await fixture.tearDown() } }
        let cards = try await openCards(5, in: store)
        // 450 postings: more than one multi-row INSERT chunk; funding first, then transfers that only
        // succeed if each posting sees the balances the earlier ones in the batch left.
        var postings = try cards.enumerated().map { index, card in
            try Posting.transfer(id: "fund-\(index)", kind: "card.credit", amountMinor: 1_000, from: world, to: card)
        }
        for number in 0..<445 {
            postings.append(try Posting.transfer(
                id: "t\(number)", kind: "bench", amountMinor: 7, from: cards[number % 5], to: cards[(number + 1) % 5]))
        }
        postings.append(try Posting(id: "spend-all", kind: "card.debit", entries: [
            LedgerEntry(cards[0], -1_000), LedgerEntry(world, 1_000),
        ]))
        let batch = postings
        try await store.write { db in try await ledger.post(batch, in: db) }

        let balances = try await store.read { db in
            var found: [Int64] = []
            for card in cards { found.append(try await ledger.balance(of: card, in: db).postedMinor) }
            return found
        }
        #expect(balances == [0, 1_000, 1_000, 1_000, 1_000])
        let entries = try await store.read { db in try await ledger.entries(of: cards[1], from: .distantPast, to: .distantFuture, limit: 1000, in: db) }
        #expect(entries.count == 1 + 89 + 89)
        #expect(entries.reduce(0) { $0 + $1.amountMinor } == 1_000)
        #expect(try await store.read { db in try await LedgerAudit().violations(in: db) }.isEmpty)
    }

    @Test(arguments: StoreKind.available)
    func oneOverdrawingPostingRefusesTheWholeBatch(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store
        defer { Task { await fixture.tearDown() } }
        let cards = try await openCards(2, in: store)
        try await store.write { db in
            try await ledger.post(try Posting.transfer(id: "fund", kind: "card.credit", amountMinor: 100, from: world, to: cards[0]), in: db)
        }
        let batch = [
            try Posting.transfer(id: "ok", kind: "bench", amountMinor: 60, from: cards[0], to: cards[1]),
            try Posting.transfer(id: "too-much", kind: "bench", amountMinor: 41, from: cards[0], to: cards[1]),
        ]
        await #expect(throws: LedgerError.insufficientFunds(account: cards[0].storageKey, availableMinor: 40, requestedMinor: 41)) {
            try await store.write { db in try await ledger.post(batch, in: db) }
        }
        let (first, second, postings) = try await store.read { db in
            (try await ledger.balance(of: cards[0], in: db).postedMinor, try await ledger.balance(of: cards[1], in: db).postedMinor,
             try await db.queryOne("SELECT COUNT(*) AS n FROM ledger_journal", [])?.int("n"))
        }
        #expect(first == 100)
        #expect(second == 0)
        #expect(postings == 1)
    }

    @Test(arguments: StoreKind.available)
    func duplicateIdsAndUnknownAccountsAreRefused(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store
        defer { Task { await fixture.tearDown() } }
        let cards = try await openCards(1, in: store)
        let fund = try Posting.transfer(id: "fund", kind: "card.credit", amountMinor: 100, from: world, to: cards[0])
        await #expect(throws: LedgerError.duplicatePosting("fund")) {
            try await store.write { db in try await ledger.post([fund, fund], in: db) }
        }
        try await store.write { db in try await ledger.post([fund], in: db) }
        await #expect(throws: LedgerError.duplicatePosting("fund")) {
            try await store.write { db in try await ledger.post([fund], in: db) }
        }
        let stranger = AccountKey.card("never-opened", .kzt)
        await #expect(throws: LedgerError.unknownAccount(stranger.storageKey)) {
            try await store.write { db in
                try await ledger.post([try Posting.transfer(id: "x", kind: "bench", amountMinor: 1, from: world, to: stranger)], in: db)
            }
        }
        #expect(try await store.read { db in try await ledger.balance(of: cards[0], in: db).postedMinor } == 100)
    }

    /// An account named twice in one posting is checked on its net change, as posting it alone would.
    @Test(arguments: StoreKind.available)
    func anAccountNamedTwiceInAPostingIsCheckedOnItsNetChange(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store
        defer { Task { await fixture.tearDown() } }
        let cards = try await openCards(2, in: store)
        let fund = try Posting.transfer(id: "fund", kind: "card.credit", amountMinor: 100, from: world, to: cards[0])
        // -600 alone would overdraw; with +500 on the same account the net -100 is exactly what is there.
        let net = try Posting(id: "net", kind: "bench", entries: [
            LedgerEntry(cards[0], -600), LedgerEntry(cards[1], 100), LedgerEntry(cards[0], 500),
        ])
        try await store.write { db in try await ledger.post([fund, net], in: db) }
        let tooMuch = try Posting(id: "too-much", kind: "bench", entries: [
            LedgerEntry(cards[1], -300), LedgerEntry(cards[0], 199), LedgerEntry(cards[1], 199), LedgerEntry(world, -98),
        ])
        await #expect(throws: LedgerError.insufficientFunds(account: cards[1].storageKey, availableMinor: 100, requestedMinor: 101)) {
            try await store.write { db in try await ledger.post([tooMuch], in: db) }
        }
        let balances = try await store.read { db in
            (try await ledger.balance(of: cards[0], in: db).postedMinor, try await ledger.balance(of: cards[1], in: db).postedMinor)
        }
        #expect(balances == (0, 100))
        let entries = try await store.read { db in try await ledger.entries(of: cards[0], from: .distantPast, to: .distantFuture, in: db) }
        #expect(entries.map(\.amountMinor) == [100, -600, 500])
        #expect(try await store.read { db in try await LedgerAudit().violations(in: db) }.isEmpty)
    }
}

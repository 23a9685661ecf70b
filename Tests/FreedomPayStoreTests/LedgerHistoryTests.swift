import Foundation
import Synchronization
import FreedomPayCore
import FreedomPayStore
import Testing

/// Statements read from the journal on every store: the same answer before, during and after the history
/// index catches up (indexed part + unindexed tail), paging across that boundary, accounts named twice in
/// one posting, and the indexer never skipping a posting that commits after a later one.
@Suite struct LedgerHistoryTests {
    let ledger = LedgerRepository()
    let world = AccountKey.external(.kzt)
    let card = AccountKey.card("h1", .kzt)
    let other = AccountKey.card("h2", .kzt)

    private func statement(_ account: AccountKey, limit: Int = 1000, offset: Int = 0, in store: any Store) async throws -> [String] {
        try await store.read { db in
            try await ledger.entries(of: account, from: .distantPast, to: .distantFuture, limit: limit, offset: offset, in: db)
        }.map { "\($0.postingID):\($0.amountMinor)" }
    }

    @Test(arguments: StoreKind.available)
    func statementsAreTheSameBeforeDuringAndAfterIndexing(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store
        defer { Task { await fixture.tearDown() } }
        try await store.write { db in for account in [card, other] { try await ledger.openAccount(account, in: db) } }
        for number in 0..<30 {
            try await store.write { db in
                try await ledger.post(try Posting.transfer(id: "f\(number)", kind: "card.credit", amountMinor: Int64(100 + number), from: world, to: card), in: db)
                if number % 3 == 0 {
                    // The card twice in one posting: both entries are statement lines, in entry order.
                    try await ledger.post(try Posting(id: "s\(number)", kind: "split", entries: [
                        LedgerEntry(card, -10), LedgerEntry(other, 15), LedgerEntry(card, -5),
                    ]), in: db)
                }
            }
            if number == 11 { try await LedgerHistoryIndexer().indexPending(in: store, maxPostings: 7) }
        }
        let expected = (0..<30).flatMap { number in
            ["f\(number):\(100 + number)"] + (number % 3 == 0 ? ["s\(number):-10", "s\(number):-5"] : [])
        }
        #expect(try await statement(card, in: store) == expected, "7 postings indexed, the rest read from the tail")
        // Pages straddle the indexed part and the tail.
        var paged: [String] = []
        for page in 0..<8 { paged += try await statement(card, limit: 7, offset: page * 7, in: store) }
        #expect(paged == expected)

        try await LedgerHistoryIndexer().catchUp(in: store)
        #expect(try await LedgerHistoryIndexer().indexPending(in: store) == 0)
        #expect(try await statement(card, in: store) == expected, "all indexed")
        #expect(try await statement(other, in: store) == stride(from: 0, to: 30, by: 3).map { "s\($0):15" })
        #expect(try await statement(card, limit: 3, offset: 45, in: store) == Array(expected[45...47]))
        #expect(try await store.read { db in try await LedgerAudit().violations(in: db) } == [])
    }

    @Test(arguments: StoreKind.available)
    func dateRangeFiltersIndexedAndTailEntriesAlike(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store
        defer { Task { await fixture.tearDown() } }
        let clock = ManualClock(frozenAt: Date(timeIntervalSince1970: 1_700_000_000))
        let ledger = LedgerRepository(clock: clock)
        try await store.write { db in try await ledger.openAccount(card, in: db) }
        for day in 0..<6 {
            try await store.write { db in
                try await ledger.post(try Posting.transfer(id: "d\(day)", kind: "card.credit", amountMinor: 1, from: world, to: card), in: db)
            }
            clock.advance(by: 86_400)
            if day == 2 { try await LedgerHistoryIndexer().catchUp(in: store) }
        }
        let from = Date(timeIntervalSince1970: 1_700_000_000 + 86_400)
        let to = Date(timeIntervalSince1970: 1_700_000_000 + 4 * 86_400)
        let ids = try await store.read { db in try await ledger.entries(of: card, from: from, to: to, in: db) }.map(\.postingID)
        #expect(ids == ["d1", "d2", "d3"])
    }

    /// The unindexed tail is searched by account id inside the entries text: account 2 must not match 12,
    /// 21 or 22.
    @Test(arguments: StoreKind.available)
    func tailSearchMatchesWholeAccountIDsOnly(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store
        defer { Task { await fixture.tearDown() } }
        let ledger = self.ledger, world = self.world
        let cards = (0..<25).map { AccountKey.card("t\($0)", .kzt) }
        try await store.write { db in
            for card in cards { try await ledger.openAccount(card, in: db) }
            for (index, card) in cards.enumerated() {
                try await ledger.post(try Posting.transfer(id: "fund-\(index)", kind: "card.credit", amountMinor: 100, from: world, to: card), in: db)
            }
            for index in 1..<25 {
                try await ledger.post(try Posting.transfer(id: "move-\(index)", kind: "move", amountMinor: 1, from: cards[index], to: cards[index - 1]), in: db)
            }
        }
        for (index, card) in cards.enumerated() {
            var expected = ["fund-\(index):100"]
            if index > 0 { expected.append("move-\(index):-1") }
            if index < 24 { expected.append("move-\(index + 1):1") }
            #expect(try await statement(card, in: store) == expected, "\(card)")
        }
    }

    /// A sandbox reset empties the journal (SQLite then hands out positions from 1 again): the index starts
    /// over with it, so postings after the reset are neither hidden behind the old mark nor mixed with old lines.
    @Test(arguments: StoreKind.available)
    func afterASandboxResetStatementsShowOnlyNewPostings(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store
        defer { Task { await fixture.tearDown() } }
        let ledger = self.ledger, world = self.world, card = self.card
        for round in ["old", "new"] {
            try await store.write { db in
                try await ledger.openAccount(card, in: db)
                for number in 0..<5 {
                    try await ledger.post(try Posting.transfer(id: "\(round)\(number)", kind: "card.credit", amountMinor: 1, from: world, to: card), in: db)
                }
            }
            if round == "old" {
                try await LedgerHistoryIndexer().catchUp(in: store)
                try await store.write { db in try await SandboxReset().wipe(in: db) }
            }
        }
        #expect(try await statement(card, in: store) == (0..<5).map { "new\($0):1" }, "before indexing")
        try await LedgerHistoryIndexer().catchUp(in: store)
        #expect(try await statement(card, in: store) == (0..<5).map { "new\($0):1" }, "after indexing")
        #expect(try await store.read { db in try await LedgerAudit().violations(in: db) } == [])
    }

    /// A refused posting can burn a journal position (PostgreSQL identities are not rolled back): the
    /// indexer passes over the gap instead of stopping at it.
    @Test(arguments: StoreKind.available)
    func theIndexerPassesOverPositionsOfRefusedPostings(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store
        defer { Task { await fixture.tearDown() } }
        let ledger = self.ledger, world = self.world, card = self.card
        try await store.write { db in try await ledger.openAccount(card, in: db) }
        for id in ["one", "one", "two"] {
            _ = try? await store.write { db in
                try await ledger.post(try Posting.transfer(id: id, kind: "card.credit", amountMinor: 1, from: world, to: card), in: db)
            }
        }
        // One position per run: on PostgreSQL the second run covers only the burnt position.
        for _ in 0..<3 { try await LedgerHistoryIndexer().indexPending(in: store, maxPostings: 1) }
        let unindexed = try await store.read { db in
            try await db.queryOne(
                "SELECT COUNT(*) AS n FROM ledger_journal WHERE seq > (SELECT indexed_seq FROM ledger_history_progress WHERE id = 1)", [])?.int("n")
        }
        #expect(unindexed == 0)
        #expect(try await statement(card, in: store) == ["one:1", "two:1"])
        #expect(try await store.read { db in try await LedgerAudit().violations(in: db) } == [])
    }

    /// On PostgreSQL a posting transaction can commit a lower journal position after another transaction
    /// committed a higher one. Forced here: A takes a position and stays open until B (later position,
    /// other accounts) has committed and an indexer run has finished, or 300 ms have passed. The indexer
    /// must wait for A (else it skips A's posting for good); on SQLite B simply queues behind A.
    @Test(arguments: StoreKind.available)
    func aPositionCommittedAfterAHigherOneIsStillIndexed(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store
        defer { Task { await fixture.tearDown() } }
        let ledger = self.ledger, world = self.world, card = self.card, other = self.other
        let usdCard = AccountKey.card("b", .usd)
        try await store.write { db in for account in [card, other, usdCard] { try await ledger.openAccount(account, in: db) } }
        let bCommitted = Flag(), indexerRan = Flag(), aHasPosition = Flag()
        async let a: Void = store.write { db in
            try await ledger.post(try Posting.transfer(id: "A", kind: "card.credit", amountMinor: 1, from: world, to: card), in: db)
            aHasPosition.set()
            await bCommitted.wait(upTo: .milliseconds(300))
            await indexerRan.wait(upTo: .milliseconds(300))
        }
        await aHasPosition.wait(upTo: .seconds(5))
        // B shares no account (so no row lock) with A.
        try await store.write { db in
            try await ledger.post(try Posting.transfer(id: "B", kind: "card.credit", amountMinor: 5, from: AccountKey.external(.usd), to: usdCard), in: db)
        }
        bCommitted.set()
        try await LedgerHistoryIndexer().indexPending(in: store)
        indexerRan.set()
        try await a
        try await LedgerHistoryIndexer().catchUp(in: store)
        #expect(try await store.read { db in try await LedgerAudit().violations(in: db) } == [], "every indexed entry listed once")
        #expect(try await statement(card, in: store) == ["A:1"])
    }
}

/// A one-way signal for the interleaving above.
private final class Flag: Sendable {
    private let raised = Mutex(false)

    func set() { raised.withLock { $0 = true } }

    func wait(upTo limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        while !raised.withLock({ $0 }), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(2)) }
    }
}

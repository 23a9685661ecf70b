import Foundation
import FreedomPayCore
import FreedomPayStore
import Testing

/// The ledger against every store (SQLite and PostgreSQL): postings, holds, statements and the invariants
/// under concurrency. The same test functions run on both engines.
@Suite struct LedgerStoreTests {
    let ledger = LedgerRepository()
    let world = AccountKey.external(.kzt)

    @Test(arguments: StoreKind.available)
    func creditThenDebitMovesBalancesAndKeepsInvariants(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store
        defer { Task { await fixture.tearDown() } }
        let card = AccountKey.card("c1", .kzt)
        try await store.write { db in
            try await ledger.openAccount(card, in: db)
            try await ledger.post(try Posting.transfer(id: "fund", kind: "card.credit", amountMinor: 10_000, from: world, to: card), in: db)
            try await ledger.post(try Posting.transfer(id: "pay", kind: "card.debit", amountMinor: 2_500, from: card, to: world), in: db)
        }
        let balance = try await store.read { db in try await ledger.balance(of: card, in: db) }
        #expect(balance.postedMinor == 7_500)
        #expect(balance.availableMinor == 7_500)
        let violations = try await store.read { db in try await LedgerAudit().violations(in: db) }
        #expect(violations.isEmpty)
    }

    @Test(arguments: StoreKind.available)
    func overdraftIsRefusedAndNothingIsWritten(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store
        defer { Task { await fixture.tearDown() } }
        let card = AccountKey.card("c1", .kzt)
        try await store.write { db in
            try await ledger.openAccount(card, in: db)
            try await ledger.post(try Posting.transfer(id: "fund", kind: "card.credit", amountMinor: 100, from: world, to: card), in: db)
        }
        await #expect(throws: LedgerError.insufficientFunds(account: card.storageKey, availableMinor: 100, requestedMinor: 101)) {
            try await store.write { db in
                try await ledger.post(try Posting.transfer(id: "too-much", kind: "card.debit", amountMinor: 101, from: card, to: world), in: db)
            }
        }
        let (balance, entries) = try await store.read { db in
            (try await ledger.balance(of: card, in: db), try await ledger.entries(of: card, from: .distantPast, to: .distantFuture, in: db))
        }
        #expect(balance.postedMinor == 100)
        #expect(entries.map(\.postingID) == ["fund"])
    }

    @Test(arguments: StoreKind.available)
    func holdsReduceAvailableAndCapturePartially(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store
        defer { Task { await fixture.tearDown() } }
        let card = AccountKey.card("c1", .kzt)
        let merchant = AccountKey.merchant(MerchantID(rawValue: 7), .kzt)
        try await store.write { db in
            try await ledger.openAccount(card, in: db)
            try await ledger.openAccount(merchant, in: db)
            try await ledger.post(try Posting.transfer(id: "fund", kind: "card.credit", amountMinor: 1_000, from: world, to: card), in: db)
            _ = try await ledger.placeHold(id: "h1", account: card, amountMinor: 800, reference: "t1", in: db)
        }
        var balance = try await store.read { db in try await ledger.balance(of: card, in: db) }
        #expect(balance.availableMinor == 200)
        #expect(balance.heldMinor == 800)
        await #expect(throws: LedgerError.self) {
            try await store.write { db in _ = try await ledger.placeHold(id: "h2", account: card, amountMinor: 201, reference: nil, in: db) }
        }
        try await store.write { db in
            try await ledger.captureHold(id: "h1", amountMinor: 500, to: merchant, postingID: "cap", kind: "clearing", in: db)
        }
        balance = try await store.read { db in try await ledger.balance(of: card, in: db) }
        #expect(balance.postedMinor == 500)
        #expect(balance.heldMinor == 0)
        #expect(balance.availableMinor == 500)
        await #expect(throws: LedgerError.holdNotActive("h1", status: "captured")) {
            try await store.write { db in try await ledger.releaseHold(id: "h1", in: db) }
        }
        #expect(try await store.read { db in try await LedgerAudit().violations(in: db) }.isEmpty)
    }

    @Test(arguments: StoreKind.available)
    func aPostingIDIsWrittenOnce(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store
        defer { Task { await fixture.tearDown() } }
        let card = AccountKey.card("c1", .kzt)
        let posting = try Posting.transfer(id: "once", kind: "card.credit", amountMinor: 5, from: world, to: card)
        try await store.write { db in
            try await ledger.openAccount(card, in: db)
            try await ledger.post(posting, in: db)
        }
        await #expect(throws: LedgerError.duplicatePosting("once")) {
            try await store.write { db in try await ledger.post(posting, in: db) }
        }
        #expect(try await store.read { db in try await ledger.balance(of: card, in: db) }.postedMinor == 5)
    }

    /// 32 tasks × 60 random operations on 8 shared cards: no lost update, no overdraft, every posting
    /// balanced, every account's totals equal to its entries and holds.
    @Test(arguments: StoreKind.available)
    func concurrentRandomOperationsKeepEveryInvariant(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store
        defer { Task { await fixture.tearDown() } }
        let cards = (0..<8).map { AccountKey.card("card-\($0)", .kzt) }
        let merchant = AccountKey.merchant(MerchantID(rawValue: 1), .kzt)
        try await store.write { db in
            for card in cards { try await ledger.openAccount(card, in: db) }
            try await ledger.openAccount(merchant, in: db)
        }
        let refused = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<32 {
                group.addTask { try await Self.randomOperations(task: task, store: store, cards: cards, merchant: merchant) }
            }
            return try await group.reduce(0, +)
        }
        let violations = try await store.read { db in try await LedgerAudit().violations(in: db) }
        #expect(violations.isEmpty, "\(violations)")
        for card in cards {
            let balance = try await store.read { db in try await ledger.balance(of: card, in: db) }
            #expect(balance.availableMinor >= 0)
            let entries = try await store.read { db in try await ledger.entries(of: card, from: .distantPast, to: .distantFuture, limit: 1000, in: db) }
            #expect(entries.map(\.amountMinor).reduce(0, +) == balance.postedMinor)
        }
        #expect(refused < 32 * 60)
    }

    /// One client's share of the concurrency test; returns how many operations were refused for funds.
    static func randomOperations(task: Int, store: any Store, cards: [AccountKey], merchant: AccountKey) async throws -> Int {
        let ledger = LedgerRepository()
        let world = AccountKey.external(.kzt)
        var generator = SystemRandomNumberGenerator()
        var refusals = 0
        for step in 0..<60 {
            let card = cards.randomElement(using: &generator)!
            let amount = Int64.random(in: 1...5_000, using: &generator)
            let operation = Int.random(in: 0..<4, using: &generator)
            let id = "t\(task)-\(step)"
            do {
                try await store.write { db in
                    switch operation {
                    case 0:
                        try await ledger.post(try Posting.transfer(id: id, kind: "credit", amountMinor: amount, from: world, to: card), in: db)
                    case 1:
                        try await ledger.post(try Posting.transfer(id: id, kind: "debit", amountMinor: amount, from: card, to: world), in: db)
                    case 2:
                        _ = try await ledger.placeHold(id: id, account: card, amountMinor: amount, reference: nil, in: db)
                        try await ledger.captureHold(id: id, amountMinor: amount / 2 + 1, to: merchant, postingID: id, kind: "clearing", in: db)
                    default:
                        _ = try await ledger.placeHold(id: id, account: card, amountMinor: amount, reference: nil, in: db)
                    }
                }
            } catch LedgerError.insufficientFunds {
                refusals += 1
            }
        }
        return refusals
    }
}

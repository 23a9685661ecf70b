import Foundation
import FreedomPayCore
import FreedomPayStore
import Testing

/// Issue 4's concurrency check: 32 tasks of random debits, credits, clearings and refunds on 20 shared cards,
/// then every ledger invariant, every card's balance against its entries and statement, and every
/// transaction's amounts. SQLite runs the full 32 × 500; PostgreSQL a lighter 32 × 60.
@Suite struct TransactionConcurrencyTests {
    static let tasks = 32

    static func operationsPerTask(_ kind: StoreKind) -> Int {
        if let text = ProcessInfo.processInfo.environment["FREEDOMPAY_STRESS_OPS"], let count = Int(text) { return count }
        return kind == .sqlite ? 500 : 60
    }

    @Test(arguments: StoreKind.available)
    func randomTransactionsOnSharedCardsKeepEveryInvariant(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        defer { Task { await fixture.tearDown() } }
        let store = fixture.store
        let secrets = SecretBox(current: .generate())
        let partner = try await store.write { db in try await CredentialsRepository(secrets: secrets).createPartner(name: "stress", in: db) }
        let cardService = CardService(secrets: secrets)
        let cards = try await store.write { db -> [String] in
            let ids = try await cardService.issue(.init(kind: .bulk, productID: 2000, count: 20), partner: partner.id, now: Date(), in: db)
            for id in ids { _ = try await cardService.apply(.activate, card: id, reason: nil, partner: partner.id, now: Date(), in: db) }
            return ids.map(\.rawValue)
        }
        let service = TransactionService(directory: PaymentCardDirectory(), limits: CardDebitLimits())
        let perTask = Self.operationsPerTask(kind)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<Self.tasks {
                group.addTask { try await Self.randomWork(task: task, count: perTask, cards: cards, partner: partner.id, service: service, store: store) }
            }
            try await group.waitForAll()
        }

        let violations = try await store.read { db in try await LedgerAudit().violations(in: db) }
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        let now = Date()
        for card in cards {
            let statement = try await store.write { db in
                try await cardService.statement(
                    of: CardID(rawValue: card), partner: partner.id, from: .distantPast, to: now.addingTimeInterval(60), page: 1, perPage: 1000,
                    now: now, in: db)
            }
            let balance = statement.balance.balance
            #expect(balance.availableMinor >= 0, "card \(card) is overdrawn")
            let signed = statement.operations.reduce(Int64(0)) { total, line in
                total + (line.type == "pay" || line.type == "withdrawal" ? -line.amount.minorUnits : line.amount.minorUnits)
            }
            #expect(signed == balance.postedMinor, "card \(card): statement sums to \(signed), balance is \(balance.postedMinor)")
            #expect(statement.authorizations.reduce(0) { $0 + $1.amount.minorUnits } == balance.heldMinor)
        }
        let broken = try await store.read { db in
            try await db.query(
                "SELECT id FROM card_transactions WHERE cleared_minor > amount_minor OR refunded_minor > cleared_minor OR cleared_minor < 0", [])
        }
        #expect(broken.isEmpty)
    }

    /// One client's random sequence; refusals for funds or amounts are expected outcomes, anything else fails.
    static func randomWork(task: Int, count: Int, cards: [String], partner: PartnerID, service: TransactionService, store: any Store) async throws {
        var generator = SystemRandomNumberGenerator()
        var created: [(id: String, order: String)] = []
        var cleared: [(id: String, order: String)] = []
        for step in 0..<count {
            let card = cards.randomElement(using: &generator)!
            let amount = String(Int.random(in: 1...50_000, using: &generator)) + "." + String(Int.random(in: 10...99, using: &generator))
            let order = "t\(task)-\(step)"
            let choice = Int.random(in: 0..<10, using: &generator)
            do {
                switch choice {
                case 0..<3:
                    _ = try await store.write { db in
                        try await service.create(
                            TransactionCommand(orderID: order, cardID: card, kind: .credit, amount: amount, currency: "KZT", description: nil),
                            partner: partner, now: Date(), in: db)
                    }
                case 3..<6:
                    let transaction = try await store.write { db in
                        try await service.create(
                            TransactionCommand(orderID: order, cardID: card, kind: .debit, amount: amount, currency: "KZT", description: nil),
                            partner: partner, now: Date(), in: db)
                    }
                    created.append((transaction.id, order))
                case 6..<8 where !created.isEmpty:
                    let target = created.removeFirst()
                    let partial = Bool.random(using: &generator) ? "1.00" : nil
                    _ = try await store.write { db in
                        try await service.clear(transactionID: target.id, orderID: target.order, amount: partial, partner: partner, in: db)
                    }
                    cleared.append(target)
                default:
                    guard let target = cleared.randomElement(using: &generator) else { continue }
                    let partial = Bool.random(using: &generator) ? "0.50" : nil
                    _ = try await store.write { db in
                        try await service.refund(transactionID: target.id, orderID: target.order, amount: partial, partner: partner, in: db)
                    }
                }
            } catch TransactionError.insufficientFunds, TransactionError.amountExceedsAllowed, TransactionError.invalidCardState {
                continue
            }
        }
    }
}

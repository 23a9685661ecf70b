import Foundation
import FreedomPayCore
import FreedomPayStore
import FreedomPayWire
import Testing

/// The Payment Cards repositories on every store (SQLite and PostgreSQL): the same portable SQL must give
/// the same answers on both engines.
@Suite struct CardStoreTests {
    static let now = Date(timeIntervalSince1970: 1_740_823_200)

    static func partner(_ store: any Store, name: String) async throws -> PartnerID {
        let credentials = CredentialsRepository(secrets: SecretBox(current: .generate()))
        return try await store.write { db in try await credentials.createPartner(name: name, in: db) }.id
    }

    static func client(phone: Int64 = 77077070707) -> ClientAddRequest {
        ClientAddRequest(requestID: "r", productID: 2000, client: ClientData(phone: phone, type: 1, resident: 1, firstName: "IVAN", lastName: "IVANOV"))
    }

    /// A fresh store with two partners, and for the owner one client holding three virtual cards.
    struct Setup {
        let fixture: StoreFixture
        let service: CardService
        let owner: PartnerID
        let stranger: PartnerID
        let clientID: ClientID
        let cards: [CardID]
    }

    static func setUp(_ kind: StoreKind) async throws -> Setup {
        let fixture = try await StoreFixture.make(kind)
        let service = CardService(secrets: SecretBox(current: .generate()))
        let owner = try await partner(fixture.store, name: "owner")
        let stranger = try await partner(fixture.store, name: "stranger")
        let (clientID, cards) = try await fixture.store.write { db in
            let clientID = try await service.addClient(Self.client(), partner: owner, now: now, in: db)
            let cards = try await service.issue(.init(kind: .virtual, productID: 2000, clientID: clientID, count: 3), partner: owner, now: now, in: db)
            return (clientID, cards)
        }
        return Setup(fixture: fixture, service: service, owner: owner, stranger: stranger, clientID: clientID, cards: cards)
    }

    @Test(arguments: StoreKind.available)
    func clientsCardsPINsLimitsAndBalancesOnEveryStore(kind: StoreKind) async throws {
        let setup = try await Self.setUp(kind)
        let (store, service, owner, stranger, clientID, cards) = (setup.fixture.store, setup.service, setup.owner, setup.stranger, setup.clientID, setup.cards)
        defer { Task { await setup.fixture.tearDown() } }
        let now = Self.now
        #expect(Set(cards).count == 3)
        let pages = try await store.read { db in
            [try await service.cards.list(client: clientID, partner: owner, offset: 0, limit: 2, in: db),
             try await service.cards.list(client: clientID, partner: owner, offset: 2, limit: 2, in: db)]
        }
        #expect(pages.map(\.total) == [3, 3])
        #expect(Set(pages.flatMap { $0.cards.map(\.id) }) == Set(cards))
        #expect(pages[0].cards.allSatisfy { $0.mask.hasPrefix("440043******") && $0.status == .activated })

        try await store.write { db in
            try await service.apply(.block, card: cards[0], reason: "lost", partner: owner, now: now, in: db)
            try await service.setPIN("1234", card: cards[1], partner: owner, now: now, in: db)
            try await service.updateClient(ClientUpdateRequest(requestID: "u", clientID: clientID.rawValue, productID: 2000, client: ClientPhone(phone: 77010000000)),
                                           partner: owner, now: now, in: db)
            try await service.setLimits([CardLimit(transactionType: "pay", region: "all", period: "day", maxMinor: 500, currency: "KZT")],
                                        on: .card(cards[1]), partner: owner, now: now, in: db)
            try await service.ledger.post(Posting.transfer(id: "fund", kind: "test", amountMinor: 1_000, from: .external(.kzt), to: .card(cards[1].rawValue, .kzt)), in: db)
        }
        let outcomes = try await store.write { db in
            [try await service.verifyPIN("0000", card: cards[1], partner: owner, now: now, in: db),
             try await service.verifyPIN("1234", card: cards[1], partner: owner, now: now, in: db)]
        }
        #expect(outcomes == [.wrong(remainingTries: 2), .accepted])
        let (blocked, limits, balance, holder) = try await store.read { db in
            (try await service.card(cards[0], partner: owner, now: now, in: db).status,
             try await service.limits.limits(on: .card(cards[1]), partner: owner, in: db),
             try await service.balance(of: cards[1], partner: owner, now: now, in: db),
             try await service.client(clientID, partner: owner, in: db))
        }
        #expect(blocked == .blocked)
        #expect(limits.map(\.maxMinor) == [500])
        #expect(balance.balance.availableMinor == 1_000 && balance.creditMinor == 1_000 && balance.debitMinor == 0)
        #expect(holder.phone == 77010000000)

        await #expect(throws: CardRuleError.self) {
            try await store.read { db in try await service.card(cards[0], partner: stranger, now: now, in: db) }
        }
        await #expect(throws: CardRuleError.self) {
            try await store.read { db in try await service.client(clientID, partner: stranger, in: db) }
        }
    }

    @Test(arguments: StoreKind.available)
    func limitUsageAndDebitLimitsOnEveryStore(kind: StoreKind) async throws {
        let setup = try await Self.setUp(kind)
        let (store, service, owner, clientID, cards) = (setup.fixture.store, setup.service, setup.owner, setup.clientID, setup.cards)
        defer { Task { await setup.fixture.tearDown() } }
        let now = Self.now
        try await store.write { db in
            try await service.setLimits([CardLimit(transactionType: "pay", region: "all", period: "day", maxMinor: 500, currency: "KZT")],
                                        on: .card(cards[1]), partner: owner, now: now, in: db)
        }
        // Limit usage counts the holder's debits (not canceled) since the period start, on both engines.
        let limit = CardLimit(transactionType: "pay", region: "all", period: "day", maxMinor: 500, currency: "KZT")
        try await store.write { db in
            for (id, card, amount, status) in [("t1", cards[1], 300, "created"), ("t2", cards[2], 100, "cleared"), ("t3", cards[1], 999, "canceled")] {
                try await db.execute(
                    """
                    INSERT INTO card_transactions (id, partner_id, order_id, card_id, kind, currency, amount_minor, cleared_minor,
                        refunded_minor, status, fin_document_id, created_at) VALUES (?, ?, ?, ?, 'debit', 'KZT', ?, ?, 0, ?, ?, ?)
                    """,
                    [.text(id), .integer(owner.rawValue), .text(id), .text(card.rawValue), .integer(Int64(amount)),
                     .integer(status == "cleared" ? Int64(amount) : 0), .text(status), .text(id),
                     .integer(Int64(now.timeIntervalSince1970))])
            }
        }
        let used = try await store.read { db in
            [try await LimitUsage().usedMinor(of: limit, on: .client(clientID), partner: owner, now: now, in: db),
             try await LimitUsage().usedMinor(of: limit, on: .card(cards[1]), partner: owner, now: now, in: db)]
        }
        #expect(used == [400, 300])
        // The card's own limit (500, set above) has 200 left: 200 passes, 201 does not.
        try await store.read { db in
            try await CardDebitLimits().check(cardID: cards[1].rawValue, partner: owner, amount: Money(minorUnits: 200, currency: .kzt), now: now, in: db)
        }
        await #expect(throws: TransactionError.self) {
            try await store.read { db in
                try await CardDebitLimits().check(cardID: cards[1].rawValue, partner: owner, amount: Money(minorUnits: 201, currency: .kzt), now: now, in: db)
            }
        }

    }

    /// A debit meets the limits of its card, of the card's account and of its client, and nobody else's (another
    /// card's, another partner's). The card read tells the debit whether any of the three has a limit at all.
    @Test(arguments: StoreKind.available)
    func debitsMeetTheLimitsOfTheirCardAccountAndClientOnly(kind: StoreKind) async throws {
        let setup = try await Self.setUp(kind)
        let (store, service, owner, stranger, clientID, cards) = (setup.fixture.store, setup.service, setup.owner, setup.stranger, setup.clientID, setup.cards)
        defer { Task { await setup.fixture.tearDown() } }
        let transactions = TransactionService(directory: PaymentCardDirectory(), limits: CardDebitLimits())
        var orders = 0
        func move(_ kind: CardTransaction.Kind, _ card: CardID, _ amount: String) async throws {
            orders += 1
            let command = TransactionCommand(orderID: "order-\(orders)", cardID: card.rawValue, kind: kind, amount: amount, currency: "KZT", description: nil)
            _ = try await store.write { db in try await transactions.create(command, partner: owner, now: Date(), in: db) }
        }
        func refusedByLimit(_ card: CardID, _ amount: String) async -> Bool {
            do {
                try await move(.debit, card, amount)
                return false
            } catch TransactionError.limitExceeded {
                return true
            } catch {
                return false
            }
        }
        func limit(_ max: Int64, on target: LimitTarget, partner: PartnerID) async throws {
            let limits = [CardLimit(transactionType: "pay", region: "all", period: "day", maxMinor: max, currency: "KZT")]
            try await store.write { db in
                // The stranger cannot name the owner's card through the service; its rows are written as they are.
                if partner == owner {
                    try await service.setLimits(limits, on: target, partner: partner, now: Date(), in: db)
                } else {
                    try await LimitRepository().upsert(limits, on: target, partner: partner, now: Date(), in: db)
                }
            }
        }
        for card in cards { try await move(.credit, card, "10000") }

        // Another partner's limit on the same card and client ids is not the owner's.
        try await limit(1, on: .card(cards[0]), partner: stranger)
        try await limit(1, on: .client(clientID), partner: stranger)
        try await move(.debit, cards[0], "600")

        // The account of card 1 allows 100.00 a day; card 2 is not limited by it.
        try await limit(10_000, on: .account(cards[1]), partner: owner)
        #expect(await refusedByLimit(cards[1], "150"))
        try await move(.debit, cards[2], "150")

        // The client allows 1,000.00 a day over all its cards: 750.00 spent so far on cards 0 and 2.
        try await limit(100_000, on: .client(clientID), partner: owner)
        #expect(await refusedByLimit(cards[2], "300"))
        try await move(.debit, cards[2], "200")

        // A limit on card 0 binds card 0 only.
        try await limit(5_000, on: .card(cards[0]), partner: owner)
        #expect(await refusedByLimit(cards[0], "60"))
        #expect(await !refusedByLimit(cards[1], "40"))
    }
}

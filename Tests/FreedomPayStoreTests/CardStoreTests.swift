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

    @Test(arguments: StoreKind.available)
    func clientsCardsPINsLimitsAndBalancesOnEveryStore(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store
        defer { Task { await fixture.tearDown() } }
        let service = CardService(secrets: SecretBox(current: .generate()))
        let owner = try await Self.partner(store, name: "owner")
        let stranger = try await Self.partner(store, name: "stranger")
        let now = Self.now

        let (clientID, cards) = try await store.write { db in
            let clientID = try await service.addClient(Self.client(), partner: owner, now: now, in: db)
            let cards = try await service.issue(.init(kind: .virtual, productID: 2000, clientID: clientID, count: 3), partner: owner, now: now, in: db)
            return (clientID, cards)
        }
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
}

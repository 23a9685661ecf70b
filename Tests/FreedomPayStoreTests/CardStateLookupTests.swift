import Foundation
import FreedomPayCore
import Testing

/// `CardRepository.state`, the narrow read every debit makes, on every store: the same status, expiry, currency
/// and holder as the full record, nothing for another partner's card, and blocked or closed cards as stored.
@Suite struct CardStateLookupTests {
    @Test(arguments: StoreKind.available)
    func stateMatchesTheFullRecordAndIsScopedToThePartner(kind: StoreKind) async throws {
        let setup = try await CardStoreTests.setUp(kind)
        defer { Task { await setup.fixture.tearDown() } }
        let (store, service, owner, stranger, cards) = (setup.fixture.store, setup.service, setup.owner, setup.stranger, setup.cards)
        try await store.write { db in
            try await service.apply(.block, card: cards[1], reason: "lost", partner: owner, now: CardStoreTests.now, in: db)
        }
        for card in cards {
            let (state, record, foreign) = try await store.write { db in
                (try await service.cards.state(card, partner: owner, in: db),
                 try await service.cards.find(card, partner: owner, in: db),
                 try await service.cards.state(card, partner: stranger, in: db))
            }
            let full = try #require(record)
            #expect(state == CardState(
                status: full.status, expiryMonth: full.expiryMonth, expiryYear: full.expiryYear, currency: full.currency, clientID: full.clientID))
            #expect(state?.status(at: CardStoreTests.now) == full.status(at: CardStoreTests.now))
            #expect(foreign == nil)
        }
        let blocked = try await store.read { db in try await service.cards.state(cards[1], partner: owner, in: db) }
        #expect(blocked?.status == .blocked)
        let unknown = try await store.read { db in try await service.cards.state(CardID(rawValue: "00000000"), partner: owner, in: db) }
        #expect(unknown == nil)
    }
}

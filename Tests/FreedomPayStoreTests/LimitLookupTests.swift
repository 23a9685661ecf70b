import Foundation
import FreedomPayCore
import FreedomPayStore
import Testing

/// A debit reads the limits of its card, the card's account and its client with one query; it must find exactly
/// what the per-target reads find, in the same order, whatever else the partner (or another partner) limits.
@Suite struct LimitLookupTests {
    static func limit(_ type: String, _ period: String, _ max: Int64, _ region: String = "domestic") -> CardLimit {
        CardLimit(transactionType: type, region: region, period: period, maxMinor: max, currency: "KZT")
    }

    @Test(arguments: StoreKind.available)
    func oneQueryForSeveralTargetsFindsWhatEachTargetHas(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        defer { Task { await fixture.tearDown() } }
        let store = fixture.store
        let credentials = CredentialsRepository(secrets: SecretBox(current: .generate()))
        let (partner, other) = try await store.write { db in
            (try await credentials.createPartner(name: "limits", in: db).id, try await credentials.createPartner(name: "other", in: db).id)
        }
        let repository = LimitRepository()
        let card = CardID(rawValue: "card-1"), client = ClientID(rawValue: "client-1")
        let now = Date()
        try await store.write { db in
            // Inserted out of order; the reads return them sorted by type, region, period, currency.
            try await repository.upsert([Self.limit("pay", "month", 9_000), Self.limit("cash", "day", 100), Self.limit("pay", "day", 500)],
                                        on: .card(card), partner: partner, now: now, in: db)
            try await repository.upsert([Self.limit("pay", "day", 700, "abroad")], on: .account(card), partner: partner, now: now, in: db)
            try await repository.upsert([Self.limit("pay", "week", 2_000)], on: .client(client), partner: partner, now: now, in: db)
            // Near misses: the card's id as a client, the client's id as a card, other cards, another partner.
            try await repository.upsert([Self.limit("pay", "day", 1)], on: .client(ClientID(rawValue: card.rawValue)), partner: partner, now: now, in: db)
            try await repository.upsert([Self.limit("pay", "day", 2)], on: .card(CardID(rawValue: client.rawValue)), partner: partner, now: now, in: db)
            for index in 0..<50 {
                try await repository.upsert([Self.limit("pay", "day", 3)], on: .card(CardID(rawValue: "card-x\(index)")), partner: partner, now: now, in: db)
            }
            try await repository.upsert([Self.limit("pay", "day", 4)], on: .card(card), partner: other, now: now, in: db)
        }
        let targets: [LimitTarget] = [.card(card), .account(card), .client(client)]
        let together = try await store.read { db in try await repository.limits(on: targets, partner: partner, in: db) }
        var separately: [[CardLimit]] = []
        for target in targets {
            separately.append(try await store.read { db in try await repository.limits(on: target, partner: partner, in: db) })
        }
        #expect(together == separately)
        #expect(together[0].map(\.maxMinor) == [100, 500, 9_000])
        #expect(together[1].map(\.maxMinor) == [700])
        #expect(together[2].map(\.maxMinor) == [2_000])
    }
}

import Foundation
import FreedomPayCore
import FreedomPayStore
import Testing

/// A new card transaction is written by one insert whose unique keys decide: a reused order id is refused
/// (per partner), and an id that happens to repeat is replaced by a fresh one instead of failing the debit.
@Suite struct TransactionInsertTests {
    static func transaction(_ id: String, order: String, partner: PartnerID) -> CardTransaction {
        CardTransaction(
            id: id, partnerID: partner, orderID: order, cardID: "card-1", kind: .credit, currency: .kzt, amountMinor: 100,
            clearedMinor: 100, refundedMinor: 0, status: .cleared, finDocumentID: "FD-1", description: nil, createdAt: Date())
    }

    @Test(arguments: StoreKind.available)
    func aRepeatedIDIsReplacedAndAReusedOrderIDIsRefusedPerPartner(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        defer { Task { await fixture.tearDown() } }
        let store = fixture.store
        let credentials = CredentialsRepository(secrets: SecretBox(current: .generate()))
        let (owner, other) = try await store.write { db in
            (try await credentials.createPartner(name: "owner", in: db).id, try await credentials.createPartner(name: "other", in: db).id)
        }
        let repository = TransactionRepository()
        let now = Date()
        let first = try await store.write { db in
            try await repository.insertNew(now: now, in: db) { Self.transaction($0, order: "order-1", partner: owner) }
        }

        // The id generator repeats the first id once: the insert draws again and keeps the fresh id.
        let draws = IDDraws([first.id, "fresh-id"])
        let second = try await store.write { db in
            try await repository.insertNew(now: now, in: db, newID: { _ in draws.next() }) { Self.transaction($0, order: "order-2", partner: owner) }
        }
        #expect(second.id == "fresh-id")

        await #expect(throws: TransactionRepository.InsertConflict.orderIDUsed) {
            try await store.write { db in
                try await repository.insertNew(now: now, in: db) { Self.transaction($0, order: "order-1", partner: owner) }
            }
        }
        let elsewhere = try await store.write { db in
            try await repository.insertNew(now: now, in: db) { Self.transaction($0, order: "order-1", partner: other) }
        }
        #expect(elsewhere.partnerID == other, "order ids are unique per partner only")

        let rows = try await store.read { db in
            try await db.query("SELECT id, partner_id, order_id FROM card_transactions ORDER BY order_id, partner_id", [])
        }
        #expect(try rows.map { try $0.text("order_id") } == ["order-1", "order-1", "order-2"])
        let found = try await store.read { db in try await repository.find(orderID: "order-1", partner: owner, in: db)?.id }
        #expect(found == first.id)
    }
}

/// Hands out the given ids in order (then fresh UUIDs), from any thread.
private final class IDDraws: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [String]

    init(_ ids: [String]) { self.ids = ids }

    func next() -> String {
        lock.lock()
        defer { lock.unlock() }
        return ids.isEmpty ? UUID().uuidString : ids.removeFirst()
    }
}

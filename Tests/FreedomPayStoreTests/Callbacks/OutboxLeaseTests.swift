import Foundation
import FreedomPayCore
import FreedomPayStore
import FreedomPayWire
import Testing

/// The outbox lease on every store (SQLite, PostgreSQL): a claimed row is invisible to other instances until the lease expires,
/// and only the lease holder can record the attempt.
@Suite struct OutboxLeaseTests {
    func callback(_ subject: String) -> NewCallback {
        NewCallback(merchantID: MerchantID(rawValue: 545454), secret: .payment, kind: .result, subjectID: subject,
                    url: "http://127.0.0.1:1/result", method: .post,
                    parameters: [PGParameter("pg_payment_id", subject), PGParameter("pg_amount", "1500")], canReject: true)
    }

    @Test(arguments: StoreKind.available)
    func leasedRowsAreClaimedOnceUntilTheLeaseExpires(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store
        let outbox = OutboxRepository()
        let policy = CallbackRetryPolicy(intervalMs: 1_000, windowMs: 3_000)
        try await store.write { db in
            try await outbox.enqueue(callback("1"), policy: policy, nowMs: 1_000, in: db)
            try await outbox.enqueue(callback("2"), policy: policy, nowMs: 5_000, in: db)
        }
        let first = try await store.write { db in try await outbox.claimDue(nowMs: 2_000, leaseMs: 500, owner: "a", limit: 10, in: db) }
        #expect(first.map(\.callback.subjectID) == ["1"])
        #expect(first.first?.delivery.maxAttempts == 4)
        #expect(first.first?.callback.parameters == callback("1").parameters)
        let whileLeased = try await store.write { db in try await outbox.claimDue(nowMs: 2_400, leaseMs: 500, owner: "b", limit: 10, in: db) }
        #expect(whileLeased.isEmpty)
        let afterLease = try await store.write { db in try await outbox.claimDue(nowMs: 2_600, leaseMs: 500, owner: "b", limit: 10, in: db) }
        #expect(afterLease.map(\.callback.subjectID) == ["1"])

        var stale = try #require(first.first)
        _ = stale.delivery.record(.ok, nowMs: 2_700, retryIntervalMs: 1_000)
        let savedByStaleOwner = try await store.write { [stale] db in try await outbox.save(stale, owner: "a", nowMs: 2_700, in: db) }
        #expect(savedByStaleOwner == false)
        var current = try #require(afterLease.first)
        _ = current.delivery.record(.failed("HTTP 503"), nowMs: 2_700, retryIntervalMs: 1_000)
        let saved = try await store.write { [current] db in try await outbox.save(current, owner: "b", nowMs: 2_700, in: db) }
        #expect(saved)
        let reread = try await store.read { db in try await outbox.callbacks(kind: .result, subjectID: "1", in: db) }
        #expect(reread.first?.delivery.attempts == 1)
        #expect(reread.first?.delivery.canReject == false)
        #expect(reread.first?.delivery.nextAttemptAtMs == 3_700)
        await fixture.tearDown()
    }
}

import Foundation
import FreedomPayCore
import FreedomPayStore
import FreedomPayWire
import Testing

/// The purchase repositories and service on every store: the same portable SQL on SQLite and PostgreSQL.
@Suite struct PurchaseStoreTests {
    static let now = Date(timeIntervalSince1970: 1_740_823_200)

    @Test(arguments: StoreKind.available)
    func paymentLifecycleOnEveryStore(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store
        let credentials = CredentialsRepository(secrets: SecretBox(current: .generate()))
        let merchant = try await store.write { db in try await credentials.createMerchant(name: "Shop", in: db) }.id
        let service = PurchaseService(retryPolicy: CallbackRetryPolicy(intervalMs: 1_000, windowMs: 4_000))
        let draft = try PaymentDraft.validate([
            PGParameter("pg_amount", "100"), PGParameter("pg_description", "d"), PGParameter("pg_order_id", "O-1"),
            PGParameter("pg_auto_clearing", "0"), PGParameter("pg_result_url", "https://shop.example/result"),
            PGParameter("pg_recurring_start", "1"), PGParameter("cart", "9"),
        ], sandbox: true)
        let card = try CardEntry.validate(number: "4716047261941981", expiry: "12/39", cvv: "123", holder: "A B", now: Self.now).get().stored
        let now = Self.now

        let created = try await store.write { db in
            var payment = try await service.create(draft, merchant: merchant, requestHash: "h", now: now, in: db)
            try payment.machine.submitCard()
            payment.card = card
            try await service.authorize(&payment, now: now, in: db)
            return payment
        }
        #expect(created.status == .authorized && created.recurringProfileID != nil)
        await #expect(throws: PurchaseRuleViolation(.nonUniqueOrderID, "Non-unique order id: payment \(created.id.rawValue) already exists for pg_order_id 'O-1'")) {
            try await store.write { db in try await service.create(draft, merchant: merchant, requestHash: "h2", now: now, in: db) }
        }
        let unpaidDraft = try PaymentDraft.validate([PGParameter("pg_amount", "1"), PGParameter("pg_description", "d"), PGParameter("pg_order_id", "O-2")], sandbox: true)
        let unpaid = try await store.write { db in try await service.create(unpaidDraft, merchant: merchant, requestHash: "u", now: now, in: db) }
        let later = now.addingTimeInterval(Double(PaymentMachine.autoClearingDelaySeconds))
        let swept = try await store.write { db in try await service.sweep(now: later, limit: 10, in: db) }
        #expect(swept == 2)  // the held payment is cleared, the unpaid one (lifetime 1 day) expires
        let again = try await store.write { db in try await service.create(unpaidDraft, merchant: merchant, requestHash: "u2", now: later, in: db) }
        #expect(again.id != unpaid.id)
        let (cleared, last, callbacks, profile) = try await store.write { db in
            var payment = try #require(try await service.load(created.id, merchant: merchant, now: later, in: db))
            _ = try await service.refund(&payment, amountMinor: 2_500, now: later, in: db)
            return (payment,
                    try await service.repository.lastPayment(orderID: "O-2", merchant: merchant, in: db),
                    try await service.outbox.callbacks(kind: .result, subjectID: String(payment.id.rawValue), in: db),
                    try await RecurringProfileRepository().profile(id: payment.recurringProfileID!, merchant: merchant, in: db))
        }
        #expect(cleared.status == .captured && cleared.machine.clearedMinor == 10_000 && cleared.machine.refundedMinor == 2_500)
        #expect(cleared.extraFields.value("cart") == "9" && cleared.card == card)
        #expect(last?.id == again.id && last?.status == .created)
        #expect(try await store.read { db in try await service.repository.payment(id: unpaid.id, merchant: merchant, in: db) }?.status == .incomplete)
        #expect(callbacks.count == 1 && callbacks.first?.callback.parameters.value("pg_result") == "1")
        #expect(profile?.card.mask == card.mask)
        let balance = try await store.read { db in try await LedgerRepository().balance(of: .merchant(merchant, .kzt), in: db).postedMinor }
        #expect(balance == 7_500)
        let operations = try await store.read { db in try await service.repository.operations(of: created.id, in: db) }
        #expect(operations.map(\.kind) == [.clearing, .refund])
        await fixture.tearDown()
    }

    @Test(arguments: StoreKind.available)
    func cardTokensOnEveryStore(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store
        let credentials = CredentialsRepository(secrets: SecretBox(current: .generate()))
        let merchant = try await store.write { db in try await credentials.createMerchant(name: "Shop", in: db) }.id
        let repository = CardTokenRepository()
        var token = CardToken.pending(merchant: merchant, userID: "u1", orderID: nil, operationID: 42, postLink: "https://a.example/p",
                                      backLink: "https://a.example/b", now: 1_000)
        token.card = try CardEntry.validate(number: "4716047261941981", expiry: "12/39", cvv: "123", holder: "A B", now: Self.now).get().stored
        token.status = .success
        try await store.write { [token] db in
            try await repository.insert(token, in: db)
            try await repository.update(token, in: db)
        }
        let (active, byID, other) = try await store.read { [token] db in
            (try await repository.active(merchant: merchant, userID: "u1", in: db),
             try await repository.token(String(token.cardID), merchant: merchant, userID: "u1", in: db),
             try await repository.active(merchant: merchant, userID: "u2", in: db))
        }
        #expect(active == [token] && byID == token && other.isEmpty)
        await fixture.tearDown()
    }
}

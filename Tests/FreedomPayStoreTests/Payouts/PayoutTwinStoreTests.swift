import Foundation
import FreedomPayCore
import FreedomPayStore
import FreedomPayWire
import Testing

/// Concurrent twins of one payout (same merchant, order id and request, e.g. a retry sent to another
/// instance while the first is still running) on every store: each twin answers with the one payout the
/// winner created, whether or not the balance would cover a second one, and the balance is debited once.
@Suite struct PayoutTwinStoreTests {
    static let now = Date(timeIntervalSince1970: 1_740_823_200)
    static let twins = 8

    /// `fundedPayouts`: 1 = the winner's debit leaves too little for a twin (the twin must not answer 8888);
    /// 3 = the balance covers more (the twin must neither pay twice nor fail on the order id's uniqueness).
    @Test(arguments: StoreKind.available, [1, 3])
    func concurrentTwinsAllAnswerTheWinnersPayout(kind: StoreKind, fundedPayouts: Int) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store
        let credentials = CredentialsRepository(secrets: SecretBox(current: .generate()))
        let merchant = try await store.write { db in try await credentials.createMerchant(name: "Shop", in: db) }.id
        let service = PayoutService(fee: PayoutFee(basisPoints: 100, fixedMinor: 0), processingDelaySeconds: 0,
                                    retryPolicy: CallbackRetryPolicy(intervalMs: 1_000, windowMs: 4_000), ledger: LedgerRepository())
        let draft = try IBANPayoutDraft.validate([
            PGParameter("pg_order_id", "TWIN-1"), PGParameter("pg_amount", "100"), PGParameter("pg_recipient_iban", "KZ86125KZT5004100100"),
            PGParameter("pg_recipient_iin", "123456789012"), PGParameter("pg_recipient_name", "A B"), PGParameter("pg_recipient_kbe", "19"),
            PGParameter("pg_knp", "119"), PGParameter("pg_bank_bik", "KCJBKZKX"), PGParameter("pg_description", "d"),
            PGParameter("pg_post_link", "https://shop.example/payout"),
        ])
        let toPay = draft.amountMinor + service.fee.fee(forMinor: draft.amountMinor)
        let funded = toPay * Int64(fundedPayouts)
        _ = try await store.write { db in try await service.fund(merchant: merchant, amountMinor: funded, currency: .kzt, in: db) }
        let now = Self.now

        let outcomes = try await withThrowingTaskGroup(of: PayoutService.Outcome.self) { group in
            for _ in 0..<Self.twins {
                group.addTask {
                    try await store.write { db in try await service.payToIBAN(draft, merchant: merchant, requestHash: "same", now: now, in: db) }
                }
            }
            return try await group.reduce(into: [PayoutService.Outcome]()) { $0.append($1) }
        }
        #expect(Set(outcomes.map(\.payout.id)).count == 1)
        #expect(outcomes.filter { !$0.replayed }.count == 1)
        let balance = try await store.read { db in try await LedgerRepository().balance(of: .merchant(merchant, .kzt), in: db).availableMinor }
        #expect(balance == funded - toPay)
        await fixture.tearDown()
    }
}

import Foundation
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import Testing

/// Polls `condition` every 20 ms for up to `seconds`; true once it holds.
func eventually(seconds: Double = 15, _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

extension TestServer {
    /// A one-step payment paid with the frictionless test card, created directly through the domain service
    /// (no HTTP, so no running dispatcher touches its Result notify before the test does).
    func paidPaymentDirectly(_ merchant: Merchant, resultURL: String, method: PGRequestMethod = .post) async throws -> PurchasePayment {
        let draft = try PaymentDraft.validate([
            PGParameter("pg_amount", "1500"), PGParameter("pg_description", "Order 1"), PGParameter("pg_order_id", "ORD-\(UUID().uuidString.prefix(6))"),
            PGParameter("pg_result_url", resultURL), PGParameter("pg_request_method", method.rawValue), PGParameter("basket", "b-1"),
        ], sandbox: true)
        let card = try CardEntry.validate(number: TestCard.frictionless, expiry: "12/39", cvv: "123", holder: "Ivan Ivanov", now: clock.now()).get()
        let now = clock.now()
        return try await services.store.write { [services] db in
            var payment = try await services.purchases.create(draft, merchant: merchant.id, requestHash: UUID().uuidString, now: now, in: db)
            try payment.machine.submitCard()
            payment.card = card.stored
            try await services.purchases.authorize(&payment, now: now, in: db)
            return payment
        }
    }
}

import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

/// Tenant isolation on the Merchant API: every route of the table naming a payment (by `pg_payment_id` or
/// `pg_order_id`), called by another merchant with the owner's ids, answers 11068 "Payment not found." (what an id
/// that never existed answers) and changes nothing.
@Suite struct MerchantIsolationMatrixTests {
    /// Id routes whose objects (saved cards, recurring profiles) need a card-storage setup this matrix does not make
    /// yet; `CardTokenTests` and `RecurringPaymentTests` cover another merchant's ids on them.
    static let pending: Set<String> = [
        "/make_recurring_payment.php", "/make_recurring_payment", "/v1/merchant/{merchant_id}/cardstorage/remove",
        "/v1/merchant/{merchant_id}/card/init",
    ]

    @Test func anotherMerchantsPaymentIdsAreNotFoundOnEveryRoute() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let owner = try await server.createMerchant(name: "Owner")
        let intruder = try await server.createMerchant(name: "Intruder")
        try await server.withRouter { client in
            let (id, _) = try await client.paidPayment(owner, [("pg_auto_clearing", "0"), ("pg_order_id", "ISO-ORDER-1")])
            let before = try await StoreFingerprint.take(server)
            var checked = 0
            let routes = APIRouteTable.routes.filter { $0.api == .merchantAPI && $0.method == "POST" && !$0.objectIDs.isEmpty }
            for route in routes where !Self.pending.contains(route.path) {
                let path = route.path.replacingOccurrences(of: "{merchant_id}", with: String(intruder.id.rawValue))
                var cases = [[PGParameter("pg_payment_id", id)]]
                if route.objectIDs.contains("pg_order_id") { cases.append([PGParameter("pg_order_id", "ISO-ORDER-1")]) }
                for parameters in cases {
                    let secret: Merchant.SecretKind = APIRoute.usesPayoutSecret(route.path) ? .payout : .payment
                    let answer = try await client.merchantAPI(path, parameters, as: intruder, secret: secret).xml
                    let ghost = try await client.merchantAPI(path, [PGParameter("pg_payment_id", "9876543210")], as: intruder, secret: secret).xml
                    #expect(answer.value("pg_error_code") == "11068", "\(route.path): \(answer)")
                    #expect(answer.value("pg_error_description") == ghost.value("pg_error_description"), "\(route.path) answers unlike an unknown id")
                    checked += 1
                }
            }
            #expect(checked >= 10)
            let after = try await StoreFingerprint.take(server)
            for table in before.keys.sorted() where before[table] != after[table] && table != "requests" {
                Issue.record("table \(table) changed after the intruder's calls")
            }
            print("RELIABILITY merchant_isolation_cases=\(checked)")
        }
    }
}

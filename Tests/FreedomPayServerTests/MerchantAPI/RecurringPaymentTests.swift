import Foundation
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import HummingbirdTesting
import Testing

/// make_recurring_payment.php on the profile of a first payment with pg_recurring_start=1.
@Suite struct RecurringPaymentTests {
    func recurring(_ client: some TestClientProtocol, _ merchant: Merchant, profile: String, amount: String = "990") async throws -> [PGParameter] {
        try await client.merchantAPI("/make_recurring_payment.php", [
            PGParameter("pg_recurring_profile", profile), PGParameter("pg_amount", amount), PGParameter("pg_description", "Monthly plan"),
        ], as: merchant).xml
    }

    @Test func chargesTheSavedCardOfTheFirstPayment() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        let other = try await server.createMerchant()
        try await server.withRouter { client in
            let (first, _) = try await client.paidPayment(merchant, [("pg_recurring_start", "1"), ("pg_recurring_lifetime", "1")])
            let status = try await client.merchantAPI("/get_status3.php", [PGParameter("pg_payment_id", first)], as: merchant).xml
            let profile = try #require(status.value("pg_recurring_profile_id"))
            let charged = try await recurring(client, merchant, profile: profile)
            #expect(charged.value("pg_status") == "ok")
            #expect(charged.value("pg_amount") == "990" && charged.value("pg_recurring_profile") == profile)
            let newID = try #require(charged.value("pg_payment_id"))
            let payment = try await server.payment(newID, of: merchant)
            #expect(payment?.status == .captured && payment?.card?.mask == "4716-04XX-XXXX-1981")
            #expect(try await recurring(client, other, profile: profile).value("pg_error_code") == "11068")
            server.clock.advance(by: 32 * 24 * 3600)
            #expect(try await recurring(client, merchant, profile: profile).value("pg_error_code") == "365")
        }
        await server.cleanUp()
    }

    @Test func paymentWithoutRecurringStartHasNoProfile() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.withRouter { client in
            let (first, _) = try await client.paidPayment(merchant)
            let status = try await client.merchantAPI("/get_status3.php", [PGParameter("pg_payment_id", first)], as: merchant).xml
            #expect(status.value("pg_recurring_profile_id") == nil)
            #expect(try await recurring(client, merchant, profile: "123456789").value("pg_error_code") == "11068")
        }
        await server.cleanUp()
    }
}

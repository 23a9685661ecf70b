import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

/// The per-credential rate limit on the Merchant API (one budget per merchant, purchase and payout routes alike,
/// checked after authentication and answered `pg_status error` / 10006 in the signed XML envelope), and the
/// `--rate-limit` syntax.
@Suite struct MerchantRateLimitTests {
    static let status = [PGParameter("pg_payment_id", "123456")]

    @Test func merchantBudgetIsAnsweredInTheXMLEnvelopeAndForgeriesSpendNothing() async throws {
        let server = try await TestServer.make { $0.rateLimit = RateLimit(requestsPerSecond: 0, burst: 3) }
        defer { Task { await server.cleanUp() } }
        let busy = try await server.createMerchant(name: "Busy")
        let quiet = try await server.createMerchant(name: "Quiet")
        try await server.withRouter { client in
            // Signed with the wrong secret (1100) or naming no known merchant (9998): refused, and not charged.
            for _ in 0..<5 {
                let forged = try await client.merchantAPI("/get_status3.php", Self.status, as: busy, secret: .payout).xml
                #expect(forged.value("pg_error_code") == "1100")
            }
            let stranger = try await client.merchantAPI("/get_status3.php", [PGParameter("pg_merchant_id", "999999")] + Self.status, as: busy)
            #expect(stranger.xml.value("pg_error_code") == "9998")
            // Three authenticated calls, over purchase and payout routes and a path-routed one, spend the one budget;
            // their answers reach the caller intact (signed, every field).
            let first = try await client.merchantAPI("/get_status3.php", Self.status, as: busy).xml
            #expect(first.value("pg_error_code") == "11068" && first.value("pg_sig") != nil)
            let balance = try await client.merchantAPI("/api/balance_status", [], as: busy, secret: .payout).xml
            #expect(balance.value("pg_status") == "ok" && balance.value("pg_balance") == "0" && balance.value("pg_sig") != nil)
            let list = try await client.merchantAPI("/v1/merchant/\(busy.id.rawValue)/cardstorage/list", [PGParameter("pg_user_id", "u1")], as: busy)
            #expect(list.xml.value("pg_error_code") == nil, "\(list.text)")

            let limited = try await client.merchantAPI("/get_status3.php", Self.status, as: busy)
            #expect(limited.status == .ok)
            #expect(limited.headers[.contentType]?.hasPrefix("application/xml") == true)
            #expect(limited.xml.value("pg_status") == "error" && limited.xml.value("pg_error_code") == "10006", "\(limited.text)")
            #expect(limited.xml.value("pg_error_description")?.contains("frequency limit") == true)
            let signature = try #require(limited.xml.value("pg_sig"), "answered after authentication: signed like any error")
            #expect(PGSignature.verify(script: "get_status3.php", parameters: limited.xml, secret: busy.secret(.payment), signature: signature))
            let payout = try await client.merchantAPI("/api/payment_status", Self.status, as: busy, secret: .payout).xml
            #expect(payout.value("pg_error_code") == "10006")
            let byPath = try await client.merchantAPI("/v1/merchant/\(busy.id.rawValue)/cardstoragepayout/list", [PGParameter("pg_user_id", "u1")],
                                                      as: busy, secret: .payout).xml
            #expect(byPath.value("pg_error_code") == "10006")
            // Once the budget is spent a forgery is still refused for its signature, never told about the budget.
            let forged = try await client.merchantAPI("/get_status3.php", Self.status, as: busy, secret: .payout).xml
            #expect(forged.value("pg_error_code") == "1100")
            let unknown = try await client.merchantAPI("/get_status3.php", [PGParameter("pg_merchant_id", "999999")] + Self.status, as: busy).xml
            #expect(unknown.value("pg_error_code") == "9998")

            // Another merchant keeps its own budget.
            let other = try await client.merchantAPI("/get_status3.php", Self.status, as: quiet).xml
            #expect(other.value("pg_error_code") == "11068")
        }
    }

    @Test func merchantRoutesAreUnlimitedByDefault() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let merchant = try await server.createMerchant()
        try await server.withRouter { client in
            for _ in 0..<30 {
                let answer = try await client.merchantAPI("/get_status3.php", Self.status, as: merchant).xml
                #expect(answer.value("pg_error_code") == "11068")
            }
        }
    }

    @Test(arguments: [
        ("100/60", RateLimit(requestsPerSecond: 100.0 / 60.0, burst: 100)),
        ("5/1", RateLimit(requestsPerSecond: 5, burst: 5)),
        (" 10/0.5 ", RateLimit(requestsPerSecond: 20, burst: 10)),
    ])
    func rateLimitSyntaxParses(_ text: String, _ expected: RateLimit) throws {
        #expect(try RateLimit.parse(text) == expected)
    }

    @Test func offOrEmptyMeansNoLimit() throws {
        #expect(try RateLimit.parse("") == nil)
        #expect(try RateLimit.parse("off") == nil)
        #expect(try RateLimit.parse("OFF") == nil)
    }

    @Test(arguments: ["100", "100/", "/60", "0/60", "-5/60", "10/0", "10/-1", "ten/60", "10/abc", "10/60/2", "10/inf", "1.5/60"])
    func malformedRateLimitsAreRefusedWithTheSyntax(_ text: String) {
        #expect(throws: RateLimitSyntaxError.self) { try RateLimit.parse(text) }
        do {
            _ = try RateLimit.parse(text)
        } catch {
            #expect(error.description.contains("<requests>/<seconds>") && error.description.contains(text))
        }
    }
}

import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

@Suite struct RatesAPITests {
    /// Plain rate time (UTC+5) of the test clock plus `seconds`.
    static func at(_ server: TestServer, _ seconds: TimeInterval) -> String {
        WireDate.plain(server.clock.now().addingTimeInterval(seconds), timeZone: RateBook.timeZone)
    }

    @Test func addRatesAndReadTheOneInForceBeforeInsideAndAfterItsWindow() async throws {
        try await withPartnerServer { server in
            let partner = try await server.createPartner()
            let start = Self.at(server, 3600), end = Self.at(server, 7200)
            try await server.withRouter { client in
                let added = try await client.partnerAPI("/v5/partner/rates/add", """
                    {"rates":[{"currency_from":"USD","currency_to":"KZT","rate":441.507},
                              {"currency_from":"USD","currency_to":"KZT","rate":450.25,"start_date":"\(start)","end_date":"\(end)"},
                              {"currency_from":"USD","currency_to":"KZT","rate":0.12345678901234567890123,"rate_type":"p2p","operation":"sell"}]}
                    """, as: partner)
                #expect(added.status == .ok)
                #expect(added.json["status"] as? String == "ok")
                #expect(added.json["dt"] is String)

                func rate(at moment: String, extra: String = "") async throws -> TestResponse {
                    try await client.partnerAPI(
                        "/v5/partner/rates/get", #"{"currency_from":"USD","currency_to":"KZT","date":"\#(moment)"\#(extra)}"#, as: partner)
                }
                let before = try await rate(at: Self.at(server, 60))
                #expect(before.text.contains(#""rate":441.507"#))
                let inside = try await rate(at: Self.at(server, 5000))
                #expect(inside.text.contains(#""rate":450.25"#))
                #expect((inside.json["rate"] as? [String: Any])?["end_date"] as? String == end)
                let after = try await rate(at: Self.at(server, 7200))
                #expect(after.errorCode == "404")
                #expect(after.json["status"] as? String == "error")
                let early = try await rate(at: Self.at(server, -60))
                #expect(early.errorCode == "404")  // nothing was in force before the request arrived
                let p2p = try await rate(at: Self.at(server, 60), extra: #","rate_type":"p2p","operation":"sell""#)
                #expect(p2p.text.contains(#""rate":0.12345678901234567890123"#))
            }
        }
    }

    @Test func listAnswersOneRatePerKeyAndRepositoryConvertsExactly() async throws {
        try await withPartnerServer { server in
            let partner = try await server.createPartner()
            try await server.withRouter { client in
                _ = try await client.partnerAPI("/v5/partner/rates/add", #"{"rates":[{"currency_from":"USD","currency_to":"KZT","rate":441.507},{"currency_from":"EUR","currency_to":"KZT","rate":480.1},{"currency_from":"USD","currency_to":"KZT","rate":442}]}"#, as: partner)
                let all = try await client.partnerAPI("/v5/partner/rates/list", "{}", as: partner)
                let rates = all.json["rates"] as? [[String: Any]] ?? []
                #expect(rates.count == 2)
                #expect(all.text.contains(#""rate":442"#) && !all.text.contains("441.507"))
                let eur = try await client.partnerAPI("/v5/partner/rates/list", #"{"currency_from":"EUR"}"#, as: partner)
                #expect((eur.json["rates"] as? [[String: Any]])?.count == 1)
            }
            let rate = try await server.services.store.read { db in
                try await RateRepository().rateInForce(partner: partner.id, from: "USD", to: "KZT", at: server.clock.now().addingTimeInterval(1), in: db)
            }
            #expect(rate?.convert(Decimal(string: "10.5")!) == Decimal(string: "4641")!)
        }
    }

    @Test func invalidRateRefusesTheWholeBatchWithIntegerCode1001() async throws {
        try await withPartnerServer { server in
            let partner = try await server.createPartner()
            try await server.withRouter { client in
                let response = try await client.partnerAPI(
                    "/v5/partner/rates/add",
                    #"{"rates":[{"currency_from":"USD","currency_to":"KZT","rate":441.5},{"currency_from":"EUR","currency_to":"KZT","rate":-1}]}"#,
                    as: partner)
                #expect(response.status == .ok)
                #expect(response.json["error_code"] as? Int == 1001)
                #expect((response.json["error_description"] as? String)?.contains("rates[1].rate") == true)
                let missing = try await client.partnerAPI("/v5/partner/rates/add", #"{"rates":[{"currency_from":"USD","rate":1}]}"#, as: partner)
                #expect(missing.json["error_code"] as? Int == 1001)
                #expect((missing.json["error_description"] as? String)?.contains("currency_to") == true)
                let malformed = try await client.partnerAPI("/v5/partner/rates/add", "not json", as: partner)
                #expect(malformed.status == .unprocessableContent)
                let badDate = try await client.partnerAPI("/v5/partner/rates/get", #"{"currency_from":"USD","currency_to":"KZT","date":"2025-01-01"}"#, as: partner)
                #expect(badDate.json["error_code"] as? Int == 1001)
                let noPair = try await client.partnerAPI("/v5/partner/rates/get", #"{"currency_from":"USD"}"#, as: partner)
                #expect(noPair.json["error_code"] as? Int == 1001)
            }
            #expect(try await server.count("partner_rates") == 0)
        }
    }

    /// The Rates page's example body as printed there (pretty-printed, blank line, `end_date` equal to a past
    /// `start_date`): accepted; its p2p rate was over before it arrived, so it never governs.
    @Test func docsRatesPageBodyIsAcceptedAsSent() async throws {
        try await withPartnerServer { server in
            let partner = try await server.createPartner()
            let body = "{\n    \"rates\": [\n        {\n            \"currency_from\": \"USD\",\n            \"currency_to\": \"KZT\",\n"
                + "            \"rate\": 123.123456,\n            \"rate_type\": \"p2p\",\n            \"start_date\": \"2023-09-20 12:00:00\",\n"
                + "            \"end_date\": \"2023-09-20 12:00:00\"\n\n        },\n        {\n            \"currency_from\": \"EUR\",\n"
                + "            \"currency_to\": \"KZT\",\n            \"rate\": 123.123456\n        }\n    ]\n}"
            try await server.withRouter { client in
                _ = try await client.partnerAPI("/v5/partner/rates/add", #"{"rates":[{"currency_from":"USD","currency_to":"KZT","rate":440,"rate_type":"p2p"}]}"#, as: partner)
                let added = try await client.partnerAPI("/v5/partner/rates/add", body, as: partner)
                #expect(added.json["status"] as? String == "ok")
                let eur = try await client.partnerAPI("/v5/partner/rates/get", #"{"currency_from":"EUR","currency_to":"KZT"}"#, as: partner)
                #expect(eur.text.contains(#""rate":123.123456"#))
                let p2p = try await client.partnerAPI("/v5/partner/rates/get", #"{"currency_from":"USD","currency_to":"KZT","rate_type":"p2p"}"#, as: partner)
                #expect(p2p.text.contains(#""rate":440"#))
                let backwards = try await client.partnerAPI("/v5/partner/rates/add", #"{"rates":[{"currency_from":"USD","currency_to":"KZT","rate":1,"start_date":"2023-09-20 12:00:00","end_date":"2023-09-19 12:00:00"}]}"#, as: partner)
                #expect(backwards.json["error_code"] as? Int == 1001)
            }
        }
    }

    @Test func anotherPartnersRatesAreInvisible() async throws {
        try await withPartnerServer { server in
            let owner = try await server.createPartner()
            let other = try await server.createPartner()
            try await server.withRouter { client in
                _ = try await client.partnerAPI("/v5/partner/rates/add", #"{"rates":[{"currency_from":"USD","currency_to":"KZT","rate":441.507}]}"#, as: owner)
                let theirs = try await client.partnerAPI("/v5/partner/rates/get", #"{"currency_from":"USD","currency_to":"KZT"}"#, as: other)
                #expect(theirs.errorCode == "404")
                let list = try await client.partnerAPI("/v5/partner/rates/list", "{}", as: other)
                #expect((list.json["rates"] as? [Any])?.isEmpty == true)
                let unsigned = try await client.executeRequest(uri: "/v5/partner/rates/add", method: .post, headers: [:], body: .init(string: "{}"))
                #expect(unsigned.status == .unauthorized)
            }
        }
    }
}

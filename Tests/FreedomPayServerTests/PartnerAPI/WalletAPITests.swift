import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

@Suite struct WalletAPITests {
    static let owner = #"{"first_name":"Ivan","last_name":"Ivanov","iin":"900101300123","birthdate":"1990-01-01","document":{"type":"id_card","number":"012345678","issue_date":"2020-01-01"}}"#

    static func open(_ client: some TestClientProtocol, _ partner: Partner, _ identifier: String, request: String? = nil) async throws -> TestResponse {
        try await client.partnerAPI(
            "/v5/partner/wallet/add",
            #"{"request_id":"\#(request ?? "add-" + identifier)","country":"KAZ","currency":"KZT","identifier":"\#(identifier)"}"#, as: partner)
    }

    static func money(_ path: String, _ request: String, _ identifier: String, _ amount: String, to: String? = nil) -> (String, String) {
        let target = to.map { #","to_identifier":"\#($0)""# } ?? ""
        return ("/v5/partner/wallet/\(path)", #"{"request_id":"\#(request)","identifier":"\#(identifier)","amount":\#(amount)\#(target)}"#)
    }

    @Test func walletLifeFromOpeningToClosing() async throws {
        try await withPartnerServer { server in
            let partner = try await server.createPartner()
            try await server.withRouter { client in
                func call(_ request: (String, String)) async throws -> TestResponse { try await client.partnerAPI(request.0, request.1, as: partner) }
                let opened = try await Self.open(client, partner, "77011234567")
                #expect(opened.json["request_status"] as? String == "0" && opened.json["identifier"] as? String == "77011234567")
                _ = try await Self.open(client, partner, "77019998877")
                let identified = try await call(("/v5/partner/wallet/identification", #"{"request_id":"id-1","identifier":"77011234567","owner":\#(Self.owner)}"#))
                #expect(identified.json["status"] as? String == "ok")

                #expect(try await call(Self.money("topup", "m-1", "77011234567", "5000.50")).json["balance"] as? Double == 5000.5)
                let overdraw = try await call(Self.money("withdraw", "m-2", "77011234567", "6000"))
                #expect(overdraw.errorCode == "1001")
                #expect((overdraw.json["error_description"] as? String)?.contains("insufficient funds") == true)
                #expect(try await call(Self.money("withdraw", "m-3", "77011234567", "1000.25")).json["balance"] as? Double == 4000.25)
                #expect(try await call(Self.money("transfer", "m-4", "77011234567", "4000", to: "77019998877")).json["balance"] as? Double == 0.25)
                let tooPrecise = try await call(Self.money("topup", "m-5", "77011234567", "1.001"))
                #expect(tooPrecise.errorCode == "1001")

                let balance = try await call(("/v5/partner/wallet/balance", #"{"identifier":"77011234567"}"#))
                #expect(balance.text.contains(#""balance":0.25"#) && balance.json["currency"] as? String == "KZT")
                let statement = try await call(("/v5/partner/wallet/statement", #"{"identifier":"77011234567"}"#))
                let operations = try #require(statement.json["operations"] as? [[String: Any]])
                #expect(operations.compactMap { $0["type"] as? String } == ["emoney_buy", "emoney_pay", "emoney_transfer"])
                #expect(operations.compactMap { $0["amount"] as? Double } == [5000.5, -1000.25, -4000])
                #expect((operations[2]["correspondent"] as? [String: Any])?["account_number"] as? String == "77019998877")
                #expect(statement.json["error_code"] as? String == "")
                let received = try await call(("/v5/partner/wallet/statement", #"{"identifier":"77019998877"}"#))
                #expect((received.json["operations"] as? [[String: Any]])?.first?["amount"] as? Double == 4000)

                let blocked = try await call(("/v5/partner/wallet/block", #"{"request_id":"b-1","identifier":"77011234567","description":"Suspicious activity"}"#))
                #expect(blocked.json["request_status"] as? String == "0")
                #expect(try await call(("/v5/partner/wallet/block", #"{"request_id":"b-2","identifier":"77011234567","description":"again"}"#)).errorCode == "1008")
                #expect(try await call(Self.money("topup", "m-6", "77011234567", "1")).errorCode == "1001")
                let info = try await call(("/v5/partner/wallet/info", #"{"identifier":"77011234567"}"#))
                #expect((info.json["wallet"] as? [String: Any])?["state"] as? String == "blocked")
                #expect((info.json["wallet"] as? [String: Any])?["identified"] as? Bool == true)

                let notEmpty = try await call(("/v5/partner/wallet/close", #"{"request_id":"c-1","identifier":"77011234567","description":"owner left"}"#))
                #expect(notEmpty.errorCode == "1005")
                #expect(try await call(Self.money("transfer", "m-7", "77019998877", "0.25", to: "77011234567")).errorCode == "1001")  // blocked target
                #expect(try await call(Self.money("withdraw", "m-8", "77011234567", "0.25")).errorCode == "1001")  // blocked source
                // Empty the blocked wallet is impossible through the API; close the other one instead after emptying it.
                #expect(try await call(Self.money("withdraw", "m-9", "77019998877", "4000")).json["balance"] as? Double == 0)
                let closed = try await call(("/v5/partner/wallet/close", #"{"request_id":"c-2","identifier":"77019998877","description":"owner left"}"#))
                #expect(closed.json["status"] as? String == "ok")
                try await Self.expectClosedRefusesEverything(client, partner, "77019998877")
            }
            // Every refused movement left the ledger untouched: it still balances, and the wallets hold what they show.
            let violations = try await server.services.store.read { db in try await LedgerAudit().violations(in: db) }
            #expect(violations.isEmpty)
            #expect(try await server.count("ledger_journal") == 4)  // m-1, m-3, m-4, m-9
        }
    }

    @Test func concurrentTwinsWithOneRequestIDRunOnce() async throws {
        try await withPartnerServer { server in
            let partner = try await server.createPartner()
            let answers = try await server.withRouter { client in
                _ = try await Self.open(client, partner, "w-1")
                return try await withThrowingTaskGroup(of: String?.self) { group in
                    for _ in 0..<8 {
                        group.addTask {
                            let (path, body) = Self.money("topup", "same-id", "w-1", "10")
                            return try await client.partnerAPI(path, body, as: partner).errorCode ?? "ok"
                        }
                    }
                    var all: [String?] = []
                    for try await answer in group { all.append(answer) }
                    return all
                }
            }
            #expect(answers.filter { $0 == "ok" }.count == 1)
            #expect(answers.filter { $0 == "1002" }.count == 7)
            let balance = try await server.services.store.read { db in
                try await db.queryOne("SELECT posted_minor FROM ledger_accounts WHERE kind = 'wallet'", [])?.int("posted_minor")
            }
            #expect(balance == 1000)
        }
    }

    static func expectClosedRefusesEverything(_ client: some TestClientProtocol, _ partner: Partner, _ id: String) async throws {
        let refused: [(String, String)] = [
            ("/v5/partner/wallet/block", #"{"request_id":"z-1","identifier":"\#(id)","description":"x"}"#),
            ("/v5/partner/wallet/close", #"{"request_id":"z-2","identifier":"\#(id)","description":"x"}"#),
            ("/v5/partner/wallet/identification", #"{"request_id":"z-3","identifier":"\#(id)","owner":\#(owner)}"#),
            ("/v5/partner/wallet/balance", #"{"identifier":"\#(id)"}"#),
            money("topup", "z-4", id, "1"), money("withdraw", "z-5", id, "1"),
        ]
        for (path, body) in refused {
            let response = try await client.partnerAPI(path, body, as: partner)
            #expect(response.errorCode == "1007", "\(path)")
            #expect(response.json["request_status"] as? String == "2")
        }
        let info = try await client.partnerAPI("/v5/partner/wallet/info", #"{"identifier":"\#(id)"}"#, as: partner)
        #expect((info.json["wallet"] as? [String: Any])?["state"] as? String == "closed")
        let statement = try await client.partnerAPI("/v5/partner/wallet/statement", #"{"identifier":"\#(id)"}"#, as: partner)
        #expect((statement.json["operations"] as? [Any])?.count == 2)
        let status = try await client.partnerAPI("/v5/partner/wallet/request/status", #"{"request_id":"z-1"}"#, as: partner)
        #expect(status.json["request_status"] as? String == "2" && status.json["error_code"] as? String == "1007")
    }

    @Test func documentedErrorCodesAsStrings() async throws {
        // A delay far longer than any test run, so only the explicit clock advance below completes the request.
        try await withPartnerServer(configure: { $0.asyncCompletionDelaySeconds = 100_000 }) { server in
            let partner = try await server.createPartner()
            try await server.withRouter { client in
                let first = try await Self.open(client, partner, "w1", request: "r-1")
                #expect(first.json["request_status"] as? String == "1")
                #expect(try await Self.open(client, partner, "w1", request: "r-2").errorCode == "1003")
                #expect(try await Self.open(client, partner, "w2", request: "r-1").errorCode == "1002")
                let missing = try await client.partnerAPI("/v5/partner/wallet/block", #"{"request_id":"r-3","identifier":"nope","description":"x"}"#, as: partner)
                #expect(missing.errorCode == "1004" && missing.json["request_status"] as? String == "2")
                #expect(try await client.partnerAPI("/v5/partner/wallet/info", #"{"identifier":"nope"}"#, as: partner).errorCode == "1004")
                #expect(try await client.partnerAPI("/v5/partner/wallet/request/status", #"{"request_id":"unknown"}"#, as: partner).errorCode == "1006")
                let bad = try await client.partnerAPI("/v5/partner/wallet/add", #"{"request_id":"r-4","country":"KAZ","currency":"XYZ"}"#, as: partner)
                #expect(bad.errorCode == "1001")
                let status = #"{"request_id":"r-1"}"#
                #expect(try await client.partnerAPI("/v5/partner/wallet/request/status", status, as: partner).json["request_status"] as? String == "1")
                server.clock.advance(by: 100_001)
                let done = try await client.partnerAPI("/v5/partner/wallet/request/status", status, as: partner)
                #expect(done.json["request_status"] as? String == "0" && done.json["identifier"] as? String == "w1")
                let generated = try await client.partnerAPI("/v5/partner/wallet/add", #"{"request_id":"r-5","country":"KAZ","currency":"KZT"}"#, as: partner)
                #expect((generated.json["identifier"] as? String)?.count == 12)
            }
            #expect(try await server.count("partner_wallets") == 2)
        }
    }

    @Test func anotherPartnersWalletIsNotFoundAndNothingChanges() async throws {
        try await withPartnerServer { server in
            let owner = try await server.createPartner()
            let other = try await server.createPartner()
            try await server.withRouter { client in
                _ = try await Self.open(client, owner, "77011234567")
                _ = try await client.partnerAPI(Self.money("topup", "t-1", "77011234567", "100").0, Self.money("topup", "t-1", "77011234567", "100").1, as: owner)
                let attempts: [(String, String)] = [
                    ("/v5/partner/wallet/block", #"{"request_id":"o-1","identifier":"77011234567","description":"x"}"#),
                    ("/v5/partner/wallet/close", #"{"request_id":"o-2","identifier":"77011234567","description":"x"}"#),
                    ("/v5/partner/wallet/identification", #"{"request_id":"o-3","identifier":"77011234567","owner":\#(Self.owner)}"#),
                    ("/v5/partner/wallet/info", #"{"identifier":"77011234567"}"#),
                    ("/v5/partner/wallet/balance", #"{"identifier":"77011234567"}"#),
                    ("/v5/partner/wallet/statement", #"{"identifier":"77011234567"}"#),
                    Self.money("withdraw", "o-4", "77011234567", "100"),
                ]
                for (path, body) in attempts {
                    #expect(try await client.partnerAPI(path, body, as: other).errorCode == "1004", "\(path)")
                }
                #expect(try await client.partnerAPI("/v5/partner/wallet/request/status", #"{"request_id":"t-1"}"#, as: other).errorCode == "1006")
                // The other partner may use the same identifier for its own wallet.
                #expect(try await Self.open(client, other, "77011234567").json["status"] as? String == "ok")
                let info = try await client.partnerAPI("/v5/partner/wallet/info", #"{"identifier":"77011234567"}"#, as: owner)
                #expect((info.json["wallet"] as? [String: Any])?["state"] as? String == "active")
                #expect((info.json["wallet"] as? [String: Any])?["identified"] as? Bool == false)
                let balance = try await client.partnerAPI("/v5/partner/wallet/balance", #"{"identifier":"77011234567"}"#, as: owner)
                #expect(balance.json["balance"] as? Double == 100)
            }
        }
    }

    @Test func invalidWalletBodiesAnswer1001AndUnknownTargets1004() async throws {
        try await withPartnerServer { server in
            let partner = try await server.createPartner()
            try await server.withRouter { client in
                _ = try await Self.open(client, partner, "kzt")
                _ = try await client.partnerAPI("/v5/partner/wallet/add", #"{"request_id":"usd","country":"KAZ","currency":"USD","identifier":"usd"}"#, as: partner)
                _ = try await client.partnerAPI(Self.money("topup", "t-1", "kzt", "50").0, Self.money("topup", "t-1", "kzt", "50").1, as: partner)
                let cases: [((String, String), String, String)] = [
                    (("/v5/partner/wallet/identification", #"{"request_id":"i-1","identifier":"kzt","owner":\#(Self.owner.replacingOccurrences(of: "900101300123", with: "12"))}"#), "1001", "owner.iin"),
                    (("/v5/partner/wallet/identification", #"{"request_id":"i-2","identifier":"kzt","owner":\#(Self.owner.replacingOccurrences(of: "1990-01-01", with: "01.01.1990"))}"#), "1001", "owner.birthdate"),
                    (("/v5/partner/wallet/statement", #"{"identifier":"kzt","start_date":"yesterday"}"#), "1001", "start_date"),
                    (("/v5/partner/wallet/block", #"{"request_id":"b-1","identifier":"kzt","description":""}"#), "1001", "description"),
                    (("/v5/partner/wallet/add", #"{"request_id":"a-1","country":"Kazakhstan","currency":"KZT"}"#), "1001", "country"),
                    (("/v5/partner/wallet/add", #"{"request_id":"a-2","currency":"KZT"}"#), "1001", "country"),
                    (Self.money("topup", "m-1", "kzt", "-5"), "1001", "amount"),
                    (("/v5/partner/wallet/transfer", #"{"request_id":"m-2","identifier":"kzt","amount":1}"#), "1001", "to_identifier"),
                    (Self.money("transfer", "m-3", "kzt", "1", to: "nobody"), "1004", "nobody"),
                    (Self.money("transfer", "m-4", "kzt", "1", to: "kzt"), "1001", "to_identifier"),
                    (Self.money("transfer", "m-5", "kzt", "1", to: "usd"), "1001", "different currencies"),
                ]
                for (request, code, mention) in cases {
                    let response = try await client.partnerAPI(request.0, request.1, as: partner)
                    #expect(response.errorCode == code, "\(request.0) \(mention)")
                    #expect((response.json["error_description"] as? String)?.contains(mention) == true, "\(response.text)")
                }
                let info = try await client.partnerAPI("/v5/partner/wallet/info", #"{"identifier":"kzt"}"#, as: partner)
                #expect((info.json["wallet"] as? [String: Any])?["identified"] as? Bool == false)
                let balance = try await client.partnerAPI("/v5/partner/wallet/balance", #"{"identifier":"kzt"}"#, as: partner)
                #expect(balance.json["balance"] as? Double == 50)
            }
        }
    }
}

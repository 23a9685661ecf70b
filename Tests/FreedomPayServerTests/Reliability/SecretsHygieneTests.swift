import Foundation
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import HummingbirdTesting
import Synchronization
import Testing

/// After a full scenario over every API (cards, PIN, secrets, transactions, gift cards, wallets, legacy Sign, a
/// purchase paid on the hosted page),
/// no PAN, CVV, PIN, partner or merchant secret, or full signature used appears in the SQLite files (WAL
/// included) or in any log line captured at trace level.
@Suite struct SecretsHygieneTests {
    /// Every signature header value sent, so the scan can look for them.
    final class Sent: Sendable {
        private let values = Mutex<[String]>([])
        func add(_ value: String) { values.withLock { $0.append(value) } }
        var all: [String] { values.withLock { $0 } }
    }

    static func call(_ client: any TestClientProtocol, _ path: String, _ body: String, _ partner: Partner, _ sent: Sent) async throws -> TestResponse {
        let alg: JWSAlgorithm = path.hasPrefix("/v5/partner/") ? .hs256 : .hs512
        let signature = DetachedJWS.sign(body: Array(body.utf8), header: JWSHeader(uri: path, authID: partner.authID, alg: alg), secret: partner.secret)
        sent.add(signature)
        sent.add(String(signature.split(separator: ".").last ?? ""))
        return try await client.raw(path, body: body, headers: [("X-JWS-Signature", signature)])
    }

    @Test func noSecretAppearsInTheDatabaseFilesOrTheLogs() async throws {
        let (server, lines) = try await TestServer.makeCapturingLogs()
        let directory = server.directory
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner()
        let merchant = try await server.createMerchant()
        let sent = Sent()
        let pin = "7391"

        let (pan, cvv) = try await server.withRouter { client in
            let added = try await Self.call(client, "/v5/card-api/client/add", CardBodies.client(), partner, sent)
            let clientID = try #require(added.json["client_id"] as? String, "\(added.text)")
            let issueID = CardBodies.uuid()
            _ = try await Self.call(client, "/v5/card-api/card/issue",
                                    CardBodies.json(IssueCardRequest(requestID: issueID, productID: 2000, clientID: clientID)), partner, sent)
            let status = try await Self.call(client, "/v5/card-api/request/status", #"{"request_id":"\#(issueID)"}"#, partner, sent)
            let card = try #require(((status.json["cards"] as? [[String: Any]])?.first)?["card_id"] as? String, "\(status.text)")
            _ = try await Self.call(client, "/v5/card-api/card/set_pin", CardPINTests.setPIN(card, pin, partner: partner), partner, sent)
            let secret = try await Self.call(client, "/v5/card-api/card/secret", CardBodies.json(CardRequest(cardID: card)), partner, sent)
            let cipher = CardDataCipher(partnerSecret: partner.secret, authID: partner.authID)
            let pan = try cipher.open(secret.json["pan"] as? String ?? "")
            let cvv = try cipher.open(secret.json["cvv"] as? String ?? "")
            _ = try await Self.call(client, "/v5/card-api/transaction/create", TransactionTests.create(card, "credit", "500"), partner, sent)
            let order = "ORD-HYGIENE"
            let debit = try await Self.call(client, "/v5/card-api/transaction/create", TransactionTests.create(card, "debit", "120", order: order), partner, sent)
            if let transaction = debit.json["transaction_id"] as? String {
                _ = try await Self.call(client, "/v5/card-api/transaction/clearing", TransactionTests.step(transaction, order: order), partner, sent)
            }
            _ = try await Self.call(client, "/v5/card-api/card/statement", CardBodies.json(CardRequest(cardID: card)), partner, sent)
            _ = try await Self.call(client, "/v5/cards/product_list", "{}", partner, sent)
            let wallet = #"{"request_id":"\#(CardBodies.uuid())","country":"KAZ","currency":"KZT","identifier":"W-HYGIENE-1"}"#
            _ = try await Self.call(client, "/v5/partner/wallet/add", wallet, partner, sent)
            let legacyBody = CardBodies.json(CardRequest(cardID: card))
            let sign = LegacySign.sign(body: Array(legacyBody.utf8), secret: partner.secret)
            sent.add(sign)
            _ = try await client.raw("/v5/card-api/card/info", body: legacyBody, headers: [
                ("Auth-Id", partner.authID), ("Request-Id", CardBodies.uuid()), ("Sign", sign)])
            // Merchant API: a purchase paid on the hosted page with a full card number (signed with pg_sig).
            _ = try await client.paidPayment(merchant, card: TestCard.frictionless)
            return (pan, cvv)
        }
        #expect(PAN.isLuhnValid(pan))
        #expect(!lines.all.isEmpty, "the capture saw the request log lines")

        let needles = [pan, TestCard.frictionless, partner.secret, merchant.paymentSecret, merchant.payoutSecret]
            + sent.all.filter { $0.count >= 16 }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("freedompay.sqlite") }
        #expect(files.contains("freedompay.sqlite"))
        var leaks = 0
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(file))
            for needle in needles where data.range(of: Data(needle.utf8)) != nil {
                leaks += 1
                Issue.record("a secret (\(needle.count) chars) is in \(file)")
            }
        }
        for needle in needles + [pin] where lines.all.contains(where: { $0.contains(needle) }) {
            leaks += 1
            Issue.record("a secret (\(needle.count) chars) is in the logs")
        }
        #expect(!lines.all.contains { $0.lowercased().contains("cvv") }, "CVV in the logs")
        let values = try await Self.textValues(server)
        for exact in [cvv, pin] where values.contains(exact) {
            leaks += 1
            Issue.record("a column holds the CVV or PIN in clear")
        }
        #expect(leaks == 0)
        print("RELIABILITY leaks_found=\(leaks) secrets_checked=\(needles.count + 2)")
    }

    /// Text and blob values of every column (integers are left out: a 3-digit CVV may equal a currency code).
    static func textValues(_ server: TestServer) async throws -> Set<String> {
        try await server.services.store.read { db in
            var values: Set<String> = []
            for table in try await db.query("SELECT name FROM sqlite_master WHERE type = 'table'", []).map({ try $0.text("name") }) {
                for row in try await db.query("SELECT * FROM \"\(table)\"", []) {
                    for value in row.values {
                        if case .text(let text) = value { values.insert(text) }
                        if case .blob(let bytes) = value { values.insert(String(decoding: bytes, as: UTF8.self)) }
                    }
                }
            }
            return values
        }
    }
}

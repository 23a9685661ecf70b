import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

/// `freedompay sandbox reset`: business data gone in one transaction, partners/merchants/credentials kept.
@Suite struct SandboxResetTests {
    static func count(_ table: String, _ server: TestServer) async throws -> Int64 {
        try await server.services.store.read { db in try await db.queryOne("SELECT COUNT(*) AS n FROM \(table)", [])?.int("n") ?? -1 }
    }

    @Test func wipesBusinessDataAndKeepsCredentials() async throws {
        try await withCardServer { server, partner, _, client in
            let merchant = try await server.createMerchant()
            let (_, card) = try await client.issueCard(as: partner)
            let funded = try await client.cardAPI("/v5/card-api/sandbox/fund", #"{"amount":"1000","currency":"KZT"}"#, as: partner)
            #expect(funded.json["balance"] != nil, "\(funded.text)")
            _ = try await server.paidPaymentDirectly(merchant, resultURL: "http://127.0.0.1:9/result")
            #expect(try await Self.count("ledger_journal", server) > 0)

            let unconfirmed = try await client.cardAPI("/v5/card-api/sandbox/reset", "{}", as: partner)
            #expect(unconfirmed.json["error_code"] as? String == "validation_error")
            #expect(try await Self.count("payment_cards", server) == 1, "nothing removed without confirm")

            let reset = try await client.cardAPI("/v5/card-api/sandbox/reset", #"{"confirm":"reset"}"#, as: partner)
            #expect(reset.json["status"] as? String == "ok", "\(reset.text)")
            for table in SandboxReset.wipedTables { #expect(try await Self.count(table, server) == 0, "\(table)") }
            let violations = try await server.services.store.read { db in try await LedgerAudit().violations(in: db) }
            #expect(violations.isEmpty)
            #expect(try await Self.count("partners", server) == 2)
            #expect(try await Self.count("merchants", server) == 1)

            try await client.expectError("/v5/card-api/card/info", CardBodies.json(CardRequest(cardID: card)), as: partner, code: "card_not_found")
            let (_, fresh) = try await client.issueCard(as: partner)
            #expect(fresh != card)
            let status = try await client.merchantAPI("/get_status3.php", [PGParameter("pg_payment_id", "1")], as: merchant)
            #expect(status.xml.value("pg_error_code") != "1100", "the merchant's secret still verifies: \(status.text)")
        }
    }

    /// Every table of the schema is either wiped or explicitly kept, so a new table has to choose.
    @Test func everyTableIsClassified() async throws {
        let server = try await TestServer.make()
        let tables = try await server.services.store.read { db in
            try await db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", []).map { try $0.text("name") }
        }
        let classified = Set(SandboxReset.wipedTables + SandboxReset.keptTables)
        #expect(Set(tables).subtracting(classified).sorted() == [])
        #expect(classified.subtracting(tables).sorted() == [])
        await server.cleanUp()
    }

    @Test func resetIsAbsentOutsideSandboxMode() async throws {
        let server = try await TestServer.make(sandbox: false)
        let partner = try await server.createPartner()
        let response = try await server.withRouter { client in
            try await client.cardAPI("/v5/card-api/sandbox/reset", #"{"confirm":"reset"}"#, as: partner)
        }
        #expect(response.status == .notFound)
        await server.cleanUp()
    }
}

import Foundation
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import HummingbirdTesting
import Testing

/// PAN and CVV must never be readable in the database file or in the log output.
@Suite struct CardSecretsAtRestTests {
    @Test func fullPANAndCVVAppearNeitherInTheSQLiteFilesNorInTheLogs() async throws {
        let (server, lines) = try await TestServer.makeCapturingLogs()
        let directory = server.directory
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner()

        let secrets: [CardSecretPlain] = try await server.withRouter { client in
            var found: [CardSecretPlain] = []
            for _ in 0..<3 {
                let (_, card) = try await client.issueCard(as: partner)
                _ = try await client.cardAPI("/v5/card-api/card/set_pin", CardPINTests.setPIN(card, "7391", partner: partner), as: partner)
                let response = try await client.cardAPI("/v5/card-api/card/secret", CardBodies.json(CardRequest(cardID: card)), as: partner)
                let cipher = CardDataCipher(partnerSecret: partner.secret, authID: partner.authID)
                found.append(CardSecretPlain(
                    pan: try cipher.open(response.json["pan"] as? String ?? ""), expiry: "", cvv: try cipher.open(response.json["cvv"] as? String ?? "")))
                _ = try await client.cardAPI("/v5/card-api/card/block", CardBodies.action(card), as: partner)
            }
            return found
        }
        #expect(!lines.all.isEmpty, "the capture saw the request log lines")

        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("freedompay.sqlite") }
        #expect(files.contains("freedompay.sqlite"))
        let bytes = try files.map { try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent($0)) }
        for secret in secrets {
            #expect(PAN.isLuhnValid(secret.pan))
            for data in bytes {
                #expect(data.range(of: Data(secret.pan.utf8)) == nil, "PAN in the database file")
                #expect(data.range(of: Data("\"cvv\":\"\(secret.cvv)\"".utf8)) == nil)
            }
            #expect(!lines.all.contains { $0.contains(secret.pan) }, "PAN in the logs")
            #expect(!lines.all.contains { $0.contains("cvv") || $0.contains("7391") }, "CVV or PIN in the logs")
        }
        let values = try await Self.everyStoredValue(server)
        for secret in secrets {
            #expect(!values.contains { $0.contains(secret.pan) })
            #expect(!values.contains(secret.cvv), "a column holds the CVV in clear")
            #expect(!values.contains("7391"), "a column holds the PIN in clear")
        }
    }

    /// Every text value of every row of every table (blobs as UTF-8), via SQL.
    static func everyStoredValue(_ server: TestServer) async throws -> [String] {
        try await server.services.store.read { db in
            var values: [String] = []
            let tables = try await db.query("SELECT name FROM sqlite_master WHERE type = 'table'", []).map { try $0.text("name") }
            for table in tables {
                for row in try await db.query("SELECT * FROM \"\(table)\"", []) {
                    for value in row.values {
                        switch value {
                        case .text(let text): values.append(text)
                        case .integer(let number): values.append(String(number))
                        case .blob(let bytes): values.append(String(decoding: bytes, as: UTF8.self))
                        case .null: break
                        }
                    }
                }
            }
            return values
        }
    }
}

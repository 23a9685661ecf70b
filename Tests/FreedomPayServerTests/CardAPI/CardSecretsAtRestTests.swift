import Foundation
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// PAN and CVV must never be readable in the database file or in the log output.
@Suite struct CardSecretsAtRestTests {
    @Test func fullPANAndCVVAppearNeitherInTheSQLiteFilesNorInTheLogs() async throws {
        let lines = LogCapture()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fp-test-\(UUID().uuidString)").path
        let configuration = ServerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: directory, sandbox: true)
        var logger = Logger(label: "capture") { _ in CaptureHandler(capture: lines) }
        logger.logLevel = .trace
        let clock = ManualClock()
        let services = try await FreedomPayApplication.makeServices(configuration: configuration, clock: clock, logger: logger)
        let server = TestServer(services: services, directory: directory, clock: clock)
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

final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

/// A swift-log handler that keeps every message with its metadata.
struct CaptureHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        let merged = self.metadata.merging(explicit ?? [:]) { $1 }
        capture.append("\(level) \(message) \(merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }
}

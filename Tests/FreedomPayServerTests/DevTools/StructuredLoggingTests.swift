import Foundation
import FreedomPayClient
import FreedomPayCore
import FreedomPayWire
import Logging
import Synchronization
import Testing

@testable import FreedomPayServer

/// `--log-format json`: one JSON object per line, every line of a request carrying its HTTP request id.
@Suite struct StructuredLoggingTests {
    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        func take() -> [String] { lines.withLock { lines in defer { lines.removeAll() }; return lines } }
    }

    static func logger(into lines: Lines) -> Logger {
        var logger = Logger(label: "freedompay") { label in
            JSONLogHandler(label: label, metadataProvider: StructuredLogging.requestIDProvider, write: { lines.append($0) })
        }
        logger.logLevel = .debug
        return logger
    }

    @Test func everyLineOfARequestIsJSONWithItsRequestID() async throws {
        let lines = Lines()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fp-test-\(UUID().uuidString)").path
        let configuration = ServerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: directory, sandbox: true)
        let services = try await FreedomPayApplication.makeServices(configuration: configuration, clock: ManualClock(), logger: Self.logger(into: lines))
        let server = TestServer(services: services, directory: directory, clock: ManualClock())
        let partner = try await server.createPartner()
        try await server.withLiveServer { baseURL in
            let client = CardAPIClient(baseURL: baseURL, authID: partner.authID, secret: partner.secret)
            _ = lines.take()
            let response = try await client.sendRaw(path: "/v5/card-api/sandbox/inject", body: Array(
                #"{"action":"add","rule":"POST /v5/card-api/client/add=latency:1"}"#.utf8))
            try await Task.sleep(for: .milliseconds(100))
            let header = try #require(response.headers.first { $0.0.lowercased() == "x-request-id" }?.1)
            let captured = lines.take()
            #expect(captured.count >= 2, "the handler's line (services.logger) and the request line: \(captured)")
            for line in captured {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
                #expect(object["http_request_id"] as? String == header, "\(line)")
                #expect(Set(object.keys).isSuperset(of: ["timestamp", "level", "message", "label", "metadata"]))
                #expect(!line.contains(partner.secret))
            }
            #expect(captured.contains { $0.contains("failure injection rule added") })
        }
        await server.cleanUp()
    }

    @Test func secretLookingMetadataIsRedacted() throws {
        let lines = Lines()
        Self.logger(into: lines).info("x", metadata: ["payment_secret": "s3cret", "pg_sig": "abcdef", "path": "/ok"])
        let line = try #require(lines.take().first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let metadata = object["metadata"] as? [String: String] ?? [:]
        #expect(metadata == ["payment_secret": "[redacted]", "pg_sig": "[redacted]", "path": "/ok"])
        #expect(object["http_request_id"] == nil)
    }

    /// `--log-format text` (the default): swift-log's text layout, metadata as it is when the line is written
    /// (set after set, removed keys gone), secret-looking keys redacted as in JSON.
    @Test func textLinesKeepStreamLogHandlersLayoutAndRedact() throws {
        let lines = Lines()
        var logger = Logger(label: "freedompay") { label in TextLogHandler(label: label, write: { lines.append($0) }) }
        logger.logLevel = .info
        logger[metadataKey: "partner"] = "123456"
        logger[metadataKey: "stale"] = "x"
        logger[metadataKey: "stale"] = nil
        logger.debug("not written")
        logger.info("card issued", metadata: ["pan": "4405639700001234", "b": "2"])
        logger.error("failed", error: CardAPIFailure(.cardNotFound, "card not found"), metadata: ["a": "1"])
        let written = lines.take()
        #expect(written.count == 2, "\(written)")
        let first = try #require(written.first)
        let pattern = #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} info freedompay: b=2 pan=\[redacted\] partner=123456 \[\w+\] card issued$/#
        #expect(first.wholeMatch(of: pattern) != nil, "\(first)")
        let second = try #require(written.last)
        #expect(second.contains(" error freedompay: a=1 error.message="), "\(second)")
        #expect(second.contains("error.type=FreedomPayServer.CardAPIFailure partner=123456 ["), "\(second)")
        #expect(second.hasSuffix("] failed"))
    }

    @Test func errorAnswersCarryTheRequestIDHeaderToo() async throws {
        try await withCardServer { _, partner, _, client in
            let refused = try await client.cardAPI("/v5/card-api/sandbox/inject", #"{"action":"explode"}"#, as: partner)
            #expect(refused.json["status"] as? String == "error")
            #expect(refused.headers[RequestIDHeaderMiddleware.header]?.isEmpty == false)
        }
    }
}

import FreedomPayCore
import FreedomPayServer
import Logging
import Synchronization

extension TestServer {
    /// A sandbox test server whose log lines, every level down to trace, are kept in the returned capture,
    /// for tests that check what reaches the logs (no PAN, CVV, PIN or secret).
    static func makeCapturingLogs() async throws -> (TestServer, LogCapture) {
        let lines = LogCapture()
        var logger = Logger(label: "capture") { _ in CaptureHandler(capture: lines) }
        logger.logLevel = .trace
        return (try await make(logger: logger), lines)
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

import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// `freedompay serve --log-format json|text`: one JSON object per line (timestamp, level, message, label,
/// metadata, http_request_id) or swift-log's text lines, both carrying the HTTP request id of the request
/// being handled. The id is Hummingbird's `hb.request.id`, read from the task-local request logger, so lines
/// written through `services.logger` inside a handler carry it too. It is not the Card API's `request_id`
/// (a body field chosen by the partner) and is echoed as the `X-Request-Id` response header.
public enum StructuredLogging {
    public enum Format: String, Sendable, CaseIterable { case json, text }

    /// Hummingbird's metadata key for the per-request id.
    public static let requestIDKey = "hb.request.id"

    /// Installs the process-wide log handler; call once, before anything logs.
    public static func bootstrap(_ format: Format, level: Logger.Level) {
        LoggingSystem.bootstrap({ label, provider in
            switch format {
            case .json:
                var handler = JSONLogHandler(label: label, metadataProvider: provider)
                handler.logLevel = level
                return handler
            case .text:
                var handler = TextLogHandler(label: label, metadataProvider: provider)
                handler.logLevel = level
                return handler
            }
        }, metadataProvider: requestIDProvider)
    }

    /// Adds the current request's id (from the task-local logger Hummingbird binds per request) to every line.
    public static let requestIDProvider = Logger.MetadataProvider {
        guard let id = Logger.current[metadataKey: requestIDKey] else { return [:] }
        return [requestIDKey: id]
    }

    /// Metadata keys whose values are never written, whatever a caller passes (defence in depth: callers must
    /// not log secrets, PANs or full signatures in the first place).
    static let redactedKeyParts = ["secret", "password", "pan", "cvv", "pin", "sig", "signature", "token", "authorization"]

    /// A line's metadata: the logger's, then the provider's, then the call's (later wins), then the error's.
    static func metadata(of event: LogEvent, base: Logger.Metadata, provider: Logger.MetadataProvider?) -> Logger.Metadata {
        var merged = base
        if let provided = provider?.get() { merged.merge(provided) { $1 } }
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        return merged
    }

    static func isRedacted(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return redactedKeyParts.contains { lowered == $0 || lowered.hasSuffix("_" + $0) || lowered.hasPrefix($0 + "_") }
    }
}

/// A swift-log handler writing one JSON object per line through `write` (stdout by default).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    public let label: String
    let write: @Sendable (String) -> Void

    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardOutput) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public static let standardOutput: @Sendable (String) -> Void = { line in
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = StructuredLogging.metadata(of: event, base: metadata, provider: metadataProvider)
        var object: [String: Any] = [
            "timestamp": Self.timestamp(), "level": event.level.rawValue, "message": "\(event.message)", "label": label,
        ]
        if let id = merged[StructuredLogging.requestIDKey] { object["http_request_id"] = "\(id)" }
        object["metadata"] = merged.reduce(into: [String: Any]()) { result, entry in
            result[entry.key] = StructuredLogging.isRedacted(entry.key) ? "[redacted]" : Self.json(entry.value)
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        write(String(decoding: data, as: UTF8.self))
    }

    static func json(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let convertible): return convertible.description
        case .array(let values): return values.map(json)
        case .dictionary(let entries): return entries.mapValues(json)
        }
    }

    static func timestamp() -> String {
        Date.now.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// swift-log's text lines (`StreamLogHandler`'s layout: `<time> <level> <label>: k=v … [<source>] <message>`), with
/// the JSON handler's redaction. Metadata is rendered when a line is written, not each time it is set:
/// `StreamLogHandler` re-renders all of it on every change, and every request changes it (Hummingbird's request
/// id, the caller's id), mostly at levels that write nothing.
public struct TextLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    public let label: String
    let write: @Sendable (String) -> Void

    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil,
                write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardOutput) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let rendered = StructuredLogging.metadata(of: event, base: metadata, provider: metadataProvider).sorted { $0.key < $1.key }
            .map { "\($0.key)=\(StructuredLogging.isRedacted($0.key) ? "[redacted]" : "\($0.value)")" }
            .joined(separator: " ")
        write("\(Self.timestamp()) \(event.level)\(label.isEmpty ? "" : " ")\(label):\(rendered.isEmpty ? "" : " " + rendered) [\(event.source)] \(event.message)")
    }

    /// Local time with its offset, as `StreamLogHandler` writes it.
    static func timestamp() -> String {
        var now = time(nil)
        var local = tm()
        guard localtime_r(&now, &local) != nil else { return "<unknown>" }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Echoes the HTTP request id as `X-Request-Id` on every answer, errors included.
struct RequestIDHeaderMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let header = HTTPField.Name("X-Request-Id")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[Self.header] = context.id
        return response
    }
}

import Foundation
import FreedomPayWire
import Hummingbird
import HummingbirdTesting
import Synchronization

/// A merchant's web server on a loopback port: records every callback, checks its `pg_sig` with the
/// independent MD5, and answers signed XML (or fails) as the test tells it to.
final class MerchantReceiver: Sendable {
    enum Reply: Sendable {
        case ok
        case rejected(String)
        case error
        /// HTTP 503, as if the merchant were down.
        case down
        /// A reply whose signature does not verify.
        case badSignature
    }

    struct Received: Sendable {
        let script: String
        let method: String
        let viaXML: Bool
        let fields: [(String, String)]
        let signatureValid: Bool

        func value(_ name: String) -> String? { fields.first { $0.0 == name }?.1 }
    }

    let secret: String
    private let state = Mutex<(replies: [String: Reply], received: [Received])>(([:], []))

    init(secret: String) { self.secret = secret }

    func reply(_ reply: Reply, to script: String) { state.withLock { $0.replies[script] = reply } }
    func received(_ script: String) -> [Received] { state.withLock { $0.received.filter { $0.script == script } } }

    /// Runs the receiver for `body`, which gets its base URL (`http://127.0.0.1:PORT/shop`).
    func run<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.get("shop/:script", use: handle)
        router.post("shop/:script", use: handle)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in try await body("http://127.0.0.1:\(client.port!)/shop") }
    }

    @Sendable func handle(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let script = context.parameters.get("script") ?? ""
        var fields = Self.decodeForm(request.uri.query ?? "")
        let body = try await request.body.collect(upTo: 1 << 20)
        fields += Self.decodeForm(String(buffer: body))
        var viaXML = false
        if let xml = fields.first(where: { $0.0 == "pg_xml" })?.1, let document = PGXMLParser.parse(xml) {
            viaXML = true
            fields = document.parameters.compactMap { parameter in
                if case .text(let text) = parameter.value { return (parameter.name, text) }
                return nil
            }
        }
        let signature = fields.first { $0.0 == "pg_sig" }?.1 ?? ""
        let valid = IndependentMD5.sign(script: script, parameters: fields, secret: secret) == signature
        let reply = state.withLock { state in
            state.received.append(Received(script: script, method: request.method.rawValue, viaXML: viaXML, fields: fields, signatureValid: valid))
            return state.replies[script] ?? .ok
        }
        return Self.answer(reply, script: script, secret: secret)
    }

    static func answer(_ reply: Reply, script: String, secret: String) -> Response {
        let status: String, description: String
        switch reply {
        case .down: return Response(status: .serviceUnavailable)
        case .ok, .badSignature: (status, description) = ("ok", "Order accepted")
        case .rejected(let reason): (status, description) = ("rejected", reason)
        case .error: (status, description) = ("error", "Internal error")
        }
        let fields = [("pg_status", status), ("pg_description", description), ("pg_salt", "Qw12Er")]
        var signature = IndependentMD5.sign(script: script, parameters: fields, secret: secret)
        if case .badSignature = reply { signature = String(signature.reversed()) }
        let xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><response>" + (fields + [("pg_sig", signature)])
            .map { "<\($0.0)>\($0.1)</\($0.0)>" }.joined() + "</response>"
        return Response(status: .ok, headers: [.contentType: "application/xml"], body: .init(byteBuffer: .init(string: xml)))
    }

    /// A plain urlencoded decoder (no nesting), independent of `PGForm`.
    static func decodeForm(_ text: String) -> [(String, String)] {
        text.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { return nil }
            return (name, parts.count > 1 ? decode(parts[1]) ?? "" : "")
        }
    }

    static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

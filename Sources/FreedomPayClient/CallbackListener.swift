import Foundation
import FreedomPayWire

/// The client half of `freedompay listen`: long-polls the server's sandbox relay for the merchant's callbacks,
/// checks each one's `pg_sig` with the merchant's secret, forwards it byte for byte to a local URL and hands
/// the local reply back, so the server records it as the merchant's answer (ok / rejected / retry unchanged).
public struct CallbackListener: Sendable {
    /// One relayed callback and what became of it.
    public struct Event: Sendable {
        public let deliveryID: String
        public let method: String
        public let forwardURL: String
        /// The result URL the merchant configured (where a direct delivery would have gone).
        public let originalURL: String
        public let parameters: [PGParameter]
        /// `pg_sig` verified with the secret the server signed with, for the forward URL's script name.
        public let signatureValid: Bool
        public let secretKind: String
        /// The local receiver's answer, or why it could not be reached.
        public let replyStatus: Int?
        public let replyBody: String?
        public let forwardError: String?
        /// How the server recorded the reply: `ok`, `rejected` or `failed` (then `reason`).
        public let outcome: String
        public let reason: String?
    }

    public static let listenPath = "/sandbox/callbacks/listen"
    public static let replyPath = "/sandbox/callbacks/reply"
    static let maxReplyBytes = 64 * 1024

    public let client: MerchantAPIClient
    public let forwardURL: String
    public let waitMs: Int
    let forwardTransport: any HTTPTransport

    public init(client: MerchantAPIClient, forwardURL: String, waitMs: Int = 20_000,
                forwardTransport: any HTTPTransport = AsyncHTTPClientTransport(timeoutSeconds: 30)) {
        self.client = client
        self.forwardURL = forwardURL
        self.waitMs = min(max(waitMs, 0), 25_000)
        self.forwardTransport = forwardTransport
    }

    /// One long-poll: waits up to `waitMs` for a callback, forwards it and reports back; nil when none came.
    public func once() async throws -> Event? {
        let answer = try await client.send(path: Self.listenPath, parameters: [
            PGParameter("pg_forward_url", forwardURL), PGParameter("pg_wait_ms", String(waitMs)),
        ], secret: .payment)
        guard let id = answer.value("pg_delivery_id"), let payload = answer.value("pg_payload") else { return nil }
        let method = answer.value("pg_method") ?? "POST"
        let target = answer.value("pg_forward_url") ?? forwardURL
        let kind = answer.value("pg_secret_kind") ?? "payment"
        let parameters = Self.parameters(payload: payload)
        let secret = kind == "payout" ? client.payoutSecret : client.paymentSecret
        let valid = !secret.isEmpty && PGSignature.verify(
            script: PGSignature.scriptName(of: target), parameters: parameters, secret: secret,
            signature: parameters.value("pg_sig") ?? "")
        var replyFields = [PGParameter("pg_delivery_id", id)]
        var status: Int?, body: String?, forwardError: String?
        do {
            let reply = try await forwardTransport.send(Self.request(method: method, url: target, payload: payload))
            status = reply.status
            body = reply.text
            if reply.body.count > Self.maxReplyBytes {
                forwardError = "reply larger than \(Self.maxReplyBytes) bytes"
                replyFields.append(PGParameter("pg_error", forwardError!))
            } else {
                replyFields += [PGParameter("pg_http_status", String(reply.status)),
                                PGParameter("pg_body_base64", Data(reply.body).base64EncodedString())]
            }
        } catch {
            forwardError = "\(error)"
            replyFields.append(PGParameter("pg_error", forwardError!))
        }
        let recorded = try await client.send(path: Self.replyPath, parameters: replyFields, secret: .payment)
        return Event(
            deliveryID: id, method: method, forwardURL: target, originalURL: answer.value("pg_original_url") ?? "",
            parameters: parameters, signatureValid: valid, secretKind: kind, replyStatus: status, replyBody: body,
            forwardError: forwardError, outcome: recorded.value("pg_outcome") ?? "", reason: recorded.value("pg_reason"))
    }

    /// The callback's fields: the form (or query) itself, or the `pg_xml` document inside it.
    static func parameters(payload: String) -> [PGParameter] {
        let form = PGForm.parse(urlEncoded: payload)
        if let xml = form.value("pg_xml"), let document = PGXMLParser.parse(xml) { return document.parameters }
        return form
    }

    /// The same request a direct delivery makes: GET with the query string, else a urlencoded form.
    static func request(method: String, url: String, payload: String) -> TransportRequest {
        if method == "GET" {
            return TransportRequest(method: "GET", url: url + (url.contains("?") ? "&" : "?") + payload)
        }
        return TransportRequest(
            method: "POST", url: url, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(payload.utf8))
    }
}

extension CallbackListener.Event {
    /// What `freedompay listen` prints: the fields (signature shortened), the signature check, the local reply
    /// and how the server recorded it.
    public var summary: String {
        let fields = parameters.map { parameter -> String in
            guard case .text(let text) = parameter.value else { return "\(parameter.name)=[...]" }
            return parameter.name == "pg_sig" ? "pg_sig=\(text.prefix(8))..." : "\(parameter.name)=\(text)"
        }
        let check = signatureValid
            ? "valid (pg_sig verified with the \(secretKind) secret, script \"\(PGSignature.scriptName(of: forwardURL))\")"
            : "INVALID (pg_sig does not verify with the \(secretKind) secret)"
        let reply = forwardError.map { "could not forward: \($0)" } ?? "\(replyStatus ?? 0) \((replyBody ?? "").prefix(300))"
        return """
            --> \(method) \(forwardURL)  [delivery \(deliveryID); merchant URL \(originalURL)]
                \(fields.joined(separator: " "))
                signature: \(check)
            <-- \(reply)
                recorded: \(outcome)\(reason.map { " (\($0))" } ?? "")
            """
    }
}

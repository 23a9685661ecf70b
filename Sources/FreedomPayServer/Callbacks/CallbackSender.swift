import AsyncHTTPClient
import Foundation
import FreedomPayCore
import FreedomPayWire
import NIOCore
import NIOHTTP1

/// Sends one signed callback to a merchant URL and reads the reply. Signing uses the script name of the
/// merchant's URL (last path segment, merchant-api.md §1.3); GET puts the fields in the query string,
/// POST sends a urlencoded form, XML sends one form field `pg_xml` (§1.2).
struct CallbackSender: Sendable {
    let client: HTTPClient
    let timeoutMs: Int64
    static let maxReplyBytes = 64 * 1024

    init(client: HTTPClient = .shared, timeoutMs: Int64) {
        self.client = client
        self.timeoutMs = min(max(timeoutMs, 100), 120_000)
    }

    /// Adds `pg_salt` and `pg_sig` for `url`.
    static func signed(_ parameters: [PGParameter], url: String, secret: String) -> [PGParameter] {
        var all = parameters.filter { $0.name != "pg_sig" && $0.name != "pg_salt" }
        all.append(PGParameter("pg_salt", RandomToken.alphanumeric(16)))
        all.append(PGParameter("pg_sig", PGSignature.sign(script: PGSignature.scriptName(of: url), parameters: all, secret: secret)))
        return all
    }

    /// The bytes a delivery carries: the query string (GET), the form body (POST) or the `pg_xml` form (XML).
    static func payload(_ signed: [PGParameter], method: PGRequestMethod) -> String {
        method == .xml ? PGForm.encode([PGParameter("pg_xml", PGXML.document(root: "request", signed))]) : PGForm.encode(signed)
    }

    /// One attempt: the parsed outcome (never throws; transport errors are failed outcomes).
    /// `requireSignedReply` false: any HTTP 200 is a delivery (payout notify: the reply body is not prescribed).
    func attempt(url: String, method: PGRequestMethod, parameters: [PGParameter], secret: String,
                 requireSignedReply: Bool = true) async -> CallbackReply.Parsed {
        let signed = Self.signed(parameters, url: url, secret: secret)
        var request: HTTPClientRequest
        switch method {
        case .get:
            request = HTTPClientRequest(url: url + (url.contains("?") ? "&" : "?") + Self.payload(signed, method: method))
            request.method = .GET
        case .post, .xml:
            request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: Self.payload(signed, method: method)))
        }
        do {
            let response = try await client.execute(request, timeout: .milliseconds(timeoutMs))
            let body = try await response.body.collect(upTo: Self.maxReplyBytes)
            return CallbackReply.parse(
                httpStatus: Int(response.status.code), body: Array(body.readableBytesView), callbackURL: url, secret: secret,
                requireBody: requireSignedReply)
        } catch {
            return CallbackReply.Parsed(outcome: .failed("could not reach the merchant: \(error)"))
        }
    }
}

import Foundation
import FreedomPayWire

/// Typed client for the Merchant API: `pg_sig`-signed form posts, signed XML answers verified on receipt.
public struct MerchantAPIClient: Sendable {
    public enum SecretKind: Sendable { case payment, payout }

    public let baseURL: String
    public let merchantID: String
    public let paymentSecret: String
    public let payoutSecret: String
    let transport: any HTTPTransport

    public init(baseURL: String, merchantID: String, paymentSecret: String, payoutSecret: String, transport: any HTTPTransport = AsyncHTTPClientTransport()) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.merchantID = merchantID
        self.paymentSecret = paymentSecret
        self.payoutSecret = payoutSecret
        self.transport = transport
    }

    func secret(_ kind: SecretKind) -> String { kind == .payment ? paymentSecret : payoutSecret }

    /// Adds `pg_merchant_id` (unless the path carries it), `pg_salt` and `pg_sig` to `parameters`.
    public func signed(path: String, parameters: [PGParameter], secret kind: SecretKind) -> [PGParameter] {
        var all = parameters.filter { $0.name != "pg_sig" }
        if !path.hasPrefix("/v1/merchant/"), !all.contains(where: { $0.name == "pg_merchant_id" }) {
            all.insert(PGParameter("pg_merchant_id", merchantID), at: 0)
        }
        if !all.contains(where: { $0.name == "pg_salt" }) { all.append(PGParameter("pg_salt", RandomToken.alphanumeric(16))) }
        all.append(PGParameter("pg_sig", PGSignature.sign(script: PGSignature.scriptName(of: path), parameters: all, secret: secret(kind))))
        return all
    }

    /// Posts a signed urlencoded form and returns the raw answer.
    public func sendRaw(path: String, parameters: [PGParameter], secret kind: SecretKind) async throws -> TransportResponse {
        let body = PGForm.encode(signed(path: path, parameters: parameters, secret: kind))
        return try await transport.send(TransportRequest(
            url: baseURL + path, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(body.utf8)))
    }

    /// Sends and returns the answer's parameters after verifying its `pg_sig`; `pg_status=error` throws.
    public func send(path: String, parameters: [PGParameter], secret kind: SecretKind) async throws -> [PGParameter] {
        let response = try await sendRaw(path: path, parameters: parameters, secret: kind)
        guard let document = PGXMLParser.parse(Data(response.body)) else {
            throw FreedomPayClientError.unexpectedResponse(httpStatus: response.status, body: response.text)
        }
        let answer = document.parameters
        if let signature = PGForm.value("pg_sig", in: answer) {
            guard PGSignature.verify(script: PGSignature.scriptName(of: path), parameters: answer, secret: secret(kind), signature: signature) else {
                throw FreedomPayClientError.badResponseSignature
            }
        }
        if PGForm.value("pg_status", in: answer) == "error" {
            throw FreedomPayClientError.merchantAPI(
                code: PGForm.value("pg_error_code", in: answer) ?? "", description: PGForm.value("pg_error_description", in: answer) ?? "")
        }
        return answer
    }
}

enum RandomToken {
    static func alphanumeric(_ length: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<length).map { _ in alphabet.randomElement()! })
    }
}

import Foundation
import FreedomPayWire

/// Typed client for the Card API (`/v5/card-api`, gift cards under `/v5/cards`).
/// Signs every body with the same code the server verifies with.
public struct CardAPIClient: Sendable {
    public enum Signing: Sendable {
        /// `X-JWS-Signature`, detached JWS HS512 (current docs).
        case jws
        /// `Auth-Id` + `Request-Id` + `Sign = sha256(body + secret)` (older docs).
        case legacy
    }

    public let baseURL: String
    public let authID: String
    public let secret: String
    public let signing: Signing
    let transport: any HTTPTransport

    public init(baseURL: String, authID: String, secret: String, signing: Signing = .jws, transport: any HTTPTransport = AsyncHTTPClientTransport()) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.authID = authID
        self.secret = secret
        self.signing = signing
        self.transport = transport
    }

    /// The signature headers for `body` sent to `path` (exposed for debugging tools such as `freedompay call`).
    public func signatureHeaders(path: String, body: [UInt8], requestID: String? = nil) -> [(String, String)] {
        switch signing {
        case .jws:
            let header = JWSHeader(uri: path, authID: authID, alg: .hs512)
            return [("X-JWS-Signature", DetachedJWS.sign(body: body, header: header, secret: secret))]
        case .legacy:
            return [
                (LegacySign.authIDHeader, authID),
                (LegacySign.requestIDHeader, requestID ?? UUID().uuidString.lowercased()),
                (LegacySign.signHeader, LegacySign.sign(body: body, secret: secret)),
            ]
        }
    }

    /// Sends raw bytes, signed, and returns the raw answer: no decoding, no error mapping.
    public func sendRaw(path: String, body: [UInt8], requestID: String? = nil) async throws -> TransportResponse {
        var headers = [("Content-Type", "application/json"), ("Accept", "application/json")]
        headers += signatureHeaders(path: path, body: body, requestID: requestID)
        return try await transport.send(TransportRequest(url: baseURL + path, headers: headers, body: body))
    }

    /// Encodes `body`, signs and sends it, and decodes the answer; an `error` envelope throws `.cardAPI`.
    public func send<Body: Encodable, Answer: Decodable>(_ path: String, _ body: Body, as answer: Answer.Type, requestID: String? = nil) async throws -> Answer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let response = try await sendRaw(path: path, body: Array(try encoder.encode(body)), requestID: requestID)
        return try Self.decode(response, as: answer)
    }

    static func decode<Answer: Decodable>(_ response: TransportResponse, as answer: Answer.Type) throws -> Answer {
        if let failure = try? JSONDecoder().decode(EnvelopeProbe.self, from: Data(response.body)), failure.isError {
            throw FreedomPayClientError.cardAPI(
                httpStatus: response.status, code: failure.errorCode ?? "", description: failure.errorDescription ?? "")
        }
        do {
            return try JSONDecoder().decode(answer, from: Data(response.body))
        } catch {
            throw FreedomPayClientError.unexpectedResponse(httpStatus: response.status, body: response.text)
        }
    }

    // MARK: Endpoints

    public func requestStatus(requestID: String) async throws -> RequestStatusResponse {
        try await send("/v5/card-api/request/status", RequestStatusRequest(requestID: requestID), as: RequestStatusResponse.self)
    }
}

/// Just enough of any envelope to tell an error answer (string `status: error`) apart.
struct EnvelopeProbe: Decodable {
    var status: String?
    var errorCode: String?
    var errorDescription: String?

    var isError: Bool { status == "error" }

    enum CodingKeys: String, CodingKey {
        case status
        case errorCode = "error_code"
        case errorDescription = "error_description"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try? container.decode(String.self, forKey: .status)
        errorDescription = try? container.decode(String.self, forKey: .errorDescription)
        if let text = try? container.decode(String.self, forKey: .errorCode) {
            errorCode = text
        } else if let number = try? container.decode(Int.self, forKey: .errorCode) {
            errorCode = String(number)
        }
    }
}

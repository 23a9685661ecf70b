import Foundation
import FreedomPayWire

/// Typed client for the Partner API (`/v5/partner`), detached JWS HS256 over the raw body.
public struct PartnerAPIClient: Sendable {
    public let baseURL: String
    public let authID: String
    public let secret: String
    let transport: any HTTPTransport

    public init(baseURL: String, authID: String, secret: String, transport: any HTTPTransport = AsyncHTTPClientTransport()) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.authID = authID
        self.secret = secret
        self.transport = transport
    }

    public func signature(path: String, body: [UInt8]) -> String {
        DetachedJWS.sign(body: body, header: JWSHeader(uri: path, authID: authID, alg: .hs256), secret: secret)
    }

    public func sendRaw(path: String, body: [UInt8]) async throws -> TransportResponse {
        let headers = [
            ("Content-Type", "application/json"), ("Accept", "application/json"),
            ("X-JWS-Signature", signature(path: path, body: body)),
        ]
        return try await transport.send(TransportRequest(url: baseURL + path, headers: headers, body: body))
    }

    public func send<Body: Encodable, Answer: Decodable>(_ path: String, _ body: Body, as answer: Answer.Type) async throws -> Answer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let response = try await sendRaw(path: path, body: Array(try encoder.encode(body)))
        if let failure = try? JSONDecoder().decode(EnvelopeProbe.self, from: Data(response.body)), failure.isError {
            throw FreedomPayClientError.partnerAPI(
                httpStatus: response.status, code: failure.errorCode ?? "", description: failure.errorDescription ?? "")
        }
        do {
            return try JSONDecoder().decode(answer, from: Data(response.body))
        } catch {
            throw FreedomPayClientError.unexpectedResponse(httpStatus: response.status, body: response.text)
        }
    }
}

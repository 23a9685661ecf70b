import Foundation
import FreedomPayWire
import Hummingbird

/// A Partner API refusal in its envelope: `status: error`, integer `error_code` (string on E-Money routes).
/// HTTP: signature → 401, malformed body → 422 (the /v5 Async API's convention), unknown route → 404, else 200.
public struct PartnerAPIFailure: HTTPResponseError, Sendable {
    public let code: PartnerAPIErrorCode
    public let message: String
    public let status: HTTPResponse.Status

    public init(_ code: PartnerAPIErrorCode, _ message: String, status: HTTPResponse.Status? = nil) {
        self.code = code
        self.message = message
        self.status = status ?? Self.defaultStatus(code)
    }

    static func defaultStatus(_ code: PartnerAPIErrorCode) -> HTTPResponse.Status {
        switch code {
        case .unauthorized: return .unauthorized
        case .notFound: return .notFound
        case .rateLimited: return .tooManyRequests
        case .internalError: return .internalServerError
        default: return .ok
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let emoney = request.uri.path.hasPrefix("/v5/partner/wallet")
        let body = PartnerAPIErrorResponse(code: code, description: message, dt: WireDate.rfc3339(.now), codeAsString: emoney)
        return JSONBody.response(body, status: status)
    }

    static func from(_ problem: JSONBodyProblem) -> PartnerAPIFailure {
        switch problem {
        case .malformed(let message): return PartnerAPIFailure(.invalidInput, message, status: .unprocessableContent)
        case .invalidField(let message): return PartnerAPIFailure(.invalidInput, message)
        }
    }
}

extension AppRequestContext {
    /// Decodes the verified body as a Partner API request, failing in the Partner API envelope.
    func decodePartnerAPI<T: Decodable>(_ type: T.Type) throws(PartnerAPIFailure) -> T {
        do {
            return try JSONBody.decode(type, from: rawBody)
        } catch {
            throw PartnerAPIFailure.from(error)
        }
    }
}

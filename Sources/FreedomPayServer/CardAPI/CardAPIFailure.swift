import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// A Card API refusal, rendered in the Card API envelope (`status: error`, `error_code`, `error_description`).
///
/// HTTP status policy (README): signature/auth → 401, malformed JSON → 400, unknown route → 404,
/// method → 405, everything else (validation and business rules) → 200 as the docs show.
public struct CardAPIFailure: HTTPResponseError, Sendable {
    public let code: CardAPIErrorCode
    public let message: String
    public let status: HTTPResponse.Status

    public init(_ code: CardAPIErrorCode, _ message: String, status: HTTPResponse.Status? = nil) {
        self.code = code
        self.message = message
        self.status = status ?? Self.defaultStatus(code)
    }

    static func defaultStatus(_ code: CardAPIErrorCode) -> HTTPResponse.Status {
        switch code {
        case .invalidSignature, .unknownPartner, .uriMismatch: return .unauthorized
        case .invalidRequest: return .badRequest
        case .notFound: return .notFound
        case .methodNotAllowed: return .methodNotAllowed
        case .rateLimited: return .tooManyRequests
        case .internalError: return .internalServerError
        default: return .ok
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        if request.uri.path.hasPrefix("/v5/cards/") {
            return try GiftCardFailure(self).response(from: request, context: context)
        }
        return JSONBody.response(CardAPIErrorResponse(code: code, description: message, dt: WireDate.rfc3339(.now)), status: status)
    }

    static func from(_ problem: JSONBodyProblem) -> CardAPIFailure {
        switch problem {
        case .malformed(let message): return CardAPIFailure(.invalidRequest, message)
        case .invalidField(let message): return CardAPIFailure(.validationError, message)
        }
    }

    static func from(_ error: JWSError) -> CardAPIFailure {
        FreedomPayMetrics.signatureFailure(scheme: "jws_hs512", reason: error.reason)
        switch error {
        case .uriMismatch, .methodMismatch, .paramsMismatch: return CardAPIFailure(.uriMismatch, error.message)
        default: return CardAPIFailure(.invalidSignature, error.message)
        }
    }
}

extension AppRequestContext {
    /// Decodes the verified body as a Card API request, failing in the Card API envelope.
    func decodeCardAPI<T: Decodable>(_ type: T.Type) throws(CardAPIFailure) -> T {
        do {
            return try JSONBody.decode(type, from: rawBody)
        } catch {
            throw CardAPIFailure.from(error)
        }
    }
}

import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// A gift-card refusal in the gift envelope: `{"datetime":"YYYY-MM-DD hh:mm:ss","status":-N,"error_description":…}`.
/// HTTP 200 like the docs, except authentication failures (401) and malformed JSON (400).
struct GiftCardFailure: HTTPResponseError, Sendable {
    let code: GiftStatusCode
    let message: String
    let status: HTTPResponse.Status

    init(_ code: GiftStatusCode, _ message: String, status: HTTPResponse.Status = .ok) {
        self.code = code
        self.message = message
        self.status = status
    }

    init(_ error: GiftCardError) {
        self.init(error.status, error.message)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONBody.response(GiftErrorResponse(datetime: WireDate.plain(.now), status: code, errorDescription: message), status: status)
    }

    /// Card API failures (auth, routing, body) rendered for a `/v5/cards` route.
    init(_ failure: CardAPIFailure) {
        self.init(.generalError, failure.message, status: failure.status)
    }
}

extension AppRequestContext {
    /// Decodes a gift-card body; a missing or mistyped field answers `-1` naming the field.
    func decodeGift<T: Decodable>(_ type: T.Type) throws(GiftCardFailure) -> T {
        do {
            return try JSONBody.decode(type, from: rawBody)
        } catch {
            switch error {
            case .malformed(let message): throw GiftCardFailure(.generalError, message, status: .badRequest)
            case .invalidField(let message): throw GiftCardFailure(.generalError, message)
            }
        }
    }
}

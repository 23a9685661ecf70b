import FreedomPayWire

/// What a client call can fail with. API refusals carry the server's own code and description.
public enum FreedomPayClientError: Error, Sendable, CustomStringConvertible {
    case cardAPI(httpStatus: Int, code: String, description: String)
    case partnerAPI(httpStatus: Int, code: String, description: String)
    case merchantAPI(code: String, description: String)
    /// A gift-card refusal: the negative integer `status` and its description.
    case giftCard(status: Int, description: String)
    case unexpectedResponse(httpStatus: Int, body: String)
    case badResponseSignature

    public var description: String {
        switch self {
        case .cardAPI(let status, let code, let text): return "Card API error \(code) (HTTP \(status)): \(text)"
        case .partnerAPI(let status, let code, let text): return "Partner API error \(code) (HTTP \(status)): \(text)"
        case .merchantAPI(let code, let text): return "Merchant API error \(code): \(text)"
        case .giftCard(let status, let text): return "Gift card error \(status): \(text)"
        case .unexpectedResponse(let status, let body): return "unexpected response (HTTP \(status)): \(body.prefix(300))"
        case .badResponseSignature: return "the response's pg_sig does not verify with the merchant secret"
        }
    }
}

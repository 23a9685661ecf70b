import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// A Merchant API refusal: XML `pg_status=error` with `pg_error_code`/`pg_error_description`,
/// signed with the merchant's secret whenever the merchant is known (merchant-api.md §1.3, §1.5).
public struct MerchantAPIFailure: HTTPResponseError, Sendable {
    public let code: Int
    public let message: String
    public var status: HTTPResponse.Status { .ok }

    public init(_ code: Int, _ message: String) {
        self.code = code
        self.message = message
    }

    public static let incorrectSignature = 1100
    public static let wrongMerchant = 9998
    public static let systemError = 9999

    var parameters: [PGParameter] {
        [
            PGParameter("pg_status", "error"),
            PGParameter("pg_error_code", String(code)),
            PGParameter("pg_error_description", message),
        ]
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        if let context = context as? AppRequestContext, case .merchant(let merchant, _, let script, _)? = context.caller {
            return signedResponse(merchant: merchant, script: script, secret: context.merchantSecret ?? merchant.paymentSecret)
        }
        return MerchantResponse.xml(PGXML.document(parameters))
    }

    /// The error answer signed for a known merchant (the router renders thrown errors with the context
    /// from before authentication, which does not know the merchant yet).
    func signedResponse(merchant: Merchant, script: String, secret: String) -> Response {
        MerchantResponse.signed(parameters, merchant: merchant, script: script, secret: secret)
    }
}

/// XML answers of the Merchant API.
enum MerchantResponse {
    static func signed(_ parameters: [PGParameter], merchant: Merchant, script: String, secret: String) -> Response {
        xml(PGXML.signedDocument(script: script, parameters: parameters, secret: secret, salt: RandomToken.alphanumeric(16)))
    }

    static func xml(_ document: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/xml; charset=utf-8"], body: .init(byteBuffer: .init(string: document)))
    }
}

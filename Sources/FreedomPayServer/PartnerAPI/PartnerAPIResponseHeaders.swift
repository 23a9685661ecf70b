import Foundation
import FreedomPayWire
import HTTPTypes
import Hummingbird

/// The `/v5` response headers (partner-api.md §1.2, [inferred] for the Partner API): `X-Request-Id` echoed
/// (or a fresh UUID), `X-Datetime` in UTC, and `X-Request-Status` `success` or `error`. Sits outside the
/// authenticator so that signature failures carry them too.
struct PartnerAPIResponseHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let requestID = HTTPField.Name("X-Request-Id")!
    static let datetime = HTTPField.Name("X-Datetime")!
    static let requestStatus = HTTPField.Name("X-Request-Status")!

    let services: AppServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let failure as PartnerAPIFailure {
            response = try failure.response(from: request, context: context)
            response.headers[Self.requestStatus] = "error"
        }
        response.headers[Self.requestID] = request.headers[Self.requestID] ?? UUID().uuidString.lowercased()
        response.headers[Self.datetime] = WireDate.rfc3339(services.clock.now(), timeZone: TimeZone(identifier: "UTC")!)
        if response.headers[Self.requestStatus] == nil { response.headers[Self.requestStatus] = "success" }
        return response
    }
}

import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird
import NIOCore
import Synchronization

/// The failure-injection rules in force (sandbox mode only), set at start-up (`--inject`, `FREEDOMPAY_INJECT`)
/// and changed at runtime through `POST /v5/card-api/sandbox/inject`. Bounded to `maxRules`.
public final class FailureInjectionRules: Sendable {
    public static let maxRules = 100
    private let rules: Mutex<[FailureRule]>

    public init(_ initial: [FailureRule] = []) {
        rules = Mutex(Array(initial.prefix(Self.maxRules)))
    }

    public var all: [FailureRule] { rules.withLock { $0 } }

    /// False when the table is full.
    @discardableResult
    public func add(_ rule: FailureRule) -> Bool {
        rules.withLock { rules in
            guard rules.count < Self.maxRules else { return false }
            rules.append(rule)
            return true
        }
    }

    public func clear() { rules.withLock { $0.removeAll() } }

    func matching(method: String, path: String) -> [FailureRule] {
        rules.withLock { rules in rules.filter { $0.matches(method: method, path: path) } }
    }
}

/// Applies the rules matching a request: latency first, then an error answer in the route's own envelope
/// (the route does not run), else the route runs and, for drop-after-commit, its connection is closed
/// without an answer once the work is committed (a retry with the same request id then replays the answer).
struct FailureInjectionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let services: AppServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard services.configuration.sandbox else { return try await next(request, context) }
        let rules = services.sandboxTools.injection.matching(method: request.method.rawValue, path: request.uri.path)
        guard !rules.isEmpty else { return try await next(request, context) }
        var drop = false
        for rule in rules where Double.random(in: 0..<1) < rule.probability {
            switch rule.action {
            case .latency(let milliseconds):
                try await Task.sleep(for: .milliseconds(milliseconds))
            case .error(let code):
                context.logger.notice("injected failure", metadata: ["rule": "\(rule)"])
                throw Self.failure(code: code, api: rule.api)
            case .dropAfterCommit:
                drop = true
            }
        }
        let response = try await next(request, context)
        guard drop, let channel = context.channel else { return response }
        context.logger.notice("injected drop after commit: closing the connection without an answer", metadata: ["path": "\(request.uri.path)"])
        try? await channel.close().get()
        // The channel is closed, so writing this fails and the server ends the connection without an answer.
        return response
    }

    /// The API's own refusal for `code` (validated when the rule was parsed).
    static func failure(code: String, api: APIRoute.API) -> any Error {
        let message = "Injected failure (sandbox failure injection)"
        switch api {
        case .cardAPI, .giftCards, .sandbox:
            return CardAPIFailure(CardAPIErrorCode(rawValue: code) ?? .internalError, message)
        case .partnerAPI:
            return PartnerAPIFailure(Int(code).flatMap(PartnerAPIErrorCode.init(rawValue:)) ?? .internalError, message)
        case .merchantAPI:
            return MerchantAPIFailure(Int(code) ?? MerchantAPIFailure.systemError, message)
        case .page, .service:
            return HTTPError(HTTPResponse.Status(code: Int(code) ?? 500), message: message)
        }
    }
}

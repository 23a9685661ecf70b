import Foundation
import FreedomPayWire

/// One failure-injection rule, `METHOD PATH=ACTION[@PROBABILITY]`, e.g.
/// `POST /v5/card-api/transaction/create=error:internal_error`, `POST /init_payment.php=latency:1500@0.5`,
/// `POST /v5/card-api/card/issue=drop-after-commit`. Pure: parsing and matching only, no I/O.
public struct FailureRule: Sendable, Equatable, CustomStringConvertible {
    public enum Action: Sendable, Equatable {
        /// Answer the route's own error envelope with this code, without executing.
        case error(String)
        /// Wait this long, then execute normally.
        case latency(milliseconds: Int)
        /// Execute and commit normally, then close the connection without answering.
        case dropAfterCommit
    }

    public let method: String
    public let path: String
    public let api: APIRoute.API
    public let action: Action
    /// Chance (0 < p <= 1) that a matching request is affected.
    public let probability: Double

    public static let maxLatencyMs = 120_000
    /// The route that manages the rules is exempt, so a rule can always be cleared.
    public static let injectionRoutePath = "/v5/card-api/sandbox/inject"

    public var description: String {
        let action: String
        switch self.action {
        case .error(let code): action = "error:\(code)"
        case .latency(let milliseconds): action = "latency:\(milliseconds)"
        case .dropAfterCommit: action = "drop-after-commit"
        }
        return "\(method) \(path)=\(action)" + (probability < 1 ? "@\(probability)" : "")
    }

    /// Parses a rule against the route table: the route must exist and an error code must be one its API has.
    public static func parse(_ text: String, routes: [APIRoute] = APIRouteTable.routes) throws(FailureRuleError) -> FailureRule {
        guard let equals = text.firstIndex(of: "=") else { throw FailureRuleError("'\(text)': expected METHOD PATH=ACTION") }
        let target = text[..<equals].split(separator: " ", omittingEmptySubsequences: true)
        guard target.count == 2 else { throw FailureRuleError("'\(text)': expected METHOD PATH before '='") }
        let method = target[0].uppercased()
        let path = String(target[1])
        guard let route = routes.first(where: { $0.method == method && Self.pathMatches(pattern: $0.path, path: path) }) else {
            throw FailureRuleError("'\(method) \(path)' is not a route of this server")
        }
        guard route.path != injectionRoutePath else { throw FailureRuleError("the injection route itself cannot fail") }
        var actionText = String(text[text.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
        var probability = 1.0
        if let at = actionText.lastIndex(of: "@") {
            guard let value = Double(actionText[actionText.index(after: at)...]), value > 0, value <= 1 else {
                throw FailureRuleError("'\(text)': probability after '@' must be in (0, 1]")
            }
            probability = value
            actionText = String(actionText[..<at])
        }
        let action = try parseAction(actionText, api: route.api)
        return FailureRule(method: method, path: route.path, api: route.api, action: action, probability: probability)
    }

    static func parseAction(_ text: String, api: APIRoute.API) throws(FailureRuleError) -> Action {
        if text == "drop-after-commit" { return .dropAfterCommit }
        if text.hasPrefix("latency:") {
            guard let milliseconds = Int(text.dropFirst("latency:".count)), (1...maxLatencyMs).contains(milliseconds) else {
                throw FailureRuleError("latency must be 1...\(maxLatencyMs) milliseconds")
            }
            return .latency(milliseconds: milliseconds)
        }
        if text.hasPrefix("error:") {
            let code = String(text.dropFirst("error:".count))
            guard FailureRule.isKnownErrorCode(code, api: api) else {
                throw FailureRuleError("error code '\(code)' is not a \(api.rawValue) error code")
            }
            return .error(code)
        }
        throw FailureRuleError("unknown action '\(text)': use error:<code>, latency:<ms> or drop-after-commit")
    }

    /// Card API / gift / sandbox: an `error_code` name; Partner API: its integer codes; Merchant API: any
    /// positive `pg_error_code`; pages and service routes: an HTTP status 400-599.
    static func isKnownErrorCode(_ code: String, api: APIRoute.API) -> Bool {
        switch api {
        case .cardAPI, .giftCards, .sandbox: return CardAPIErrorCode(rawValue: code) != nil
        case .partnerAPI: return Int(code).flatMap(PartnerAPIErrorCode.init(rawValue:)) != nil
        case .merchantAPI: return Int(code).map { $0 > 0 } ?? false
        case .page, .service: return Int(code).map { (400...599).contains($0) } ?? false
        }
    }

    /// Whether this rule applies to a request; `{name}` segments of the route match any one segment.
    public func matches(method: String, path: String) -> Bool {
        self.method == method && Self.pathMatches(pattern: self.path, path: path)
    }

    static func pathMatches(pattern: String, path: String) -> Bool {
        if pattern == path { return true }
        let patternSegments = pattern.split(separator: "/", omittingEmptySubsequences: false)
        let pathSegments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard patternSegments.count == pathSegments.count else { return false }
        return zip(patternSegments, pathSegments).allSatisfy { pattern, segment in
            pattern == segment || (pattern.hasPrefix("{") && pattern.hasSuffix("}") && !segment.isEmpty)
        }
    }
}

public struct FailureRuleError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

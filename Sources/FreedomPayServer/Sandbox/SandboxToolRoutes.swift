import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// `POST /v5/card-api/sandbox/reset` and `POST /v5/card-api/sandbox/inject`: signed like the other sandbox
/// routes, present only in sandbox mode. A sandbox is one shared test environment, so any partner of it may
/// reset it or change its failure rules.
extension SandboxRoutes {
    struct ResetRequest: Codable, Sendable {
        /// Must be `"reset"`: a guard against wiping the sandbox by accident.
        var confirm: String?
    }

    struct ResetAnswer: Encodable, Sendable {
        var status: String
        var removed: [String: Int]
    }

    struct InjectRequest: Codable, Sendable {
        /// `add`, `list` or `clear`.
        var action: String
        /// With `add`: `METHOD PATH=ACTION[@PROBABILITY]`.
        var rule: String?
    }

    struct InjectAnswer: Encodable, Sendable {
        var rules: [String]
    }

    /// Wipes the business data (cards, clients, transactions, ledger, purchases, payouts, callbacks, SMS,
    /// request journal…) in one transaction; partners, merchants and their credentials stay.
    @Sendable func reset(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(ResetRequest.self)
        guard body.confirm == "reset" else {
            throw CardAPIFailure(.validationError, "field 'confirm' must be \"reset\" to wipe the sandbox's data")
        }
        let removed = try await services.store.write { db in try await SandboxReset().wipe(in: db) }
        context.logger.notice("sandbox reset", metadata: ["rows": "\(removed.values.reduce(0, +))"])
        return JSONBody.response(ResetAnswer(status: "ok", removed: removed))
    }

    @Sendable func inject(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(InjectRequest.self)
        let rules = services.sandboxTools.injection
        switch body.action {
        case "list": break
        case "clear": rules.clear()
        case "add":
            guard let text = body.rule else { throw CardAPIFailure(.validationError, "field 'rule' is required with action 'add'") }
            let rule: FailureRule
            do {
                rule = try FailureRule.parse(text)
            } catch {
                throw CardAPIFailure(.validationError, "field 'rule': \(error.description)")
            }
            guard rules.add(rule) else {
                throw CardAPIFailure(.validationError, "at most \(FailureInjectionRules.maxRules) rules; clear some first")
            }
            services.logger.notice("failure injection rule added", metadata: ["rule": "\(rule)"])
        default:
            throw CardAPIFailure(.validationError, "field 'action' must be add, list or clear")
        }
        return JSONBody.response(InjectAnswer(rules: rules.all.map(\.description)))
    }
}

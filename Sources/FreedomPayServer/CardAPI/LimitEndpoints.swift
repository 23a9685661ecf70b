import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// `limits/set` and `limits/list` (card-api.md §3.13, §3.14). Limits are stored here; enforcement on
/// debits is the ledger's, through `LimitPolicy.check`.
struct LimitEndpoints: Sendable {
    let support: CardEndpointSupport

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("limits/set", use: set)
        group.post("limits/list", use: list)
    }

    func set(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(SetLimitsRequest.self)
        let target: LimitTarget
        let limits: [CardLimit]
        do {
            target = try LimitRules.target(body.object)
            limits = try LimitRules.limits(body.limits)
        } catch {
            throw CardAPIFailure(error)
        }
        return try await support.change(context, requestID: body.requestID, kind: "limits.set") { db, partner in
            try await support.cards.setLimits(limits, on: target, partner: partner.id, now: support.now, in: db)
            return CardAPIResult(outcome: RequestOutcome(), answer: EmptyAnswer())
        }
    }

    /// Read-only: the `request_id` is required but not recorded [inferred]. `counter` is the usage in the
    /// current period (debits of type `pay` by `transaction/create`), `available` = max − counter.
    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(ListLimitsRequest.self)
        guard !body.requestID.isEmpty else { throw CardAPIFailure(.validationError, "field 'request_id' must not be empty") }
        let target: LimitTarget
        do {
            target = try LimitRules.target(body.object)
        } catch {
            throw CardAPIFailure(error)
        }
        return try await support.read(context) { db, partner in
            try await support.cards.requireTarget(target, partner: partner.id, now: support.now, in: db)
            let limits = try await support.cards.limits.limits(on: target, partner: partner.id, in: db)
            var entries: [LimitEntry] = []
            for limit in limits {
                let used = try await LimitUsage().usedMinor(of: limit, on: target, partner: partner.id, now: support.now, in: db)
                let render = { (minor: Int64) in Money(minorUnits: minor, currency: limit.max.currency).compactString }
                entries.append(LimitEntry(
                    transactionType: limit.transactionType, region: limit.region, period: limit.period,
                    amount: [LimitAmount(type: "max", value: render(limit.maxMinor), currency: limit.currency)],
                    counter: render(used), available: render(max(0, limit.maxMinor - used))))
            }
            return ListLimitsResponse(limits: entries, dt: support.dt())
        }
    }
}

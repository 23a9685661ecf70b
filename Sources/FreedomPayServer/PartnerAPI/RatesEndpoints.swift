import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// Rates (partner-api.md §3.1–§3.2): a partner pushes its currency rates and reads the one in force.
struct RatesEndpoints: Sendable {
    let services: AppServices
    let rates = RateRepository()

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("rates/add", use: add)
        group.post("rates/get", use: get)
        group.post("rates/list", use: list)
    }

    /// `POST /v5/partner/rates/add`: the whole batch is stored, or nothing when any rate is invalid.
    @Sendable func add(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodePartnerAPI(AddRatesRequest.self)
        let partner = try context.partner()
        let now = services.clock.now()
        guard !body.rates.isEmpty else { throw PartnerAPIFailure(.invalidInput, "field 'rates' must hold at least one rate") }
        guard body.rates.count <= 1000 else { throw PartnerAPIFailure(.invalidInput, "field 'rates' holds more than 1000 rates") }
        var validated: [NewRate] = []
        for (index, rate) in body.rates.enumerated() {
            do {
                validated.append(try RateBook.validate(rate, index: index, receivedAt: now))
            } catch {
                throw PartnerAPIFailure(.invalidInput, error.message)
            }
        }
        try await services.store.write { [validated] db in
            try await rates.add(validated, partner: partner.id, receivedAt: now, in: db)
        }
        return JSONBody.response(PartnerAck(dt: WireDate.rfc3339(now)))
    }

    /// `POST /v5/partner/rates/get` [inferred]: the rate in force for one pair/type/operation at `date`.
    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = try context.decodePartnerAPI(RatesQuery.self)
        let partner = try context.partner()
        guard let from = query.currencyFrom, let to = query.currencyTo else {
            throw PartnerAPIFailure(.invalidInput, "fields 'currency_from' and 'currency_to' are required")
        }
        let moment = try moment(of: query)
        let rate = try await services.store.read { db in
            try await rates.rateInForce(
                partner: partner.id, from: from, to: to, type: query.rateType, operation: query.operation, at: moment, in: db)
        }
        guard let rate else {
            throw PartnerAPIFailure.refusal(.notFound, "no \(from)/\(to) rate is in force at \(WireDate.plain(moment, timeZone: RateBook.timeZone))")
        }
        return JSONBody.response(RateGetResponse(rate: RateBook.wire(rate), dt: WireDate.rfc3339(services.clock.now())))
    }

    /// `POST /v5/partner/rates/list` [inferred]: every rate in force at `date`, one per key, filtered.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = try context.decodePartnerAPI(RatesQuery.self)
        let partner = try context.partner()
        let moment = try moment(of: query)
        let found = try await services.store.read { db in
            try await rates.ratesInForce(
                partner: partner.id, from: query.currencyFrom, to: query.currencyTo, type: query.rateType,
                operation: query.operation, at: moment, in: db)
        }
        return JSONBody.response(RatesListResponse(rates: found.map(RateBook.wire), dt: WireDate.rfc3339(services.clock.now())))
    }

    private func moment(of query: RatesQuery) throws -> Date {
        guard let text = query.date else { return services.clock.now() }
        guard let date = WireDate.parsePlain(text, timeZone: RateBook.timeZone) else {
            throw PartnerAPIFailure(.invalidInput, "field 'date' must be 'YYYY-MM-DD HH:MM:SS'")
        }
        return date
    }
}

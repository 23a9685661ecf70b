import Foundation
import FreedomPayWire

/// Rates (partner-api.md §3.1–§3.2).
extension PartnerAPIClient {
    public func addRates(_ rates: [PartnerRate]) async throws -> PartnerAck {
        try await send("/v5/partner/rates/add", AddRatesRequest(rates: rates), as: PartnerAck.self)
    }

    /// The rate in force for a pair at `date` (`YYYY-MM-DD HH:MM:SS`, default now) [inferred route].
    public func rate(_ query: RatesQuery) async throws -> PartnerRate {
        try await send("/v5/partner/rates/get", query, as: RateGetResponse.self).rate
    }

    /// Every rate in force at `date`, filtered by the query's fields [inferred route].
    public func rates(_ query: RatesQuery = RatesQuery()) async throws -> [PartnerRate] {
        try await send("/v5/partner/rates/list", query, as: RatesListResponse.self).rates
    }
}

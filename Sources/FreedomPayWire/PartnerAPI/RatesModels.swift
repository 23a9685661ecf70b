import Foundation

/// One rate of `POST /v5/partner/rates/add` (partner-api.md §3.1), also the shape the read routes answer.
/// `rate` is a `Decimal` decoded from the JSON number text, so `441.507` stays exactly `441.507`.
public struct PartnerRate: Codable, Sendable, Equatable {
    public var currencyFrom: String
    public var currencyTo: String
    public var rate: Decimal
    public var rateType: String?
    public var operation: String?
    /// `YYYY-MM-DD HH:MM:SS`.
    public var startDate: String?
    public var endDate: String?

    public init(
        currencyFrom: String, currencyTo: String, rate: Decimal, rateType: String? = nil, operation: String? = nil,
        startDate: String? = nil, endDate: String? = nil
    ) {
        self.currencyFrom = currencyFrom
        self.currencyTo = currencyTo
        self.rate = rate
        self.rateType = rateType
        self.operation = operation
        self.startDate = startDate
        self.endDate = endDate
    }

    enum CodingKeys: String, CodingKey {
        case currencyFrom = "currency_from"
        case currencyTo = "currency_to"
        case rate
        case rateType = "rate_type"
        case operation
        case startDate = "start_date"
        case endDate = "end_date"
    }
}

/// `POST /v5/partner/rates/add`. The schema draws `rates` as one object, every example sends an array:
/// both are accepted, an array is always sent.
public struct AddRatesRequest: Codable, Sendable, Equatable {
    public var rates: [PartnerRate]

    public init(rates: [PartnerRate]) { self.rates = rates }

    enum CodingKeys: String, CodingKey { case rates }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let single = try? container.decode(PartnerRate.self, forKey: .rates) {
            rates = [single]
        } else {
            rates = try container.decode([PartnerRate].self, forKey: .rates)
        }
    }
}

/// `POST /v5/partner/rates/get` and `/v5/partner/rates/list` [inferred]: which rate(s) are in force at `date`
/// (`YYYY-MM-DD HH:MM:SS`, default now). `get` needs both currencies; `list` filters by whatever is given.
public struct RatesQuery: Codable, Sendable, Equatable {
    public var currencyFrom: String?
    public var currencyTo: String?
    public var rateType: String?
    public var operation: String?
    public var date: String?

    public init(currencyFrom: String? = nil, currencyTo: String? = nil, rateType: String? = nil, operation: String? = nil, date: String? = nil) {
        self.currencyFrom = currencyFrom
        self.currencyTo = currencyTo
        self.rateType = rateType
        self.operation = operation
        self.date = date
    }

    enum CodingKeys: String, CodingKey {
        case currencyFrom = "currency_from"
        case currencyTo = "currency_to"
        case rateType = "rate_type"
        case operation
        case date
    }
}

/// Answer of `rates/add`: `{status, dt}`.
public struct PartnerAck: Codable, Sendable, Equatable {
    public var status: String
    public var dt: String

    public init(status: String = "ok", dt: String) {
        self.status = status
        self.dt = dt
    }
}

/// Answer of `rates/get` [inferred].
public struct RateGetResponse: Codable, Sendable, Equatable {
    public var status: String
    public var rate: PartnerRate
    public var dt: String

    public init(status: String = "ok", rate: PartnerRate, dt: String) {
        self.status = status
        self.rate = rate
        self.dt = dt
    }
}

/// Answer of `rates/list` [inferred].
public struct RatesListResponse: Codable, Sendable, Equatable {
    public var status: String
    public var rates: [PartnerRate]
    public var dt: String

    public init(status: String = "ok", rates: [PartnerRate], dt: String) {
        self.status = status
        self.rates = rates
        self.dt = dt
    }
}

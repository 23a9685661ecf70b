import Foundation
import FreedomPayWire

/// One stored spending limit (card-api.md §3.13): at most `maxMinor` of `currency` per `period`
/// for `transactionType` in `region`.
public struct CardLimit: Sendable, Hashable {
    public var transactionType: String
    /// `domestic`, `abroad` or `all` [inferred].
    public var region: String
    /// `day`, `week` or `month` [inferred beyond the documented `day`/`month`].
    public var period: String
    public var maxMinor: Int64
    public var currency: String

    /// The maximum as money in the limit's currency, for rendering.
    public var max: Money { Money(minorUnits: maxMinor, currency: Currency(code: currency) ?? Currency(code: currency, exponent: 2)) }

    public init(transactionType: String, region: String, period: String, maxMinor: Int64, currency: String) {
        self.transactionType = transactionType
        self.region = region
        self.period = period
        self.maxMinor = maxMinor
        self.currency = currency
    }
}

/// What a limit is set on (`object.type` + `object.value`).
public enum LimitTarget: Sendable, Equatable {
    case card(CardID)
    /// [inferred] a card's account; the sandbox has one account per card, named by the card id.
    case account(CardID)
    case client(ClientID)

    public var typeName: String {
        switch self {
        case .card: return "card"
        case .account: return "account"
        case .client: return "client"
        }
    }

    public var value: String {
        switch self {
        case .card(let id), .account(let id): return id.rawValue
        case .client(let id): return id.rawValue
        }
    }
}

/// Parsing of the limits wire model into stored limits; every refusal names its field.
public enum LimitRules {
    public static let regions = ["all", "domestic", "abroad"]
    public static let periods = ["day", "week", "month"]
    static let maxLimitsPerRequest = 100

    public static func target(_ object: LimitObject) throws(CardRuleError) -> LimitTarget {
        guard !object.value.isEmpty else { throw .validation("field 'object.value' must not be empty") }
        switch object.type {
        case "card": return .card(CardID(rawValue: object.value))
        case "account": return .account(CardID(rawValue: object.value))
        case "client": return .client(ClientID(rawValue: object.value))
        default: throw .validation("field 'object.type' must be card, account or client")
        }
    }

    public static func limits(_ entries: [LimitEntry]) throws(CardRuleError) -> [CardLimit] {
        guard !entries.isEmpty, entries.count <= maxLimitsPerRequest else {
            throw .validation("field 'limits' must hold 1 to \(maxLimitsPerRequest) limits")
        }
        var result: [CardLimit] = []
        for (index, entry) in entries.enumerated() {
            let field = "limits[\(index)]"
            let type = entry.transactionType
            guard !type.isEmpty, type.count <= 32, type.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
                throw .validation("field '\(field).transaction_type' must be a lower-case type such as withdrawal_atm")
            }
            let region = entry.region ?? "all"
            guard regions.contains(region) else { throw .validation("field '\(field).region' must be one of \(regions.joined(separator: ", "))") }
            let period = entry.period ?? "day"
            guard periods.contains(period) else { throw .validation("field '\(field).period' must be one of \(periods.joined(separator: ", "))") }
            guard let amounts = entry.amount, !amounts.isEmpty else { throw .validation("field '\(field).amount' must hold at least one amount") }
            for (amountIndex, amount) in amounts.enumerated() {
                let amountField = "\(field).amount[\(amountIndex)]"
                guard amount.type == "max" else { throw .validation("field '\(amountField).type' must be max") }
                let currency = try ClientValidation.currency(amount.currency, field: "\(amountField).currency")
                guard let money = try? Money.parse(amount.value, currency: currency), money.minorUnits >= 0 else {
                    throw .validation("field '\(amountField).value' must be a non-negative decimal string with at most \(currency.exponent) decimals")
                }
                result.append(CardLimit(transactionType: type, region: region, period: period, maxMinor: money.minorUnits, currency: currency.code))
            }
        }
        return result
    }
}

/// The pure limit check the ledger calls before a debit: which stored limit, if any, the debit would break.
public enum LimitPolicy {
    public enum Decision: Equatable, Sendable {
        case allowed
        case exceeded(CardLimit, availableMinor: Int64)
    }

    /// `usedMinor` tells how much of a limit's period is already used (the ledger sums its debits
    /// since `periodStart(of:)`). A limit applies when type and currency match and its region is
    /// `all` or the debit's region.
    public static func check(
        amountMinor: Int64, currency: String, transactionType: String, region: String, limits: [CardLimit],
        usedMinor: (CardLimit) -> Int64
    ) -> Decision {
        precondition(amountMinor >= 0, "a debit amount is never negative")
        for limit in limits where limit.transactionType == transactionType && limit.currency == currency
            && (limit.region == "all" || limit.region == region) {
            let available = max(0, limit.maxMinor - usedMinor(limit))
            if amountMinor > available { return .exceeded(limit, availableMinor: available) }
        }
        return .allowed
    }

    /// Start of the limit period containing `now` (UTC calendar days; weeks start on Monday).
    public static func periodStart(of period: String, now: Date) -> Date {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        switch period {
        case "month": return calendar.dateInterval(of: .month, for: now)?.start ?? now
        case "week": return calendar.dateInterval(of: .weekOfYear, for: now)?.start ?? now
        default: return calendar.startOfDay(for: now)
        }
    }
}

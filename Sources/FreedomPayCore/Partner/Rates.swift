import Foundation
import FreedomPayWire

/// What identifies "the same rate" (partner-api.md §3.1): a pair, a rate type and an operation.
/// An absent `rate_type` / `operation` is the empty string (operation absent = the National Bank rate).
public struct RateKey: Hashable, Sendable {
    public var from: String
    public var to: String
    public var type: String
    public var operation: String

    public init(from: String, to: String, type: String? = nil, operation: String? = nil) {
        self.from = from
        self.to = to
        self.type = type ?? ""
        self.operation = operation ?? ""
    }
}

/// A stored rate. `sequence` orders rates by receipt (later = larger), which decides overlaps.
public struct Rate: Sendable, Equatable {
    public var sequence: Int64
    public var key: RateKey
    /// Exact decimal, never a float.
    public var value: Decimal
    public var startsAt: Date
    public var endsAt: Date?
    public var receivedAt: Date

    public init(sequence: Int64, key: RateKey, value: Decimal, startsAt: Date, endsAt: Date?, receivedAt: Date) {
        self.sequence = sequence
        self.key = key
        self.value = value
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.receivedAt = receivedAt
    }

    /// True when the rate can never be in force: its end is not after its effective start.
    public var isEmptyWindow: Bool { endsAt.map { $0 <= startsAt } ?? false }

    /// `amount` in `key.from` expressed in `key.to` (exact decimal multiplication; rounding is the caller's).
    public func convert(_ amount: Decimal) -> Decimal { amount * value }
}

/// A rate as the partner sent it, validated (see `RateBook.validate`).
public struct NewRate: Sendable, Equatable {
    public var key: RateKey
    public var value: Decimal
    public var startsAt: Date
    public var endsAt: Date?

    public init(key: RateKey, value: Decimal, startsAt: Date, endsAt: Date?) {
        self.key = key
        self.value = value
        self.startsAt = startsAt
        self.endsAt = endsAt
    }
}

/// The rules of the rate book, pure so that every API converting money resolves rates the same way.
public enum RateBook {
    /// Plain rate dates (`YYYY-MM-DD HH:MM:SS`) carry no zone; we read them as Kazakhstan time (UTC+5) [inferred].
    public static let timeZone = TimeZone(secondsFromGMT: 5 * 3600)!

    /// The rate in force for `key` at `moment`.
    ///
    /// Rule (spec §3.1/§4.4, [inferred]): among the rates of the key that had started by `moment`, the one
    /// received last governs: a newer rate closes every older one at its own start. If that governing rate's
    /// `end_date` has passed, no rate is in force (an older rate does not come back).
    /// A rate whose window was already over when it arrived (end ≤ effective start) is kept but never governs.
    public static func inForce(_ rates: [Rate], key: RateKey, at moment: Date) -> Rate? {
        let governing = rates.filter { $0.key == key && $0.startsAt <= moment && !$0.isEmptyWindow }.max { $0.sequence < $1.sequence }
        guard let governing else { return nil }
        if let end = governing.endsAt, end <= moment { return nil }
        return governing
    }

    /// Checks one incoming rate. A `start_date` absent or in the past means "from receipt" (§3.1).
    public static func validate(_ rate: PartnerRate, index: Int, receivedAt: Date) throws(RateProblem) -> NewRate {
        let field = "rates[\(index)]"
        for (name, code) in [("currency_from", rate.currencyFrom), ("currency_to", rate.currencyTo)] {
            guard isCurrencyCode(code) else { throw RateProblem("field '\(field).\(name)' must be an ISO-4217 alpha-3 code") }
        }
        guard rate.currencyFrom != rate.currencyTo else { throw RateProblem("field '\(field).currency_to' must differ from currency_from") }
        guard rate.rate > 0 else { throw RateProblem("field '\(field).rate' must be a positive number") }
        if let type = rate.rateType, type.isEmpty || type.count > 32 {
            throw RateProblem("field '\(field).rate_type' must be 1 to 32 characters")
        }
        if let operation = rate.operation, operation != "sell", operation != "buy" {
            throw RateProblem("field '\(field).operation' must be 'sell' or 'buy'")
        }
        var sentStart: Date?
        if let text = rate.startDate {
            guard let date = WireDate.parsePlain(text, timeZone: timeZone) else {
                throw RateProblem("field '\(field).start_date' must be 'YYYY-MM-DD HH:MM:SS'")
            }
            sentStart = date
        }
        let start = max(sentStart ?? receivedAt, receivedAt)
        var end: Date?
        if let text = rate.endDate {
            guard let date = WireDate.parsePlain(text, timeZone: timeZone) else {
                throw RateProblem("field '\(field).end_date' must be 'YYYY-MM-DD HH:MM:SS'")
            }
            // Only an end before the start as sent is refused (§3.1); a window already over is kept, never in force.
            guard date >= (sentStart ?? receivedAt) else {
                throw RateProblem("field '\(field).end_date' must not be before start_date")
            }
            end = date
        }
        let key = RateKey(from: rate.currencyFrom, to: rate.currencyTo, type: rate.rateType, operation: rate.operation)
        return NewRate(key: key, value: rate.rate, startsAt: start, endsAt: end)
    }

    /// The wire form of a stored rate.
    public static func wire(_ rate: Rate) -> PartnerRate {
        PartnerRate(
            currencyFrom: rate.key.from, currencyTo: rate.key.to, rate: rate.value,
            rateType: rate.key.type.isEmpty ? nil : rate.key.type, operation: rate.key.operation.isEmpty ? nil : rate.key.operation,
            startDate: WireDate.plain(rate.startsAt, timeZone: timeZone),
            endDate: rate.endsAt.map { WireDate.plain($0, timeZone: timeZone) })
    }

    static func isCurrencyCode(_ code: String) -> Bool {
        code.utf8.count == 3 && code.utf8.allSatisfy { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
    }
}

/// Why a rate was refused; the message names the field.
public struct RateProblem: Error, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

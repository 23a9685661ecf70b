import Foundation

/// An amount of money in integer minor units of one currency. Never a floating-point number.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Parses a decimal in major units as the docs write it (`1500`, `1500.5`, `"5000"`), exactly.
    /// Refuses more decimals than the currency has, exponents, signs other than a leading `-`, and
    /// magnitudes that do not fit in Int64 minor units.
    public static func parse(_ text: String, currency: Currency) throws(MoneyError) -> Money {
        if let money = try parseASCII(text, currency: currency) { return money }
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        let negative = digits.first == "-"
        if negative { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit) else { throw .notANumber(text) }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.allSatisfy(\.isASCIIDigit), parts.count == 1 || !fraction.isEmpty else { throw .notANumber(text) }
        let trimmedFraction = fraction.reversed().drop(while: { $0 == "0" }).reversed()
        guard trimmedFraction.count <= currency.exponent else {
            throw .tooManyDecimals(text, allowed: currency.exponent)
        }
        let paddedFraction = String(trimmedFraction) + String(repeating: "0", count: currency.exponent - trimmedFraction.count)
        let wholeDigits = whole.drop(while: { $0 == "0" })
        guard wholeDigits.count + currency.exponent <= 18, let value = Int64((wholeDigits.isEmpty ? "0" : String(wholeDigits)) + paddedFraction) else {
            throw .tooLarge(text)
        }
        return Money(minorUnits: negative ? -value : value, currency: currency)
    }

    /// `parse` for text made only of ASCII digits, '.' and '-' (every amount on the wire), over bytes: the same
    /// rules and errors without Character iteration or Foundation trimming; nil for any other text.
    private static func parseASCII(_ text: String, currency: Currency) throws(MoneyError) -> Money? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 45 }) else { return nil }
        let negative = bytes[0] == 45
        let body = negative ? bytes[1...] : bytes[0...]
        let dot = body.firstIndex(of: 46)
        let whole = body[..<(dot ?? body.endIndex)]
        let fraction = dot.map { body[($0 + 1)...] } ?? []
        let isDigit: (UInt8) -> Bool = { $0 >= 48 && $0 <= 57 }
        guard !whole.isEmpty, whole.allSatisfy(isDigit), fraction.allSatisfy(isDigit), dot == nil || !fraction.isEmpty else {
            throw .notANumber(text)
        }
        var fractionEnd = fraction.endIndex
        while fractionEnd > fraction.startIndex, fraction[fractionEnd - 1] == 48 { fractionEnd -= 1 }
        let fractionDigits = fraction[fraction.startIndex..<fractionEnd]
        guard fractionDigits.count <= currency.exponent else { throw .tooManyDecimals(text, allowed: currency.exponent) }
        let wholeDigits = whole.drop(while: { $0 == 48 })
        guard wholeDigits.count + currency.exponent <= 18 else { throw .tooLarge(text) }
        var value: Int64 = 0
        for digit in wholeDigits { value = value * 10 + Int64(digit - 48) }
        for index in 0..<currency.exponent {
            value = value * 10 + (index < fractionDigits.count ? Int64(fractionDigits[fractionDigits.startIndex + index] - 48) : 0)
        }
        return Money(minorUnits: negative ? -value : value, currency: currency)
    }

    /// Converts an exact `Decimal` (as decoded from a JSON number) to minor units.
    public init(decimal: Decimal, currency: Currency) throws(MoneyError) {
        self = try Money.parse(decimal.description, currency: currency)
    }

    /// The amount in major units as an exact Decimal (for JSON numbers).
    public var decimal: Decimal {
        Decimal(minorUnits) / pow(Decimal(10), currency.exponent)
    }

    /// Major units with exactly `exponent` decimals: `1500.50`.
    public var fixedString: String {
        let sign = minorUnits < 0 ? "-" : ""
        let magnitude = minorUnits.magnitude
        guard currency.exponent > 0 else { return sign + String(magnitude) }
        let scale = UInt64(pow(10, Double(currency.exponent)))
        let fraction = String(magnitude % scale)
        return sign + String(magnitude / scale) + "." + String(repeating: "0", count: currency.exponent - fraction.count) + fraction
    }

    /// Major units without trailing zeros: `1500.5`, `1500`.
    public var compactString: String {
        var text = fixedString
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    public var description: String { "\(fixedString) \(currency.code)" }

    public static func + (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "adding \(lhs.currency) to \(rhs.currency)")
        return Money(minorUnits: lhs.minorUnits + rhs.minorUnits, currency: lhs.currency)
    }

    public static func - (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "subtracting \(rhs.currency) from \(lhs.currency)")
        return Money(minorUnits: lhs.minorUnits - rhs.minorUnits, currency: lhs.currency)
    }
}

public enum MoneyError: Error, Equatable, Sendable, CustomStringConvertible {
    case notANumber(String)
    case tooManyDecimals(String, allowed: Int)
    case tooLarge(String)
    case outOfRange(String, minimum: String, maximum: String)

    public var description: String {
        switch self {
        case .notANumber(let text): return "'\(text)' is not a decimal amount"
        case .tooManyDecimals(let text, let allowed): return "'\(text)' has more than \(allowed) decimal places"
        case .tooLarge(let text): return "'\(text)' is too large"
        case .outOfRange(let text, let minimum, let maximum): return "'\(text)' must be between \(minimum) and \(maximum)"
        }
    }
}

/// The amount bounds the docs give for payments, payouts and card transactions (0.01 … 99,999,999).
public struct AmountRange: Sendable {
    public let minimumMinor: Int64
    public let maximumMajor: Int64

    public static let payments = AmountRange(minimumMinor: 1, maximumMajor: 99_999_999)

    public init(minimumMinor: Int64, maximumMajor: Int64) {
        self.minimumMinor = minimumMinor
        self.maximumMajor = maximumMajor
    }

    /// Parses `text` and checks it is positive and within the range.
    public func parse(_ text: String, currency: Currency) throws(MoneyError) -> Money {
        let money = try Money.parse(text, currency: currency)
        let scale = Int64(pow(10, Double(currency.exponent)))
        let (maximumMinor, overflow) = maximumMajor.multipliedReportingOverflow(by: scale)
        guard money.minorUnits >= minimumMinor, overflow || money.minorUnits <= maximumMinor else {
            let minimum = Money(minorUnits: minimumMinor, currency: currency).compactString
            throw .outOfRange(text, minimum: minimum, maximum: String(maximumMajor))
        }
        return money
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

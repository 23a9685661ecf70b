/// Merchant API decimal amounts (`1500`, `482.5`, `0.01`) as integer minor units (two decimals),
/// parsed and rendered without floating point.
public enum PGAmount {
    /// Largest amount the docs allow: `99999999` (in major units).
    public static let maximumMinor: Int64 = 99_999_999_00
    public static let minimumMinor: Int64 = 1

    public enum Problem: Error, Equatable, Sendable {
        case notANumber
        case tooManyDecimals
        case outOfRange
    }

    /// Parses `123`, `123.4`, `123.45` (a `,` is not accepted); no sign, no exponent, at most two decimals.
    public static func parseMinor(_ text: String) -> Result<Int64, Problem> {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        guard !whole.isEmpty, whole.count <= 12, whole.allSatisfy({ $0.isASCII && $0.isNumber }),
              fraction.allSatisfy({ $0.isASCII && $0.isNumber }), parts.count == 1 || !fraction.isEmpty else {
            return .failure(.notANumber)
        }
        let trimmedFraction = fraction.reversed().drop(while: { $0 == "0" }).reversed()
        guard trimmedFraction.count <= 2 else { return .failure(.tooManyDecimals) }
        guard let major = Int64(whole) else { return .failure(.notANumber) }
        let padded = String(trimmedFraction) + String(repeating: "0", count: 2 - trimmedFraction.count)
        let minor = major * 100 + (Int64(padded) ?? 0)
        return .success(minor)
    }

    /// Parses and checks the documented range `0.01`..`99999999`.
    public static func parseInRange(_ text: String) -> Result<Int64, Problem> {
        switch parseMinor(text) {
        case .success(let minor) where minor < minimumMinor || minor > maximumMinor: return .failure(.outOfRange)
        case let other: return other
        }
    }

    /// Renders like the docs: `1500`, `482.5`, `0.01`, `-10` (no trailing zeros).
    public static func render(_ minor: Int64) -> String {
        let sign = minor < 0 ? "-" : ""
        let magnitude = minor.magnitude
        let whole = magnitude / 100, cents = magnitude % 100
        if cents == 0 { return sign + String(whole) }
        if cents % 10 == 0 { return sign + "\(whole).\(cents / 10)" }
        return sign + "\(whole)." + (cents < 10 ? "0" : "") + String(cents)
    }
}

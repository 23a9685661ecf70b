/// How well a person's phone and name match a card's holder (`external/cardholder_validate`, §3.12).
/// [inferred] score = mean of three similarities (first name, last name, phone), each
/// 1 − Levenshtein distance / longer length, case-insensitive; phone compares its last 10 digits.
/// `fishy` is 1 below 80 %.
public struct CardholderScore: Sendable, Equatable {
    public static let fishyBelowPercent = 80.0

    /// 0...10000, hundredths of a percent (so `"44.37%"` renders without floating-point drift).
    public let hundredthsOfPercent: Int

    public init(firstName: (given: String, holder: String), lastName: (given: String, holder: String), phone: (given: String, holder: String)) {
        let parts = [
            Self.similarity(firstName.given.uppercased(), firstName.holder.uppercased()),
            Self.similarity(lastName.given.uppercased(), lastName.holder.uppercased()),
            Self.similarity(Self.phoneKey(phone.given), Self.phoneKey(phone.holder)),
        ]
        hundredthsOfPercent = Int((parts.reduce(0, +) / 3 * 10_000).rounded())
    }

    /// `"44.37%"`.
    public var text: String {
        let whole = hundredthsOfPercent / 100
        let fraction = hundredthsOfPercent % 100
        return "\(whole).\(fraction < 10 ? "0" : "")\(fraction)%"
    }

    public var fishy: Bool { Double(hundredthsOfPercent) / 100 < Self.fishyBelowPercent }

    static func phoneKey(_ phone: String) -> String { String(phone.filter(\.isASCIIDigit).suffix(10)) }

    static func similarity(_ lhs: String, _ rhs: String) -> Double {
        let longer = max(lhs.count, rhs.count)
        guard longer > 0 else { return 1 }
        return 1 - Double(levenshtein(Array(lhs), Array(rhs))) / Double(longer)
    }

    static func levenshtein(_ lhs: [Character], _ rhs: [Character]) -> Int {
        guard !lhs.isEmpty else { return rhs.count }
        guard !rhs.isEmpty else { return lhs.count }
        var previous = Array(0...rhs.count)
        for (i, left) in lhs.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: rhs.count)
            for (j, right) in rhs.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (left == right ? 0 : 1))
            }
            previous = current
        }
        return previous[rhs.count]
    }
}

/// An ISO 4217 currency with its minor-unit exponent (KZT 2, JPY 0, KWD 3).
public struct Currency: Hashable, Sendable, Codable, CustomStringConvertible {
    public let code: String
    public let exponent: Int

    public init(code: String, exponent: Int) {
        self.code = code
        self.exponent = exponent
    }

    /// Looks up a supported currency by its alpha-3 code (case-sensitive, as the docs write them).
    public init?(code: String) {
        guard let known = Self.supported[code] else { return nil }
        self = known
    }

    public var description: String { code }

    public static let kzt = Currency(code: "KZT", exponent: 2)
    public static let usd = Currency(code: "USD", exponent: 2)
    public static let eur = Currency(code: "EUR", exponent: 2)
    public static let rub = Currency(code: "RUB", exponent: 2)
    public static let kgs = Currency(code: "KGS", exponent: 2)
    public static let uzs = Currency(code: "UZS", exponent: 2)
    public static let gbp = Currency(code: "GBP", exponent: 2)
    public static let cny = Currency(code: "CNY", exponent: 2)
    public static let tryLira = Currency(code: "TRY", exponent: 2)
    public static let aed = Currency(code: "AED", exponent: 2)
    public static let jpy = Currency(code: "JPY", exponent: 0)
    public static let kwd = Currency(code: "KWD", exponent: 3)

    /// The currencies of the three sites plus the ones their docs and cards commonly meet.
    public static let supported: [String: Currency] = Dictionary(
        uniqueKeysWithValues: [kzt, usd, eur, rub, kgs, uzs, gbp, cny, tryLira, aed, jpy, kwd].map { ($0.code, $0) })
}

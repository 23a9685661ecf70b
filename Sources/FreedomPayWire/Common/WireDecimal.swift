import Foundation

/// A decimal amount exactly as the caller wrote it, from a JSON number (`1500.5`) or string (`"5000"`).
/// JSON numbers are read through `Decimal`, never `Double`, so `0.07` stays `0.07`; the domain turns the
/// text into integer minor units with the currency's rules (`Money.parse`).
public struct WireDecimal: Codable, Sendable, Equatable, CustomStringConvertible {
    public let text: String

    public init(_ text: String) { self.text = text }

    public init(_ decimal: Decimal) { self.text = decimal.description }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            text = string
        } else {
            text = try container.decode(Decimal.self).description
        }
    }

    /// Encodes as a JSON number (the docs' type for amounts); a non-numeric text falls back to a string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let decimal = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) {
            try container.encode(decimal)
        } else {
            try container.encode(text)
        }
    }

    public var description: String { text }
}

/// Ids that cannot be mixed up: a card id is never accepted where a client id is expected.
public protocol TypedID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible where RawValue: Hashable & Sendable & Codable {}

extension TypedID {
    public var description: String { "\(rawValue)" }
}

/// Internal row id of a partner (Card API and Partner API credentials).
public struct PartnerID: TypedID {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// `pg_merchant_id` of the Merchant API.
public struct MerchantID: TypedID {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// A partner's own request id (`request_id` body field or `Request-Id` header), scoped to that partner.
public struct RequestID: TypedID {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

import Foundation
import FreedomPayWire

/// `pg_payment_id` of a purchase or of one of its operations (clearing, cancel, refund).
public struct PaymentID: TypedID {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// The card as remembered for status answers and callbacks: masked, never the number or CVV.
public struct PaymentCard: Sendable, Equatable {
    public var mask: String
    public var brand: String
    /// `MM/YY`.
    public var expiry: String
    public var owner: String
    public var profile: TestCardProfile

    public init(mask: String, brand: String, expiry: String, owner: String, profile: TestCardProfile) {
        self.mask = mask
        self.brand = brand
        self.expiry = expiry
        self.owner = owner
        self.profile = profile
    }
}

/// One Merchant API purchase as stored.
public struct PurchasePayment: Sendable, Equatable {
    public let id: PaymentID
    public let merchantID: MerchantID
    public var orderID: String?
    public var currency: String
    public var description: String
    public var machine: PaymentMachine
    public var autoClearing: Bool
    public var testingMode: Bool
    public var challenge3DS: Bool
    public var recurringStart: Bool
    public var expiresAt: Int64
    /// Unguessable token of the hosted payment page URL.
    public var pageToken: String
    /// Request options kept as `pg_*` parameters (URLs, methods, language, user fields).
    public var options: [PGParameter]
    /// `pg_param1..3` and merchant fields without the `pg_` prefix, echoed in callbacks and redirects.
    public var extraFields: [PGParameter]
    public var idempotencyKey: String?
    public var requestHash: String
    public var card: PaymentCard?
    public var threeDSAttempts: Int
    public var authCode: String?
    public var reference: String?
    public var failureCode: Int?
    public var failureDescription: String?
    public var createdAt: Int64
    public var paymentAt: Int64?
    public var authorizedAt: Int64?
    /// Recurring profile created by this payment (`pg_recurring_start=1`) or charged by it.
    public var recurringProfileID: Int64?

    public var status: PaymentMachine.Status { machine.status }
    public var amountMinor: Int64 { machine.amountMinor }
    public func option(_ name: String) -> String? { options.value(name) }

    /// `pg_request_method` of the callbacks (POST when not given [inferred store default]).
    public var requestMethod: PGRequestMethod { option("pg_request_method").flatMap(PGRequestMethod.init(rawValue:)) ?? .post }

    /// Records a decline; the payment must be pending.
    public mutating func fail(_ code: PGErrorCode, _ description: String, at now: Int64) throws(PurchaseRuleViolation) {
        try machine.decline()
        failureCode = code.rawValue
        failureDescription = description
        paymentAt = now
    }
}

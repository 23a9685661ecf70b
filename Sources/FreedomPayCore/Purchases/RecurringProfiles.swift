import Foundation
import FreedomPayWire

/// A card remembered by a first payment with `pg_recurring_start=1`, charged later by
/// `make_recurring_payment.php` (merchant-api.md §3.6, §4.2). Only the masked card is kept.
public struct RecurringProfile: Sendable, Equatable {
    public let id: Int64
    public let merchantID: MerchantID
    public let originPaymentID: PaymentID
    public let currency: String
    public let card: PaymentCard
    public let expiresAt: Int64

    /// Default profile lifetime when `pg_recurring_lifetime` is absent: 12 months [inferred].
    public static let defaultLifetimeMonths = 12
}

public struct RecurringProfileRepository: Sendable {
    public init() {}

    public func insert(_ profile: RecurringProfile, createdAt: Int64, in db: any SQLExecutor) async throws {
        try await db.execute(
            """
            INSERT INTO purchase_recurring_profiles (id, merchant_id, origin_payment_id, currency, card_mask, card_brand, card_exp,
                card_owner, card_profile, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.integer(profile.id), .integer(profile.merchantID.rawValue), .integer(profile.originPaymentID.rawValue),
             .text(profile.currency), .text(profile.card.mask), .text(profile.card.brand), .text(profile.card.expiry),
             .text(profile.card.owner), .text(profile.card.profile.encoded), .integer(profile.expiresAt), .integer(createdAt)])
    }

    public func profile(id: Int64, merchant: MerchantID, in db: any SQLExecutor) async throws -> RecurringProfile? {
        guard let row = try await db.queryOne(
            "SELECT * FROM purchase_recurring_profiles WHERE id = ? AND merchant_id = ?", [.integer(id), .integer(merchant.rawValue)]) else {
            return nil
        }
        guard let cardProfile = TestCardProfile(encoded: try row.text("card_profile")) else {
            throw StoreError.decoding("purchase_recurring_profiles.card_profile is unreadable")
        }
        return RecurringProfile(
            id: try row.int("id"), merchantID: merchant, originPaymentID: PaymentID(rawValue: try row.int("origin_payment_id")),
            currency: try row.text("currency"),
            card: PaymentCard(mask: try row.text("card_mask"), brand: try row.text("card_brand"), expiry: try row.text("card_exp"),
                              owner: try row.text("card_owner"), profile: cardProfile),
            expiresAt: try row.int("expires_at"))
    }
}

extension PurchaseService {
    /// Creates the recurring profile of a successful first payment with `pg_recurring_start=1`.
    func startRecurringProfile(_ payment: inout PurchasePayment, now: Date, in db: any SQLExecutor) async throws {
        guard payment.recurringStart, payment.recurringProfileID == nil, let card = payment.card else { return }
        let months = payment.option("pg_recurring_lifetime").flatMap(Int.init) ?? RecurringProfile.defaultLifetimeMonths
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let expiry = calendar.date(byAdding: .month, value: months, to: now) ?? now
        let profile = RecurringProfile(
            id: Int64(RandomToken.digits(9))!, merchantID: payment.merchantID, originPaymentID: payment.id, currency: payment.currency,
            card: card, expiresAt: Int64(expiry.timeIntervalSince1970))
        try await RecurringProfileRepository().insert(profile, createdAt: Int64(now.timeIntervalSince1970), in: db)
        payment.recurringProfileID = profile.id
    }

    /// `make_recurring_payment.php`: a new payment on the profile's card, authorised and cleared at once
    /// (or declined by the card's sandbox behaviour), with its Result notify.
    public func chargeRecurring(_ draft: PaymentDraft, profileID: Int64, merchant: MerchantID, requestHash: String, now: Date,
                                in db: any SQLExecutor) async throws -> (PurchasePayment, RecurringProfile) {
        guard let profile = try await RecurringProfileRepository().profile(id: profileID, merchant: merchant, in: db) else {
            throw PurchaseRuleViolation(.paymentNotFound, "Recurring profile \(profileID) not found")
        }
        guard Int64(now.timeIntervalSince1970) < profile.expiresAt else {
            throw PurchaseRuleViolation(.recurringProfileExpired, "Recurring profile \(profileID) has expired")
        }
        var adjusted = draft
        adjusted.currency = profile.currency
        adjusted.autoClearing = true
        var payment = try await create(adjusted, merchant: merchant, requestHash: requestHash, now: now, in: db)
        guard payment.status == .created else { return (payment, profile) }  // idempotent replay
        try payment.machine.submitCard()
        payment.card = profile.card
        payment.recurringProfileID = profile.id
        if let code = profile.card.profile.declineCode {
            try await decline(&payment, code: code, description: "Payment error: the issuer declined the recurring charge", now: now, in: db)
        } else {
            try await authorize(&payment, now: now, in: db)
        }
        return (payment, profile)
    }
}

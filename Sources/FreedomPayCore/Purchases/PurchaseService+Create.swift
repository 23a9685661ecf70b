import Crypto
import Foundation
import FreedomPayWire

extension PurchaseService {
    /// Fingerprint of a create request (all fields but `pg_salt`/`pg_sig`, sorted), to tell an identical retry
    /// with the same `pg_idempotency_key` from a different request reusing the key.
    public static func requestHash(_ parameters: [PGParameter]) -> String {
        let relevant = parameters.filter { $0.name != "pg_salt" && $0.name != "pg_sig" }.sorted { $0.name < $1.name }
        return Hex.encode(SHA256.hash(data: Array(PGForm.encode(relevant).utf8)))
    }

    /// Creates a payment, or returns the one created earlier with the same `pg_idempotency_key` (§1.8).
    /// A key reused for a different request is refused (11013); an order id with a paid or open payment is
    /// refused (9991) [inferred: failed, expired and cancelled payments free the order id].
    public func create(_ draft: PaymentDraft, merchant: MerchantID, requestHash: String, now: Date,
                       in db: any SQLExecutor) async throws -> PurchasePayment {
        if let key = draft.idempotencyKey, let existing = try await repository.payment(idempotencyKey: key, merchant: merchant, in: db) {
            guard existing.requestHash == requestHash else {
                throw PurchaseRuleViolation(.repeatedOperation, "pg_idempotency_key '\(key)' was already used for a different request")
            }
            return existing
        }
        if let orderID = draft.orderID, let previous = try await repository.lastPayment(orderID: orderID, merchant: merchant, in: db),
           ![.failed, .incomplete, .cancelled].contains(previous.status) {
            throw PurchaseRuleViolation(.nonUniqueOrderID, "Non-unique order id: payment \(previous.id.rawValue) already exists for pg_order_id '\(orderID)'")
        }
        let seconds = Int64(now.timeIntervalSince1970)
        let payment = PurchasePayment(
            id: try await repository.newID(in: db), merchantID: merchant, orderID: draft.orderID, currency: draft.currency,
            description: draft.description, machine: PaymentMachine(amountMinor: draft.amountMinor),
            autoClearing: draft.autoClearing, testingMode: draft.testingMode, challenge3DS: draft.challenge3DS,
            recurringStart: draft.recurringStart, expiresAt: seconds + draft.lifetimeSeconds,
            pageToken: RandomToken.alphanumeric(32), options: draft.options, extraFields: draft.extraFields,
            idempotencyKey: draft.idempotencyKey, requestHash: requestHash, card: nil, threeDSAttempts: 0, authCode: nil,
            reference: nil, failureCode: nil, failureDescription: nil, createdAt: seconds, paymentAt: nil, authorizedAt: nil,
            recurringProfileID: nil)
        try await repository.insert(payment, in: db)
        return payment
    }
}

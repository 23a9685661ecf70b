import Foundation
import FreedomPayWire

/// Operations recorded against a payment (each has its own `pg_payment_id`).
public enum PurchaseOperationKind: String, Sendable {
    case clearing, cancel, refund, reversal
}

public struct PurchaseOperation: Sendable, Equatable {
    public let id: PaymentID
    public let paymentID: PaymentID
    public let kind: PurchaseOperationKind
    public let amountMinor: Int64
    public let createdAt: Int64
}

/// Reads and writes purchases. Every look-up by id is scoped to the merchant: another merchant's id is "not found".
public struct PurchaseRepository: Sendable {
    public init() {}

    static let columns = """
        id, merchant_id, order_id, amount_minor, currency, description, status, cleared_minor, refunded_minor, auto_clearing,
        testing_mode, challenge_3ds, recurring_start, expires_at, page_token, options, extra_fields, idempotency_key, request_hash,
        card_mask, card_brand, card_exp, card_owner, card_profile, three_ds_attempts, auth_code, reference, failure_code,
        failure_description, created_at, payment_at, authorized_at, recurring_profile_id
        """

    /// A fresh 10-digit id not used by any payment or operation.
    public func newID(in db: any SQLExecutor) async throws -> PaymentID {
        for _ in 0..<16 {
            let candidate = Int64(RandomToken.digits(10))!
            let used = try await db.queryOne(
                "SELECT id FROM purchase_payments WHERE id = ? UNION SELECT id FROM purchase_operations WHERE id = ?",
                [.integer(candidate), .integer(candidate)])
            if used == nil { return PaymentID(rawValue: candidate) }
        }
        throw StoreError.failed("could not find a free payment id")
    }

    /// Inserts a new payment; `order_seq` numbers the payments of one order id so "the last one" is exact.
    public func insert(_ payment: PurchasePayment, in db: any SQLExecutor) async throws {
        var sequence: Int64 = 1
        if let orderID = payment.orderID {
            sequence = try await db.queryOne(
                "SELECT COALESCE(MAX(order_seq), 0) + 1 AS next FROM purchase_payments WHERE merchant_id = ? AND order_id = ?",
                [.integer(payment.merchantID.rawValue), .text(orderID)])?.int("next") ?? 1
        }
        try await db.execute(
            "INSERT INTO purchase_payments (\(Self.columns), order_seq) VALUES (\(Array(repeating: "?", count: 34).joined(separator: ", ")))",
            Self.binds(payment) + [.integer(sequence)])
    }

    /// Writes back every mutable column of `payment`.
    public func update(_ payment: PurchasePayment, in db: any SQLExecutor) async throws {
        var binds = Array(Self.binds(payment).dropFirst())
        binds.append(.integer(payment.id.rawValue))
        let assignments = Self.columns.split(separator: ",").dropFirst()
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) + " = ?" }.joined(separator: ", ")
        try await db.execute("UPDATE purchase_payments SET \(assignments) WHERE id = ?", binds)
    }

    public func payment(id: PaymentID, merchant: MerchantID, in db: any SQLExecutor) async throws -> PurchasePayment? {
        try await db.queryOne(
            "SELECT \(Self.columns) FROM purchase_payments WHERE id = ? AND merchant_id = ?" + db.dialect.forUpdate,
            [.integer(id.rawValue), .integer(merchant.rawValue)]).map(Self.decode)
    }

    /// The last payment created with `orderID` (§1.8).
    public func lastPayment(orderID: String, merchant: MerchantID, in db: any SQLExecutor) async throws -> PurchasePayment? {
        try await db.queryOne(
            "SELECT \(Self.columns) FROM purchase_payments WHERE merchant_id = ? AND order_id = ? ORDER BY order_seq DESC LIMIT 1"
                + db.dialect.forUpdate,
            [.integer(merchant.rawValue), .text(orderID)]).map(Self.decode)
    }

    public func payment(pageToken: String, in db: any SQLExecutor) async throws -> PurchasePayment? {
        try await db.queryOne(
            "SELECT \(Self.columns) FROM purchase_payments WHERE page_token = ?" + db.dialect.forUpdate, [.text(pageToken)]).map(Self.decode)
    }

    public func payment(idempotencyKey: String, merchant: MerchantID, in db: any SQLExecutor) async throws -> PurchasePayment? {
        try await db.queryOne(
            "SELECT \(Self.columns) FROM purchase_payments WHERE merchant_id = ? AND idempotency_key = ?",
            [.integer(merchant.rawValue), .text(idempotencyKey)]).map(Self.decode)
    }

    /// Payments that time alone changes at `now`: held longer than the auto-clearing delay, or unpaid past
    /// their lifetime. At most `limit` (1...100), oldest first.
    public func dueForTimeRules(now: Int64, limit: Int, in db: any SQLExecutor) async throws -> [PurchasePayment] {
        try await db.query(
            """
            SELECT \(Self.columns) FROM purchase_payments
            WHERE (status = 'authorized' AND authorized_at <= ?) OR (status IN ('created', 'pending') AND expires_at <= ?)
            ORDER BY created_at, id LIMIT ?
            """ + db.dialect.forUpdate,
            [.integer(now - PaymentMachine.autoClearingDelaySeconds), .integer(now), SQLValue(min(max(limit, 1), 100))]).map(Self.decode)
    }

    public func addOperation(_ operation: PurchaseOperation, merchant: MerchantID, in db: any SQLExecutor) async throws {
        try await db.execute(
            "INSERT INTO purchase_operations (id, payment_id, merchant_id, kind, amount_minor, status, created_at) VALUES (?, ?, ?, ?, ?, 'success', ?)",
            [.integer(operation.id.rawValue), .integer(operation.paymentID.rawValue), .integer(merchant.rawValue),
             .text(operation.kind.rawValue), .integer(operation.amountMinor), .integer(operation.createdAt)])
    }

    public func operations(of payment: PaymentID, in db: any SQLExecutor) async throws -> [PurchaseOperation] {
        try await db.query(
            "SELECT id, payment_id, kind, amount_minor, created_at FROM purchase_operations WHERE payment_id = ? ORDER BY seq",
            [.integer(payment.rawValue)]).map(Self.decodeOperation)
    }

    /// An operation (refund, cancel, ...) by its own id, scoped to the merchant.
    public func operation(id: PaymentID, merchant: MerchantID, in db: any SQLExecutor) async throws -> PurchaseOperation? {
        try await db.queryOne(
            "SELECT id, payment_id, kind, amount_minor, created_at FROM purchase_operations WHERE id = ? AND merchant_id = ?",
            [.integer(id.rawValue), .integer(merchant.rawValue)]).map(Self.decodeOperation)
    }

    static func decodeOperation(_ row: SQLRow) throws -> PurchaseOperation {
        guard let kind = PurchaseOperationKind(rawValue: try row.text("kind")) else { throw StoreError.decoding("unknown operation kind") }
        return PurchaseOperation(
            id: PaymentID(rawValue: try row.int("id")), paymentID: PaymentID(rawValue: try row.int("payment_id")), kind: kind,
            amountMinor: try row.int("amount_minor"), createdAt: try row.int("created_at"))
    }
}

import Foundation

/// Which secret an operator rotates.
public enum RotatableSecret: String, Sendable, CaseIterable {
    /// A partner's shared HMAC secret (Card API and Partner API).
    case partner
    /// A merchant's payment secret (purchases, result notify).
    case merchantPayment = "payment"
    /// A merchant's payout secret (payouts, payout notify).
    case merchantPayout = "payout"
}

extension CredentialsRepository {
    /// Replaces a secret with a new random one, sealed like the old. The caller reports the change after the
    /// commit (`credentialsChanged`), so the old one stops verifying at once on this instance (other instances:
    /// within the credentials cache's TTL). Returns the new secret (shown once), or nil when no such owner exists.
    public func rotate(_ secret: RotatableSecret, ownerID: Int64, in db: any SQLExecutor) async throws -> String? {
        let fresh = secret == .partner ? RandomToken.alphanumeric(32) : RandomToken.alphanumeric(16)
        let sql: String
        switch secret {
        case .partner: sql = "UPDATE partners SET secret_sealed = ? WHERE id = ?"
        case .merchantPayment: sql = "UPDATE merchants SET payment_secret_sealed = ? WHERE id = ?"
        case .merchantPayout: sql = "UPDATE merchants SET payout_secret_sealed = ? WHERE id = ?"
        }
        let changed = try await db.execute(sql, [.blob(try secrets.seal(fresh)), .integer(ownerID)])
        return changed == 1 ? fresh : nil
    }
}

extension OutboxRepository {
    /// Queues a fresh copy of callback `id` for the dispatcher, due now, signed as usual at sending time.
    /// The original row stays as history. A Result notify copy carries `pg_can_reject=0`: a payment can only
    /// be refused on its first delivery (merchant-api.md §4.5), never through a redelivery.
    public func redeliver(id: Int64, policy: CallbackRetryPolicy, nowMs: Int64, in db: any SQLExecutor) async throws -> Int64? {
        guard let row = try await db.queryOne("SELECT * FROM callback_outbox WHERE id = ?", [.integer(id)]) else {
            return nil
        }
        var callback = try Self.decode(row).callback
        callback.canReject = callback.canReject.map { _ in false }
        return try await enqueue(callback, policy: policy, nowMs: nowMs, in: db)
    }
}

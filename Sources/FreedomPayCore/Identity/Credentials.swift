import Foundation

/// A partner of the Card API and Partner API: one `auth_id` and one shared HMAC secret.
public struct Partner: Sendable, Equatable {
    public let id: PartnerID
    public let authID: String
    public let name: String
    public let secret: String

    public init(id: PartnerID, authID: String, name: String, secret: String) {
        self.id = id
        self.authID = authID
        self.name = name
        self.secret = secret
    }
}

/// A Merchant API store: `pg_merchant_id` with separate payment and payout secrets.
public struct Merchant: Sendable, Equatable {
    public let id: MerchantID
    public let name: String
    public let paymentSecret: String
    public let payoutSecret: String

    public enum SecretKind: Sendable { case payment, payout }

    public init(id: MerchantID, name: String, paymentSecret: String, payoutSecret: String) {
        self.id = id
        self.name = name
        self.paymentSecret = paymentSecret
        self.payoutSecret = payoutSecret
    }

    public func secret(_ kind: SecretKind) -> String { kind == .payment ? paymentSecret : payoutSecret }
}

/// Reads and provisions credentials. Secrets are sealed with the store's `SecretBox`:
/// the HMAC schemes need the plaintext secret, so a one-way hash is not an option.
public struct CredentialsRepository: Sendable {
    public let secrets: SecretBox
    public let clock: any Clock
    /// What the authenticators read through (`partner(authID:store:)`, `merchant(id:store:)`).
    public let cache: CredentialsCache

    /// `cacheTTL`: how long another server instance's secret change may go unnoticed here (0: no cache).
    public init(secrets: SecretBox, clock: any Clock = SystemClock(), cacheTTL: TimeInterval = 2) {
        self.secrets = secrets
        self.clock = clock
        self.cache = CredentialsCache(ttl: cacheTTL, clock: clock)
    }

    /// The partner for authentication, from memory when recently read (see `CredentialsCache`).
    public func partner(authID: String, store: any Store) async throws -> Partner? {
        try await cache.partner(authID: authID) {
            try await store.read { db in try await partner(authID: authID, in: db) }
        }
    }

    /// The merchant for authentication, from memory when recently read (see `CredentialsCache`).
    public func merchant(id: MerchantID, store: any Store) async throws -> Merchant? {
        try await cache.merchant(id: id) {
            try await store.read { db in try await merchant(id: id, in: db) }
        }
    }

    /// Call after a transaction that changed, disabled or removed a partner's credentials has committed:
    /// from then on this instance refuses the old secret.
    public func credentialsChanged(partner id: PartnerID) {
        cache.invalidatePartner(id: id)
    }

    /// Call after a transaction that changed, disabled or removed a merchant's secrets has committed.
    public func credentialsChanged(merchant id: MerchantID) {
        cache.invalidateMerchant(id: id)
    }

    public func partner(authID: String, in db: any SQLExecutor) async throws -> Partner? {
        guard let row = try await db.queryOne(
            "SELECT id, auth_id, name, secret_sealed FROM partners WHERE auth_id = ?", [.text(authID)]) else { return nil }
        return Partner(
            id: PartnerID(rawValue: try row.int("id")), authID: try row.text("auth_id"), name: try row.text("name"),
            secret: try secrets.openText(try row.blob("secret_sealed")))
    }

    public func merchant(id: MerchantID, in db: any SQLExecutor) async throws -> Merchant? {
        guard let row = try await db.queryOne(
            "SELECT id, name, payment_secret_sealed, payout_secret_sealed FROM merchants WHERE id = ?",
            [.integer(id.rawValue)]) else { return nil }
        return Merchant(
            id: MerchantID(rawValue: try row.int("id")), name: try row.text("name"),
            paymentSecret: try secrets.openText(try row.blob("payment_secret_sealed")),
            payoutSecret: try secrets.openText(try row.blob("payout_secret_sealed")))
    }

    /// Creates a partner with a fresh numeric `auth_id` (or the given one) and a random secret.
    public func createPartner(name: String, authID: String? = nil, secret: String? = nil, in db: any SQLExecutor) async throws -> Partner {
        let secret = secret ?? RandomToken.alphanumeric(32)
        for _ in 0..<8 {
            let candidate = authID ?? RandomToken.digits(6)
            if try await db.queryOne("SELECT id FROM partners WHERE auth_id = ?", [.text(candidate)]) != nil {
                if authID != nil { throw StoreError.uniqueViolation("partners.auth_id") }
                continue
            }
            let rows = try await db.query(
                "INSERT INTO partners (auth_id, name, secret_sealed, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                [.text(candidate), .text(name), .blob(try secrets.seal(secret)), .integer(timestamp())])
            guard let row = rows.first else { throw StoreError.failed("partner insert returned no id") }
            return Partner(id: PartnerID(rawValue: try row.int("id")), authID: candidate, name: name, secret: secret)
        }
        throw StoreError.failed("could not find a free auth_id")
    }

    public func createMerchant(
        name: String, id: MerchantID? = nil, paymentSecret: String? = nil, payoutSecret: String? = nil,
        in db: any SQLExecutor
    ) async throws -> Merchant {
        let payment = paymentSecret ?? RandomToken.alphanumeric(16)
        let payout = payoutSecret ?? RandomToken.alphanumeric(16)
        for _ in 0..<8 {
            let candidate = id ?? MerchantID(rawValue: Int64(RandomToken.digits(6))!)
            if try await db.queryOne("SELECT id FROM merchants WHERE id = ?", [.integer(candidate.rawValue)]) != nil {
                if id != nil { throw StoreError.uniqueViolation("merchants.id") }
                continue
            }
            try await db.execute(
                "INSERT INTO merchants (id, name, payment_secret_sealed, payout_secret_sealed, created_at) VALUES (?, ?, ?, ?, ?)",
                [.integer(candidate.rawValue), .text(name), .blob(try secrets.seal(payment)), .blob(try secrets.seal(payout)),
                 .integer(timestamp())])
            return Merchant(id: candidate, name: name, paymentSecret: payment, payoutSecret: payout)
        }
        throw StoreError.failed("could not find a free merchant id")
    }

    public func partnerCount(in db: any SQLExecutor) async throws -> Int64 {
        try await db.queryOne("SELECT COUNT(*) AS n FROM partners", [])?.int("n") ?? 0
    }

    private func timestamp() -> Int64 { Int64(clock.now().timeIntervalSince1970) }
}

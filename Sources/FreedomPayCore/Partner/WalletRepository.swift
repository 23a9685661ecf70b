import Foundation
import FreedomPayWire

/// An e-money wallet (spec §3.9–§3.16). Its money lives on the ledger account `wallet:<id>:<currency>`.
public struct Wallet: Sendable, Equatable {
    public var id: Int64
    public var partnerID: PartnerID
    public var identifier: String
    public var country: String
    public var currency: String
    public var lifecycle: WalletLifecycle
    public var createdAt: Date

    public var info: WalletInfo {
        WalletInfo(
            identifier: identifier, country: country, currency: currency, state: lifecycle.state.rawValue,
            identified: lifecycle.identified, createdAt: WireDate.rfc3339(createdAt))
    }
}

/// Wallets in `partner_wallets`, always looked up within one partner: another partner's identifier is
/// simply not found.
public struct WalletRepository: Sendable {
    public init() {}

    public func create(
        partner: PartnerID, identifier: String, country: String, currency: String, at now: Date, in db: any SQLExecutor
    ) async throws -> Wallet {
        let lifecycle = WalletLifecycle()
        let row = try await db.queryOne(
            """
            INSERT INTO partner_wallets (partner_id, identifier, country, currency, state, identified, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, 0, ?, ?) RETURNING id
            """,
            [.integer(partner.rawValue), .text(identifier), .text(country), .text(currency), .text(lifecycle.state.rawValue),
             .integer(Int64(now.timeIntervalSince1970)), .integer(Int64(now.timeIntervalSince1970))])
        return Wallet(
            id: try row?.int("id") ?? 0, partnerID: partner, identifier: identifier, country: country, currency: currency,
            lifecycle: lifecycle, createdAt: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)))
    }

    /// The partner's wallet with `identifier`, locked for update when the caller will change it.
    public func find(partner: PartnerID, identifier: String, in db: any SQLExecutor) async throws -> Wallet? {
        guard let row = try await db.queryOne(
            "SELECT * FROM partner_wallets WHERE partner_id = ? AND identifier = ?" + db.dialect.forUpdate,
            [.integer(partner.rawValue), .text(identifier)]) else { return nil }
        guard let state = WalletState(rawValue: try row.text("state")) else { throw StoreError.decoding("wallet state") }
        return Wallet(
            id: try row.int("id"), partnerID: partner, identifier: try row.text("identifier"), country: try row.text("country"),
            currency: try row.text("currency"), lifecycle: WalletLifecycle(state: state, identified: try row.int("identified") == 1),
            createdAt: Date(timeIntervalSince1970: TimeInterval(try row.int("created_at"))))
    }

    /// Stores the wallet's state; `ownerName` (no document numbers) is kept when identification sets it.
    public func save(_ wallet: Wallet, ownerName: String? = nil, at now: Date, in db: any SQLExecutor) async throws {
        try await db.execute(
            """
            UPDATE partner_wallets SET state = ?, identified = ?, owner_name = COALESCE(?, owner_name), updated_at = ?
            WHERE id = ? AND partner_id = ?
            """,
            [.text(wallet.lifecycle.state.rawValue), SQLValue(wallet.lifecycle.identified), SQLValue(ownerName),
             .integer(Int64(now.timeIntervalSince1970)), .integer(wallet.id), .integer(wallet.partnerID.rawValue)])
    }

    /// A fresh identifier when the partner supplies none: 12 digits [inferred].
    public static func newIdentifier() -> String {
        String(UInt64.random(in: 100_000_000_000...999_999_999_999))
    }
}

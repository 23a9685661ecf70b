import Foundation
import FreedomPayWire

/// A gift product a partner may issue: face value in minor units of its currency.
public struct GiftProductRecord: Sendable, Equatable {
    public let code: Int
    public let name: String
    public let nameEN: String
    public let currency: Currency
    public let faceValueMinor: Int64
    public let image: String
    /// nil: every partner may issue it; else only this partner (others get `-11`).
    public let partnerID: PartnerID?
}

/// Gift products and gift cards in the store.
public struct GiftCardRepository: Sendable {
    public init() {}

    public func products(visibleTo partner: PartnerID, in db: any SQLExecutor) async throws -> [GiftProductRecord] {
        try await db.query(
            "SELECT * FROM gift_products WHERE partner_id IS NULL OR partner_id = ? ORDER BY code", [.integer(partner.rawValue)]
        ).map(decodeProduct)
    }

    public func product(code: Int, in db: any SQLExecutor) async throws -> GiftProductRecord? {
        try await db.queryOne("SELECT * FROM gift_products WHERE code = ?", [.integer(Int64(code))]).map(decodeProduct)
    }

    /// Inserts a card; `id` nil takes the next id. Throws `uniqueViolation` for a taken id.
    public func insert(
        id: GiftCardID?, partner: PartnerID, product: GiftProductRecord, holderName: String, phone: String,
        panMask: String, panSealed: [UInt8], code: PendingCode, now: Date, in db: any SQLExecutor
    ) async throws -> GiftCardID {
        let columns = "partner_id, product_code, holder_name, phone, currency, face_value_minor, pan_mask, pan_sealed, status, "
            + "code_hash, code_salt, code_expires_at, code_attempts, created_at"
        var binds: [SQLValue] = [
            .integer(partner.rawValue), .integer(Int64(product.code)), .text(holderName), .text(phone), .text(product.currency.code),
            .integer(product.faceValueMinor), .text(panMask), .blob(panSealed), .integer(Int64(GiftCardStatusCode.issued.rawValue)),
            .text(code.hash), .text(code.salt), .integer(Int64(code.expiresAt.timeIntervalSince1970)), .integer(0),
            .integer(Int64(now.timeIntervalSince1970)),
        ]
        let sql: String
        if let id {
            binds.insert(.integer(id.rawValue), at: 0)
            sql = "INSERT INTO gift_cards (id, \(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"
        } else {
            sql = "INSERT INTO gift_cards (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"
        }
        guard let row = try await db.queryOne(sql, binds) else { throw StoreError.failed("gift card insert returned no id") }
        return GiftCardID(rawValue: try row.int("id"))
    }

    /// The card if it belongs to `partner`; another partner's card reads as absent.
    public func card(_ id: GiftCardID, of partner: PartnerID, in db: any SQLExecutor) async throws -> GiftCard? {
        try await db.queryOne(
            "SELECT * FROM gift_cards WHERE id = ? AND partner_id = ?" + db.dialect.forUpdate, [.integer(id.rawValue), .integer(partner.rawValue)]
        ).map(decodeCard)
    }

    /// Issued (unconfirmed) cards of `partner`, newest first: confirm without `card_id` searches these.
    public func pendingCards(of partner: PartnerID, limit: Int = 200, in db: any SQLExecutor) async throws -> [GiftCard] {
        try await db.query(
            "SELECT * FROM gift_cards WHERE partner_id = ? AND status = ? ORDER BY id DESC LIMIT ?",
            [.integer(partner.rawValue), .integer(Int64(GiftCardStatusCode.issued.rawValue)), .integer(Int64(limit))]
        ).map(decodeCard)
    }

    public func update(_ card: GiftCard, in db: any SQLExecutor) async throws {
        try await db.execute(
            "UPDATE gift_cards SET status = ?, code_hash = ?, code_salt = ?, code_expires_at = ?, code_attempts = ? WHERE id = ?",
            [.integer(Int64(card.status.rawValue)), SQLValue(card.code?.hash), SQLValue(card.code?.salt),
             SQLValue(card.code.map { Int64($0.expiresAt.timeIntervalSince1970) }), .integer(Int64(card.code?.attempts ?? 0)),
             .integer(card.id.rawValue)])
    }

    private func decodeProduct(_ row: SQLRow) throws -> GiftProductRecord {
        let code = try row.text("currency")
        guard let currency = Currency(code: code) else { throw StoreError.decoding("gift product currency \(code)") }
        return GiftProductRecord(
            code: Int(try row.int("code")), name: try row.text("name"), nameEN: try row.text("name_en"), currency: currency,
            faceValueMinor: try row.int("face_value_minor"), image: try row.text("image"),
            partnerID: row.optionalInt("partner_id").map(PartnerID.init(rawValue:)))
    }

    private func decodeCard(_ row: SQLRow) throws -> GiftCard {
        let code = try row.text("currency")
        guard let currency = Currency(code: code), let status = GiftCardStatusCode(rawValue: Int(try row.int("status"))) else {
            throw StoreError.decoding("gift card currency or status")
        }
        var pending: PendingCode?
        if let hash = row.optionalText("code_hash"), let salt = row.optionalText("code_salt"), let expires = row.optionalInt("code_expires_at") {
            pending = PendingCode(
                hash: hash, salt: salt, expiresAt: Date(timeIntervalSince1970: TimeInterval(expires)),
                attempts: Int(row.optionalInt("code_attempts") ?? 0))
        }
        return GiftCard(
            id: GiftCardID(rawValue: try row.int("id")), partnerID: PartnerID(rawValue: try row.int("partner_id")),
            productCode: Int(try row.int("product_code")), holderName: try row.text("holder_name"), phone: try row.text("phone"),
            currency: currency, faceValueMinor: try row.int("face_value_minor"), panMask: try row.text("pan_mask"), status: status,
            code: pending, createdAt: Date(timeIntervalSince1970: TimeInterval(try row.int("created_at"))))
    }
}

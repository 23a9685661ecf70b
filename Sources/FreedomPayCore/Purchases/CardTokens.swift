import Crypto
import Foundation
import FreedomPayWire

/// A card saved through `cardstorage/add` (merchant-api.md §3.7–§3.9): only the masked card and its
/// sandbox behaviour are kept, never the number or CVV.
public struct CardToken: Sendable, Equatable {
    public enum Status: String, Sendable {
        case pending, success, failed, removed
        /// Card entered, waiting for the 3-D Secure code.
        case threeDS = "three_ds"
    }

    public let token: String
    /// The deprecated numeric `pg_card_id`.
    public let cardID: Int64
    public let merchantID: MerchantID
    public let userID: String
    public let orderID: String?
    /// `pg_payment_id` of the tokenization operation.
    public let operationID: Int64
    public let pageToken: String
    public let postLink: String
    public let backLink: String
    public var status: Status
    public var card: PaymentCard?
    public let createdAt: Int64
    public var deletedAt: Int64?

    /// A tokenization waiting for the buyer to enter the card on the hosted form.
    public static func pending(merchant: MerchantID, userID: String, orderID: String?, operationID: Int64, postLink: String,
                               backLink: String, now: Int64) -> CardToken {
        CardToken(
            token: RandomToken.uuid(), cardID: Int64(RandomToken.digits(9))!, merchantID: merchant, userID: userID, orderID: orderID,
            operationID: operationID, pageToken: RandomToken.alphanumeric(32), postLink: postLink, backLink: backLink,
            status: .pending, card: nil, createdAt: now, deletedAt: nil)
    }

    /// `pg_card_hhash`: a hash of the masked PAN [inferred: SHA-256 hex].
    public var maskHash: String {
        Hex.encode(SHA256.hash(data: Array((card?.mask ?? "").utf8)))
    }
}

public struct CardTokenRepository: Sendable {
    /// Purchase cards and payout (receiving) cards live in tables of the same shape.
    public enum Table: String, Sendable { case purchase = "purchase_card_tokens", payout = "payout_card_tokens" }
    let table: String

    public init(_ table: Table = .purchase) { self.table = table.rawValue }

    public func insert(_ token: CardToken, in db: any SQLExecutor) async throws {
        try await db.execute(
            """
            INSERT INTO \(table) (token, card_id, merchant_id, user_id, order_id, operation_id, page_token, post_link,
                back_link, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(token.token), .integer(token.cardID), .integer(token.merchantID.rawValue), .text(token.userID), SQLValue(token.orderID),
             .integer(token.operationID), .text(token.pageToken), .text(token.postLink), .text(token.backLink),
             .text(token.status.rawValue), .integer(token.createdAt)])
    }

    public func update(_ token: CardToken, in db: any SQLExecutor) async throws {
        let card = token.card
        try await db.execute(
            """
            UPDATE \(table) SET status = ?, card_mask = ?, card_brand = ?, card_exp = ?, card_owner = ?, card_profile = ?,
                deleted_at = ? WHERE token = ?
            """,
            [.text(token.status.rawValue), SQLValue(card?.mask), SQLValue(card?.brand), SQLValue(card?.expiry), SQLValue(card?.owner),
             SQLValue(card?.profile.encoded), SQLValue(token.deletedAt), .text(token.token)])
    }

    public func token(pageToken: String, in db: any SQLExecutor) async throws -> CardToken? {
        try await db.queryOne("SELECT * FROM \(table) WHERE page_token = ?" + db.dialect.forUpdate, [.text(pageToken)]).map(Self.decode)
    }

    /// A saved card of this merchant and user, by token or by the deprecated numeric card id.
    public func token(_ tokenOrID: String, merchant: MerchantID, userID: String, in db: any SQLExecutor) async throws -> CardToken? {
        try await db.queryOne(
            "SELECT * FROM \(table) WHERE merchant_id = ? AND user_id = ? AND (token = ? OR card_id = ?)" + db.dialect.forUpdate,
            [.integer(merchant.rawValue), .text(userID), .text(tokenOrID), .integer(Int64(tokenOrID) ?? -1)]).map(Self.decode)
    }

    /// The user's saved (successful, not removed) cards, oldest first, at most 100.
    public func active(merchant: MerchantID, userID: String, in db: any SQLExecutor) async throws -> [CardToken] {
        try await db.query(
            "SELECT * FROM \(table) WHERE merchant_id = ? AND user_id = ? AND status = 'success' ORDER BY created_at, card_id LIMIT 100",
            [.integer(merchant.rawValue), .text(userID)]).map(Self.decode)
    }

    static func decode(_ row: SQLRow) throws -> CardToken {
        guard let status = CardToken.Status(rawValue: try row.text("status")) else { throw StoreError.decoding("card token status") }
        var card: PaymentCard?
        if let mask = row.optionalText("card_mask"), let profile = row.optionalText("card_profile").flatMap(TestCardProfile.init(encoded:)) {
            card = PaymentCard(mask: mask, brand: row.optionalText("card_brand") ?? "", expiry: row.optionalText("card_exp") ?? "",
                               owner: row.optionalText("card_owner") ?? "", profile: profile)
        }
        return CardToken(
            token: try row.text("token"), cardID: try row.int("card_id"), merchantID: MerchantID(rawValue: try row.int("merchant_id")),
            userID: try row.text("user_id"), orderID: row.optionalText("order_id"), operationID: try row.int("operation_id"),
            pageToken: try row.text("page_token"), postLink: try row.text("post_link"), backLink: try row.text("back_link"),
            status: status, card: card, createdAt: try row.int("created_at"), deletedAt: row.optionalInt("deleted_at"))
    }
}

/// The card tokenization notify to `pg_post_link` (§3.25 [inferred] field list), unsigned.
public enum CardTokenCallbacks {
    public static func parameters(_ token: CardToken) -> [PGParameter] {
        var out: [PGParameter] = [
            PGParameter("pg_merchant_id", String(token.merchantID.rawValue)),
            PGParameter("pg_user_id", token.userID),
            PGParameter("pg_order_id", token.orderID ?? ""),
            PGParameter("pg_payment_id", String(token.operationID)),
            PGParameter("pg_status", token.status == .success ? "success" : "error"),
        ]
        if token.status == .success, let card = token.card {
            let parts = card.expiry.split(separator: "/")
            out.append(PGParameter("pg_card_id", String(token.cardID)))
            out.append(PGParameter("pg_card_token", token.token))
            out.append(PGParameter("pg_card_hash", card.mask))
            out.append(PGParameter("pg_card_month", parts.first.map(String.init) ?? ""))
            out.append(PGParameter("pg_card_year", parts.last.map(String.init) ?? ""))
        }
        return out
    }
}

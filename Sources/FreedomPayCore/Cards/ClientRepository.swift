import Crypto
import Foundation
import FreedomPayWire

/// A cardholder as the card rules need it (the full KYC record stays in the row).
public struct CardClient: Sendable, Equatable {
    public let id: ClientID
    public let partnerID: PartnerID
    public let product: ClientProduct
    public var phone: Int64
    public let firstName: String
    public let lastName: String
}

/// `card_clients` rows. Every lookup is scoped to the calling partner: another partner's client is "not found".
public struct ClientRepository: Sendable {
    public init() {}

    public func find(_ id: ClientID, partner: PartnerID, in db: any SQLExecutor) async throws -> CardClient? {
        guard let row = try await db.queryOne(
            "SELECT client_id, partner_id, product_id, phone, first_name, last_name FROM card_clients WHERE client_id = ? AND partner_id = ?"
                + db.dialect.forUpdate,
            [.text(id.rawValue), .integer(partner.rawValue)]) else { return nil }
        guard let product = ClientProduct(rawValue: Int(try row.int("product_id"))) else { throw StoreError.decoding("unknown product_id") }
        return CardClient(
            id: ClientID(rawValue: try row.text("client_id")), partnerID: PartnerID(rawValue: try row.int("partner_id")),
            product: product, phone: try row.int("phone"), firstName: try row.text("first_name"), lastName: try row.text("last_name"))
    }

    /// Stores a validated `client/add` request under a fresh 7-digit client id. The identity document itself
    /// is not kept, only its SHA-256 (the sandbox has no KYC back office to show it to).
    public func insert(_ request: ClientAddRequest, product: ClientProduct, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws -> ClientID {
        let id = try await freshID(in: db)
        let client = request.client
        let details = ClientDetails(address1: client.address1, address2: client.address2, identificationInfo: client.identificationInfo)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let timestamp = Int64(now.timeIntervalSince1970)
        try await db.execute(
            """
            INSERT INTO card_clients (client_id, partner_id, product_id, branch_id, phone, client_type, resident, first_name,
                last_name, middle_name, birthdate, email, country, person_id, language, external_user_id, document_sha256,
                details_json, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(id.rawValue), .integer(partner.rawValue), SQLValue(product.rawValue), SQLValue(request.branchID),
             .integer(client.phone), SQLValue(client.type), SQLValue(client.resident), .text(client.firstName),
             .text(client.lastName), SQLValue(client.middleName), SQLValue(client.birthdate), SQLValue(client.email),
             SQLValue(client.country), SQLValue(client.personID), SQLValue(client.language), SQLValue(client.externalUserID),
             SQLValue(client.document.map { Hex.encode(SHA256.hash(data: Array($0.utf8))) }),
             .text(String(decoding: try encoder.encode(details), as: UTF8.self)), .integer(timestamp), .integer(timestamp)])
        return id
    }

    public func updatePhone(_ id: ClientID, partner: PartnerID, phone: Int64, now: Date, in db: any SQLExecutor) async throws {
        try await db.execute(
            "UPDATE card_clients SET phone = ?, updated_at = ? WHERE client_id = ? AND partner_id = ?",
            [.integer(phone), .integer(Int64(now.timeIntervalSince1970)), .text(id.rawValue), .integer(partner.rawValue)])
    }

    private func freshID(in db: any SQLExecutor) async throws -> ClientID {
        for _ in 0..<16 {
            let candidate = ClientID(rawValue: RandomToken.digits(7))
            if try await db.queryOne("SELECT client_id FROM card_clients WHERE client_id = ?", [.text(candidate.rawValue)]) == nil {
                return candidate
            }
        }
        throw StoreError.failed("could not find a free client_id")
    }
}

/// The nested parts of a client kept as one JSON column.
struct ClientDetails: Codable {
    var address1: ClientAddress?
    var address2: ClientAddress?
    var identificationInfo: IdentificationInfo?
}

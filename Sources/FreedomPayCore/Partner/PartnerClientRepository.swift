import Foundation
import FreedomPayWire

/// A partner's client company (Products §3.3).
public struct PartnerClient: Sendable, Equatable {
    public var id: PartnerClientID
    public var partnerID: PartnerID
    public var name: String

    public init(id: PartnerClientID, partnerID: PartnerID, name: String) {
        self.id = id
        self.partnerID = partnerID
        self.name = name
    }
}

/// A product registered for a client (§3.5).
public struct RegisteredProduct: Sendable, Equatable {
    public var rowID: Int64
    public var clientID: PartnerClientID
    public var registration: ProductRegistration
}

/// Client companies, their users, products, grants and auth-data deliveries. Every lookup is scoped to the
/// partner, so another partner's ids read as "not found".
public struct PartnerClientRepository: Sendable {
    /// Terminal ids are handed out above this base so they do not look like row ids [inferred].
    static let terminalBase: Int64 = 880_000

    public init() {}

    public func createClient(_ company: PartnerCompany, partner: PartnerID, at now: Date, in db: any SQLExecutor) async throws -> PartnerClientID {
        let address = String(decoding: try JSONEncoder().encode(company.address), as: UTF8.self)
        let row = try await db.queryOne(
            """
            INSERT INTO partner_clients (partner_id, company_id, name, bin, iban, description, legal_type, address_json, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """,
            [.integer(partner.rawValue), SQLValue(company.companyID), .text(company.name), .text(company.bin.value),
             SQLValue(company.iban), SQLValue(company.description), SQLValue(company.legalType), .text(address),
             .integer(Int64(now.timeIntervalSince1970))])
        return PartnerClientID(rawValue: try row?.int("id") ?? 0)
    }

    public func client(_ id: Int64, partner: PartnerID, in db: any SQLExecutor) async throws -> PartnerClient? {
        guard let row = try await db.queryOne(
            "SELECT id, name FROM partner_clients WHERE id = ? AND partner_id = ?", [.integer(id), .integer(partner.rawValue)])
        else { return nil }
        return PartnerClient(id: PartnerClientID(rawValue: try row.int("id")), partnerID: partner, name: try row.text("name"))
    }

    public func addUser(_ person: PartnerPerson, client: PartnerClient, at now: Date, in db: any SQLExecutor) async throws -> PartnerUserID {
        let row = try await db.queryOne(
            """
            INSERT INTO partner_client_users (partner_id, client_id, first_name, last_name, phone, email, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id
            """,
            [.integer(client.partnerID.rawValue), .integer(client.id.rawValue), .text(person.firstName), .text(person.lastName),
             .text(person.phone.value), .text(person.email), .integer(Int64(now.timeIntervalSince1970))])
        return PartnerUserID(rawValue: try row?.int("id") ?? 0)
    }

    /// The user's phone and e-mail when the user belongs to `client`.
    public func user(_ id: Int64, client: PartnerClient, in db: any SQLExecutor) async throws -> (phone: String, email: String)? {
        guard let row = try await db.queryOne(
            "SELECT phone, email FROM partner_client_users WHERE id = ? AND client_id = ? AND partner_id = ?",
            [.integer(id), .integer(client.id.rawValue), .integer(client.partnerID.rawValue)]) else { return nil }
        return (try row.text("phone"), try row.text("email"))
    }

    /// Registers a product; it is active (`status: 1`) at once in the sandbox [inferred].
    public func addProduct(_ product: PartnerProduct, client: PartnerClient, at now: Date, in db: any SQLExecutor) async throws -> RegisteredProduct {
        let uuid = UUID().uuidString.lowercased()
        let json = String(decoding: try JSONEncoder().encode(product), as: UTF8.self)
        let row = try await db.queryOne(
            """
            INSERT INTO partner_client_products (partner_id, client_id, product_id, product_uuid, terminal_id, active, product_json, created_at)
            VALUES (?, ?, ?, ?, 0, 1, ?, ?) RETURNING id
            """,
            [.integer(client.partnerID.rawValue), .integer(client.id.rawValue), .integer(Int64(product.productID)), .text(uuid),
             .text(json), .integer(Int64(now.timeIntervalSince1970))])
        let rowID = try row?.int("id") ?? 0
        let terminal = Self.terminalBase + rowID
        try await db.execute("UPDATE partner_client_products SET terminal_id = ? WHERE id = ?", [.integer(terminal), .integer(rowID)])
        return RegisteredProduct(
            rowID: rowID, clientID: client.id,
            registration: ProductRegistration(productID: product.productID, productUUID: uuid, terminalID: terminal, status: 1))
    }

    /// A product of `client` named by its uuid or terminal id.
    public func product(uuid: String?, terminalID: Int64?, client: PartnerClient, in db: any SQLExecutor) async throws -> RegisteredProduct? {
        var column = "terminal_id"
        var value = SQLValue(terminalID)
        if let uuid {
            column = "product_uuid"
            value = .text(uuid)
        }
        guard let row = try await db.queryOne(
            "SELECT id, product_id, product_uuid, terminal_id, active FROM partner_client_products WHERE \(column) = ? AND client_id = ? AND partner_id = ?",
            [value, .integer(client.id.rawValue), .integer(client.partnerID.rawValue)]) else { return nil }
        return RegisteredProduct(
            rowID: try row.int("id"), clientID: client.id,
            registration: ProductRegistration(
                productID: Int(try row.int("product_id")), productUUID: try row.text("product_uuid"),
                terminalID: try row.int("terminal_id"), status: Int(try row.int("active"))))
    }

    /// Gives a user access to a product; granting the same access again changes nothing.
    public func grant(user: Int64, product: RegisteredProduct, role: String, at now: Date, in db: any SQLExecutor) async throws {
        let existing = try await db.queryOne(
            "SELECT role FROM partner_user_grants WHERE user_id = ? AND product_row_id = ?", [.integer(user), .integer(product.rowID)])
        guard existing == nil else { return }
        try await db.execute(
            "INSERT INTO partner_user_grants (user_id, product_row_id, role, created_at) VALUES (?, ?, ?, ?)",
            [.integer(user), .integer(product.rowID), .text(role), .integer(Int64(now.timeIntervalSince1970))])
    }

    public func grantCount(user: Int64, in db: any SQLExecutor) async throws -> Int64 {
        try await db.queryOne("SELECT COUNT(*) AS n FROM partner_user_grants WHERE user_id = ?", [.integer(user)])?.int("n") ?? 0
    }

    /// Records that login data went to the user (sandbox outbox). Only a masked destination is kept:
    /// the credentials themselves are never stored.
    public func recordAuthMessage(
        partner: PartnerID, user: Int64, channel: String, destination: String, at now: Date, in db: any SQLExecutor
    ) async throws {
        try await db.execute(
            "INSERT INTO partner_auth_messages (partner_id, user_id, channel, destination, created_at) VALUES (?, ?, ?, ?, ?)",
            [.integer(partner.rawValue), .integer(user), .text(channel), .text(Self.mask(destination)), .integer(Int64(now.timeIntervalSince1970))])
    }

    /// The sandbox outbox of auth-data messages for one user: (channel, masked destination).
    public func authMessages(partner: PartnerID, user: Int64, in db: any SQLExecutor) async throws -> [(channel: String, destination: String)] {
        try await db.query(
            "SELECT channel, destination FROM partner_auth_messages WHERE partner_id = ? AND user_id = ? ORDER BY id",
            [.integer(partner.rawValue), .integer(user)]).map { row in (channel: try row.text("channel"), destination: try row.text("destination")) }
    }

    static func mask(_ destination: String) -> String {
        guard destination.count > 4 else { return "****" }
        return String(repeating: "*", count: destination.count - 4) + destination.suffix(4)
    }
}

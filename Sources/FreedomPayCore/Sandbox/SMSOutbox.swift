import Foundation

/// A text message the platform "sent". In sandbox mode nothing leaves the machine: messages land here
/// and a tester reads them over the authenticated sandbox endpoint or `freedompay sandbox sms`.
public struct SMSMessage: Sendable, Equatable, Codable {
    public let id: Int64
    public let phone: String
    public let text: String
    public let createdAt: Date
}

public struct SMSOutbox: Sendable {
    public init() {}

    public func send(partner: PartnerID, phone: String, text: String, now: Date, in db: any SQLExecutor) async throws {
        try await db.execute(
            "INSERT INTO sms_outbox (partner_id, phone, text, created_at) VALUES (?, ?, ?, ?)",
            [.integer(partner.rawValue), .text(phone), .text(text), .integer(Int64(now.timeIntervalSince1970))])
    }

    /// Newest first; only `partner`'s messages.
    public func messages(partner: PartnerID, phone: String?, limit: Int = 50, in db: any SQLExecutor) async throws -> [SMSMessage] {
        var sql = "SELECT id, phone, text, created_at FROM sms_outbox WHERE partner_id = ?"
        var binds: [SQLValue] = [.integer(partner.rawValue)]
        if let phone {
            sql += " AND phone = ?"
            binds.append(.text(phone))
        }
        sql += " ORDER BY id DESC LIMIT ?"
        binds.append(.integer(Int64(min(max(limit, 1), 500))))
        return try await db.query(sql, binds).map { row in
            SMSMessage(
                id: try row.int("id"), phone: try row.text("phone"), text: try row.text("text"),
                createdAt: Date(timeIntervalSince1970: TimeInterval(try row.int("created_at"))))
        }
    }
}

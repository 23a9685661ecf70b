import Foundation
import FreedomPayWire

/// Request records in the `requests` table.
public struct RequestRepository: Sendable {
    public init() {}

    public func find(partner: PartnerID, requestID: RequestID, in db: any SQLExecutor) async throws -> RequestRecord? {
        guard let row = try await db.queryOne(
            """
            SELECT partner_id, request_id, api, kind, body_hash, status, outcome_json, response_json, complete_at,
                   created_at, updated_at
            FROM requests WHERE partner_id = ? AND request_id = ?
            """ + db.dialect.forUpdate,
            [.integer(partner.rawValue), .text(requestID.rawValue)]) else { return nil }
        return try decode(row)
    }

    /// Inserts a new record; a concurrent insert of the same id fails with `StoreError.uniqueViolation`.
    public func insert(_ record: RequestRecord, in db: any SQLExecutor) async throws {
        try await db.execute(
            """
            INSERT INTO requests (partner_id, request_id, api, kind, body_hash, status, outcome_json, response_json,
                                  complete_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.integer(record.partnerID.rawValue), .text(record.requestID.rawValue), .text(record.api.rawValue),
             .text(record.kind), .text(record.bodyHash), .text(record.status.rawValue), .text(try encode(record.outcome)),
             SQLValue(record.responseJSON), SQLValue(record.completeAt.map { Int64($0.timeIntervalSince1970) }),
             .integer(Int64(record.createdAt.timeIntervalSince1970)), .integer(Int64(record.updatedAt.timeIntervalSince1970))])
    }

    /// Stores the final state, outcome and answer of a request.
    public func update(_ record: RequestRecord, in db: any SQLExecutor) async throws {
        try await db.execute(
            """
            UPDATE requests SET status = ?, outcome_json = ?, response_json = ?, complete_at = ?, updated_at = ?
            WHERE partner_id = ? AND request_id = ?
            """,
            [.text(record.status.rawValue), .text(try encode(record.outcome)), SQLValue(record.responseJSON),
             SQLValue(record.completeAt.map { Int64($0.timeIntervalSince1970) }),
             .integer(Int64(record.updatedAt.timeIntervalSince1970)),
             .integer(record.partnerID.rawValue), .text(record.requestID.rawValue)])
    }

    private func decode(_ row: SQLRow) throws -> RequestRecord {
        guard let api = RequestAPI(rawValue: try row.text("api")),
              let status = RequestStatus(rawValue: try row.text("status")) else {
            throw StoreError.decoding("unknown request api or status")
        }
        let outcome = try JSONDecoder().decode(RequestOutcome.self, from: Data(try row.text("outcome_json").utf8))
        return RequestRecord(
            partnerID: PartnerID(rawValue: try row.int("partner_id")), requestID: RequestID(rawValue: try row.text("request_id")),
            api: api, kind: try row.text("kind"), bodyHash: try row.text("body_hash"), status: status, outcome: outcome,
            responseJSON: row.optionalText("response_json"),
            completeAt: row.optionalInt("complete_at").map { Date(timeIntervalSince1970: TimeInterval($0)) },
            createdAt: Date(timeIntervalSince1970: TimeInterval(try row.int("created_at"))),
            updatedAt: Date(timeIntervalSince1970: TimeInterval(try row.int("updated_at"))))
    }

    private func encode(_ outcome: RequestOutcome) throws -> String {
        // The usual outcome (ids, an error) is flat: written without the Encoder, inside the commit.
        if outcome.cards == nil, outcome.extra == nil,
           let bytes = SortedJSON.encodeFlat([outcome.flatJSONMembers], escapingSlashes: true) {
            return String(decoding: bytes, as: UTF8.self)
        }
        if let bytes = SortedJSON.encode(outcome, escapingSlashes: true) { return String(decoding: bytes, as: UTF8.self) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(outcome), as: UTF8.self)
    }
}

import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// What a state-changing Card API operation produced: the record kept for `request/status`,
/// and the answer given now (encoded once, replayed byte for byte on an identical retry).
struct CardAPIResult<Answer: Encodable & Sendable>: Sendable {
    var outcome: RequestOutcome
    var answer: Answer
}

/// Runs a state-changing Card API request exactly once per (partner, request id), through `RequestJournal`.
///
/// The request id is the legacy `Request-Id` header or the body's `request_id`. An identical JWS retry to the
/// same endpoint replays the stored answer, any other reuse answers `duplicate_request_id`. A business refusal
/// (`CardAPIFailure` with HTTP 200) is recorded too, so a retry gets the same refusal and `request/status`
/// reports `error` with its code. Nothing else is written when the operation fails.
struct CardAPIExecution: Sendable {
    let services: AppServices

    func run<Answer: Encodable & Sendable>(
        context: AppRequestContext, bodyRequestID: String?, api: RequestAPI = .card, kind: String,
        operation: @escaping @Sendable (any SQLExecutor, Partner) async throws -> CardAPIResult<Answer>
    ) async throws -> Response {
        let partner = try context.partner()
        let legacy = context.legacyRequestID
        guard let rawID = legacy ?? bodyRequestID, !rawID.isEmpty else {
            throw CardAPIFailure(.validationError, "field 'request_id' is required")
        }
        guard rawID.count <= 64 else { throw CardAPIFailure(.validationError, "field 'request_id' must be at most 64 characters") }
        let call = RequestJournal<CardAPIFailure>.Call(
            partnerID: partner.id, rawID: rawID, api: api, kind: kind, bodyHash: RequestRecord.bodyHash(context.rawBody),
            replayIdenticalRetry: legacy == nil)
        let answer = try await RequestJournal(services: services, rules: Self.rules).run(call, now: services.clock.now()) { db in
            let result = try await operation(db, partner)
            return .init(outcome: result.outcome) { status in Self.encode(result.answer, requestStatus: status) }
        }
        switch answer {
        case .answered(let json), .refused(let json): return Self.response(json)
        }
    }

    /// What the Card API decides in the journal: replay per endpoint, sandbox async state, refusals recorded
    /// in the Card API error envelope, up to three looks when concurrent twins collide.
    static let rules = RequestJournal<CardAPIFailure>.Rules(
        replayRequiresSameKind: true, reportsAsyncState: true, attempts: 3, lastCollisionIsDuplicate: false,
        duplicate: { rawID in CardAPIFailure(.duplicateRequestID, "request_id '\(rawID)' was already used by this partner") },
        refusal: { failure in
            guard failure.status == .ok, failure.code != .duplicateRequestID else { return nil }
            return .init(outcome: RequestOutcome(errorCode: failure.code.rawValue, errorDescription: failure.message)) { now in
                let envelope = CardAPIErrorResponse(code: failure.code, description: failure.message, dt: WireDate.rfc3339(now))
                return String(buffer: JSONBody.encode(envelope))
            }
        })

    /// Encodes the answer with the envelope fields every Card API answer carries.
    static func encode<Answer: Encodable>(_ answer: Answer, requestStatus: RequestStatus) -> String {
        let envelope = CardAPIStatusResponse(requestStatus: requestStatus, dt: WireDate.rfc3339(.now))
        // Flat answers (a debit's, a step's) skip the Encoder: this runs on the store's writer, inside the commit.
        if let flat = answer as? any FlatJSONEncodable,
           let bytes = SortedJSON.encodeFlat([envelope.flatJSONMembers, flat.flatJSONMembers]) {
            return String(decoding: bytes, as: UTF8.self)
        }
        let merged = MergedJSON(envelope: envelope, answer: answer)
        return String(buffer: JSONBody.encode(merged))
    }

    static func response(_ json: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(string: json)))
    }
}

/// Encodes the envelope's fields and the answer's fields side by side in one JSON object.
private struct MergedJSON<Answer: Encodable>: Encodable {
    let envelope: CardAPIStatusResponse
    let answer: Answer

    func encode(to encoder: any Encoder) throws {
        try envelope.encode(to: encoder)
        try answer.encode(to: encoder)
    }
}

/// An answer with no fields beyond the envelope (`status`, `request_status`, `dt`).
struct EmptyAnswer: Encodable, Sendable, FlatJSONEncodable {
    func encode(to encoder: any Encoder) throws {}

    var flatJSONMembers: [FlatJSONMember] { [] }
}

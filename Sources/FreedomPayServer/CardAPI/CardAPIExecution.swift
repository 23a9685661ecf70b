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

/// Runs a state-changing Card API request exactly once per (partner, request id).
///
/// In one store transaction: look up the request id; an identical JWS retry replays the stored answer,
/// any other reuse answers `duplicate_request_id`; a new id runs `operation` and records its outcome.
/// A business refusal (`CardAPIFailure` with HTTP 200) is recorded too, so a retry gets the same refusal
/// and `request/status` reports `error` with its code. Nothing else is written when the operation fails.
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
        let requestID = FreedomPayCore.RequestID(rawValue: rawID)
        let bodyHash = RequestRecord.bodyHash(context.rawBody)
        let now = services.clock.now()
        let delay = services.configuration.sandbox ? services.configuration.asyncCompletionDelaySeconds : 0

        for attempt in 0..<3 {
            do {
                let json = try await services.store.write { db -> String in
                    let existing = try await services.requests.find(partner: partner.id, requestID: requestID, in: db)
                    switch Idempotency.decide(existing: existing, bodyHash: bodyHash, replayIdenticalRetry: legacy == nil) {
                    // The same bytes sent to another endpoint are a different request, not a retry.
                    case .replay(let stored) where existing?.kind == kind: return stored
                    case .replay, .duplicate:
                        throw CardAPIFailure(.duplicateRequestID, "request_id '\(rawID)' was already used by this partner")
                    case .execute: break
                    }
                    let result = try await operation(db, partner)
                    let status: RequestStatus = delay > 0 ? .process : .success
                    let json = Self.encode(result.answer, requestStatus: status)
                    try await services.requests.insert(
                        RequestRecord(
                            partnerID: partner.id, requestID: requestID, api: api, kind: kind, bodyHash: bodyHash,
                            status: status, outcome: result.outcome, responseJSON: json,
                            completeAt: delay > 0 ? now.addingTimeInterval(TimeInterval(delay)) : nil, createdAt: now),
                        in: db)
                    return json
                }
                return Self.response(json)
            } catch let failure as CardAPIFailure where failure.status == .ok && failure.code != .duplicateRequestID {
                do {
                    return try await recordRefusal(failure, partner: partner, requestID: requestID, api: api, kind: kind, bodyHash: bodyHash)
                } catch StoreError.uniqueViolation where attempt < 2 {
                    // A concurrent twin (e.g. on another instance) recorded first and its work is why ours was
                    // refused: the next attempt replays its answer (or refuses a different body).
                    continue
                } catch StoreError.uniqueViolation {
                    throw CardAPIFailure(.duplicateRequestID, "request_id '\(rawID)' was already used by this partner")
                }
            } catch StoreError.uniqueViolation where attempt < 2 {
                continue  // a concurrent twin committed first: the next attempt replays or refuses it
            }
        }
        throw CardAPIFailure(.internalError, "request could not be completed")
    }

    /// Keeps a refused request so that its id stays used and `request/status` can report the refusal.
    private func recordRefusal(
        _ failure: CardAPIFailure, partner: Partner, requestID: FreedomPayCore.RequestID, api: RequestAPI, kind: String, bodyHash: String
    ) async throws -> Response {
        let now = services.clock.now()
        let envelope = CardAPIErrorResponse(code: failure.code, description: failure.message, dt: WireDate.rfc3339(now))
        let json = String(buffer: JSONBody.encode(envelope))
        let record = RequestRecord(
            partnerID: partner.id, requestID: requestID, api: api, kind: kind, bodyHash: bodyHash, status: .error,
            outcome: RequestOutcome(errorCode: failure.code.rawValue, errorDescription: failure.message),
            responseJSON: json, createdAt: now)
        // A unique violation here means a twin recorded first; the caller replays or refuses it.
        try await services.store.write { db in try await services.requests.insert(record, in: db) }
        return Self.response(json)
    }

    /// Encodes the answer with the envelope fields every Card API answer carries.
    static func encode<Answer: Encodable>(_ answer: Answer, requestStatus: RequestStatus) -> String {
        let envelope = CardAPIStatusResponse(requestStatus: requestStatus, dt: WireDate.rfc3339(.now))
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
struct EmptyAnswer: Encodable, Sendable {
    func encode(to encoder: any Encoder) throws {}
}

import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// What a state-changing Partner API operation produced: the record kept for request status, and the
/// answer's own fields (the envelope `status`, `request_status`, `dt` is added around them).
struct PartnerAPIResult<Answer: Encodable & Sendable>: Sendable {
    var outcome: RequestOutcome
    var answer: Answer
}

/// Runs a state-changing Products or E-Money request exactly once per (partner, request id).
///
/// The Partner API rejects any reuse of a `request_id` (E-Money 1002, applied to Products too, §1.4): unlike
/// the Card API there is no replay of identical retries. In one store transaction: a known id answers 1002;
/// a new id runs `operation` and records its outcome. A business refusal (`PartnerAPIFailure` with HTTP 200)
/// is recorded as well, so the id stays used and request status reports `error` with its code.
struct PartnerAPIExecution: Sendable {
    let services: AppServices

    func run<Answer: Encodable & Sendable>(
        context: AppRequestContext, bodyRequestID: String, api: RequestAPI, kind: String,
        operation: @escaping @Sendable (any SQLExecutor, Partner) async throws -> PartnerAPIResult<Answer>
    ) async throws -> Response {
        let partner = try context.partner()
        guard !bodyRequestID.isEmpty, bodyRequestID.count <= 64 else {
            throw PartnerAPIFailure(.invalidInput, "field 'request_id' must be 1 to 64 characters")
        }
        let requestID = FreedomPayCore.RequestID(rawValue: bodyRequestID)
        let bodyHash = RequestRecord.bodyHash(context.rawBody)
        let now = services.clock.now()
        let delay = services.configuration.sandbox ? services.configuration.asyncCompletionDelaySeconds : 0
        // A unique violation means a concurrent request committed first: its request id (the retry answers
        // 1002) or the object it created (the retry's own checks answer, e.g. 1003). One retry is enough.
        for attempt in 0..<2 {
            do {
                let json = try await services.store.write { db -> String in
                    let existing = try await services.requests.find(partner: partner.id, requestID: requestID, in: db)
                    guard Idempotency.decide(existing: existing, bodyHash: bodyHash, replayIdenticalRetry: false) == .execute else {
                        throw Self.duplicate(bodyRequestID)
                    }
                    let result = try await operation(db, partner)
                    let status: RequestStatus = delay > 0 ? .process : .success
                    let json = Self.encode(result.answer, requestStatus: Self.wireStatus(status, api: api), now: now)
                    try await services.requests.insert(
                        RequestRecord(
                            partnerID: partner.id, requestID: requestID, api: api, kind: kind, bodyHash: bodyHash,
                            status: status, outcome: result.outcome, responseJSON: json,
                            completeAt: delay > 0 ? now.addingTimeInterval(TimeInterval(delay)) : nil, createdAt: now),
                        in: db)
                    return json
                }
                return Self.response(json)
            } catch let failure as PartnerAPIFailure where failure.status == .ok && failure.code != .duplicateRequestID {
                return try await recordRefusal(failure, partner: partner, requestID: requestID, api: api, kind: kind, bodyHash: bodyHash)
            } catch StoreError.uniqueViolation where attempt == 0 {
                continue
            } catch StoreError.uniqueViolation {
                break
            }
        }
        throw Self.duplicate(bodyRequestID)
    }

    /// Keeps a refused request so that its id stays used and request status can report the refusal.
    private func recordRefusal(
        _ failure: PartnerAPIFailure, partner: Partner, requestID: FreedomPayCore.RequestID, api: RequestAPI, kind: String, bodyHash: String
    ) async throws -> Response {
        let now = services.clock.now()
        let envelope = PartnerAPIErrorResponse(
            code: failure.code, description: failure.message, dt: WireDate.rfc3339(now), codeAsString: api == .emoney)
        let json = String(buffer: JSONBody.encode(envelope))
        let record = RequestRecord(
            partnerID: partner.id, requestID: requestID, api: api, kind: kind, bodyHash: bodyHash, status: .error,
            outcome: RequestOutcome(errorCode: String(failure.code.rawValue), errorDescription: failure.message),
            responseJSON: json, createdAt: now)
        do {
            try await services.store.write { db in try await services.requests.insert(record, in: db) }
        } catch StoreError.uniqueViolation {
            throw Self.duplicate(requestID.rawValue)
        }
        var response = Self.response(json)
        response.headers[PartnerAPIResponseHeadersMiddleware.requestStatus] = "error"
        return response
    }

    static func duplicate(_ requestID: String) -> PartnerAPIFailure {
        PartnerAPIFailure(.duplicateRequestID, "Non-unique request identifier: request_id '\(requestID)' was already used")
    }

    /// Products answer words (`success|process|error`), E-Money digits (`0|1|2`).
    static func wireStatus(_ status: RequestStatus, api: RequestAPI) -> String {
        api == .emoney ? EMoneyRequestStatus(status).rawValue : status.rawValue
    }

    static func encode<Answer: Encodable>(_ answer: Answer, requestStatus: String?, now: Date) -> String {
        let envelope = PartnerAPIStatusEnvelope(requestStatus: requestStatus, dt: WireDate.rfc3339(now))
        return String(buffer: JSONBody.encode(PartnerMergedJSON(envelope: envelope, answer: answer)))
    }

    static func response(_ json: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(string: json)))
    }
}

/// The envelope's fields and the answer's fields side by side in one JSON object.
struct PartnerMergedJSON<Answer: Encodable>: Encodable {
    let envelope: PartnerAPIStatusEnvelope
    let answer: Answer

    func encode(to encoder: any Encoder) throws {
        try envelope.encode(to: encoder)
        try answer.encode(to: encoder)
    }
}

extension PartnerAPIFailure {
    /// A business refusal: HTTP 200 with the error envelope (recorded against the request id).
    static func refusal(_ code: PartnerAPIErrorCode, _ message: String) -> PartnerAPIFailure {
        PartnerAPIFailure(code, message, status: .ok)
    }
}

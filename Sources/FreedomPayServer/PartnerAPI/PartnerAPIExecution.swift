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

/// Runs a state-changing Products or E-Money request exactly once per (partner, request id), through
/// `RequestJournal`.
///
/// The Partner API rejects any reuse of a `request_id` (E-Money 1002, applied to Products too, §1.4): unlike
/// the Card API there is no replay of identical retries. A business refusal (`PartnerAPIFailure` with HTTP 200)
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
        let call = RequestJournal<PartnerAPIFailure>.Call(
            partnerID: partner.id, rawID: bodyRequestID, api: api, kind: kind, bodyHash: RequestRecord.bodyHash(context.rawBody),
            replayIdenticalRetry: false)
        let now = services.clock.now()
        let answer = try await RequestJournal(services: services, rules: Self.rules(api)).run(call, now: now) { db in
            let result = try await operation(db, partner)
            return .init(outcome: result.outcome) { status in
                Self.encode(result.answer, requestStatus: Self.wireStatus(status, api: api), now: now)
            }
        }
        switch answer {
        case .answered(let json):
            return Self.response(json)
        case .refused(let json):
            var response = Self.response(json)
            response.headers[PartnerAPIResponseHeadersMiddleware.requestStatus] = "error"
            return response
        }
    }

    /// What the Partner API decides in the journal: no replay, sandbox async state, refusals recorded in the
    /// Partner API error envelope (E-Money codes as strings), a second look when concurrent twins collide
    /// (the retry answers 1002, or the object the twin created makes its own checks answer, e.g. 1003).
    static func rules(_ api: RequestAPI) -> RequestJournal<PartnerAPIFailure>.Rules {
        .init(
            replayRequiresSameKind: false, reportsAsyncState: true, attempts: 2, lastCollisionIsDuplicate: true,
            duplicate: { rawID in Self.duplicate(rawID) },
            refusal: { failure in
                guard failure.status == .ok, failure.code != .duplicateRequestID else { return nil }
                let outcome = RequestOutcome(errorCode: String(failure.code.rawValue), errorDescription: failure.message)
                return .init(outcome: outcome) { now in
                    let envelope = PartnerAPIErrorResponse(
                        code: failure.code, description: failure.message, dt: WireDate.rfc3339(now), codeAsString: api == .emoney)
                    return String(buffer: JSONBody.encode(envelope))
                }
            })
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

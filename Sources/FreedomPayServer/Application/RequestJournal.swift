import Foundation
import FreedomPayCore
import FreedomPayWire

/// Exactly-once execution per (partner, request id), shared by every API that records requests.
///
/// In one store transaction: look up the request id; an identical retry (where the call allows replay) answers
/// the stored answer, any other reuse answers the API's duplicate failure; a new id runs the operation and
/// records its outcome for request status. A business refusal (`Rules.refusal`) is recorded in a second
/// transaction after the operation's work rolled back, so a retry gets the same refusal. A unique violation
/// means a concurrent twin recorded first; the next attempt replays its answer or refuses a different body.
/// What differs per API (failure type, envelope, refusals, async state, retries) lives in `Rules`;
/// extracting the request id stays with the API's adapter.
struct RequestJournal<Failure: Error>: Sendable {
    /// What one API family decides for itself.
    struct Rules: Sendable {
        /// Whether a replay also needs the same `kind` (the same bytes sent to another endpoint are not a retry).
        var replayRequiresSameKind: Bool
        /// Whether the sandbox's completion delay applies (`process` first, final after the delay).
        var reportsAsyncState: Bool
        /// How many transactions a request may take when concurrent twins collide (1: no second look).
        var attempts: Int
        /// Whether a collision in the operation's transaction on the last look answers `duplicate` (else the
        /// store's unique violation propagates as is: it may be on a business key, not on the request id).
        var lastCollisionIsDuplicate: Bool
        /// The answer to a reused request id, given the raw id.
        var duplicate: @Sendable (String) -> Failure
        /// The record of a business refusal, or nil when the failure just propagates and nothing is recorded.
        var refusal: @Sendable (Failure) -> Refusal?
    }

    /// A recorded refusal: its outcome and its answer rendered at the time it is recorded.
    struct Refusal: Sendable {
        var outcome: RequestOutcome
        var render: @Sendable (Date) -> String
    }

    /// What an operation produced: the outcome kept for request status and the answer for a given status.
    struct Entry: Sendable {
        var outcome: RequestOutcome
        var render: @Sendable (RequestStatus) -> String
    }

    /// One incoming request as the journal knows it.
    struct Call: Sendable {
        var partnerID: PartnerID
        var rawID: String
        var api: RequestAPI
        var kind: String
        var bodyHash: String
        /// True where an identical retry replays (Card API JWS), false where any reuse is refused.
        var replayIdenticalRetry: Bool

        var requestID: FreedomPayCore.RequestID { FreedomPayCore.RequestID(rawValue: rawID) }
    }

    /// The stored answer, and whether it is a recorded refusal (some APIs flag it in a header).
    enum Answer: Sendable, Equatable {
        case answered(String)
        case refused(String)
    }

    let services: AppServices
    let rules: Rules

    func run(_ call: Call, now: Date, operation: @escaping @Sendable (any SQLExecutor) async throws -> Entry) async throws -> Answer {
        for attempt in 1...max(rules.attempts, 1) {
            let last = attempt >= rules.attempts
            do {
                return .answered(try await executeOnce(call, now: now, operation: operation))
            } catch is ReusedRequestID {
                throw rules.duplicate(call.rawID)
            } catch let failure as Failure {
                guard let refusal = rules.refusal(failure) else { throw failure }
                do {
                    return .refused(try await record(refusal, call: call))
                } catch StoreError.uniqueViolation where !last {
                    // A concurrent twin recorded first and its work is why ours was refused: the next attempt
                    // replays its answer (or refuses a different body).
                    continue
                } catch StoreError.uniqueViolation {
                    break
                }
            } catch StoreError.uniqueViolation where !last || rules.lastCollisionIsDuplicate {
                // A concurrent twin committed first: the next look replays or refuses it.
                if last { break }
                continue
            }
        }
        throw rules.duplicate(call.rawID)
    }

    /// One transaction: decide on the request id, then run and record the operation.
    private func executeOnce(
        _ call: Call, now: Date, operation: @escaping @Sendable (any SQLExecutor) async throws -> Entry
    ) async throws -> String {
        let delay = rules.reportsAsyncState && services.configuration.sandbox ? services.configuration.asyncCompletionDelaySeconds : 0
        return try await services.store.write { db -> String in
            let existing = try await services.requests.find(partner: call.partnerID, requestID: call.requestID, in: db)
            switch Idempotency.decide(existing: existing, bodyHash: call.bodyHash, replayIdenticalRetry: call.replayIdenticalRetry) {
            case .replay(let stored) where !rules.replayRequiresSameKind || existing?.kind == call.kind: return stored
            case .replay, .duplicate: throw ReusedRequestID()
            case .execute: break
            }
            let entry = try await operation(db)
            let status: RequestStatus = delay > 0 ? .process : .success
            let json = entry.render(status)
            try await services.requests.insert(
                RequestRecord(
                    partnerID: call.partnerID, requestID: call.requestID, api: call.api, kind: call.kind, bodyHash: call.bodyHash,
                    status: status, outcome: entry.outcome, responseJSON: json,
                    completeAt: delay > 0 ? now.addingTimeInterval(TimeInterval(delay)) : nil, createdAt: now),
                in: db)
            return json
        }
    }

    /// Keeps a refused request so that its id stays used and request status can report the refusal.
    /// A unique violation here means a twin recorded first; `run` replays or refuses it.
    private func record(_ refusal: Refusal, call: Call) async throws -> String {
        let now = services.clock.now()
        let json = refusal.render(now)
        let record = RequestRecord(
            partnerID: call.partnerID, requestID: call.requestID, api: call.api, kind: call.kind, bodyHash: call.bodyHash,
            status: .error, outcome: refusal.outcome, responseJSON: json, createdAt: now)
        try await services.store.write { db in try await services.requests.insert(record, in: db) }
        return json
    }
}

/// Thrown inside the transaction when the request id was already used; `run` answers the API's failure.
private struct ReusedRequestID: Error {}

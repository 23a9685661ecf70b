import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// Exactly-once execution for gift-card calls. The request id is the legacy `Request-Id` header, or an
/// optional `request_id` body field under JWS ([inferred]: the gift bodies document none). Without
/// either, the call simply runs. Reuse of a legacy `Request-Id` answers `-1`; an identical JWS retry
/// replays the first answer.
struct GiftCardExecution: Sendable {
    let services: AppServices

    struct OptionalRequestID: Decodable {
        let requestID: String?
        enum CodingKeys: String, CodingKey { case requestID = "request_id" }
    }

    func run<Answer: Encodable & Sendable>(
        context: AppRequestContext, kind: String,
        operation: @escaping @Sendable (any SQLExecutor, Partner, Date) async throws -> Answer
    ) async throws -> Response {
        let partner = try context.partner()
        let legacy = context.legacyRequestID
        let bodyID = (try? JSONDecoder().decode(OptionalRequestID.self, from: Data(context.rawBody)))?.requestID
        let now = services.clock.now()
        do {
            guard let rawID = legacy ?? bodyID, !rawID.isEmpty else {
                return Self.response(try await services.store.write { db in Self.encode(try await operation(db, partner, now)) })
            }
            let call = RequestJournal<GiftCardFailure>.Call(
                partnerID: partner.id, rawID: rawID, api: .gift, kind: kind, bodyHash: RequestRecord.bodyHash(context.rawBody),
                replayIdenticalRetry: legacy == nil)
            let answer = try await RequestJournal(services: services, rules: Self.rules).run(call, now: now) { db in
                let json = Self.encode(try await operation(db, partner, now))
                return .init(outcome: RequestOutcome()) { _ in json }
            }
            switch answer {
            case .answered(let json), .refused(let json): return Self.response(json)
            }
        } catch let error as GiftCardError {
            throw GiftCardFailure(error)
        }
    }

    /// What gift cards decide in the journal: always final (`success`), refusals are answers or roll back
    /// (nothing recorded). Like the Card API, a request id replays only on the endpoint that first used it (the
    /// same bytes sent to another gift route are a reuse, never that route's stored answer), and a concurrent
    /// twin that loses the race looks again and replays the winner's answer.
    static let rules = RequestJournal<GiftCardFailure>.Rules(
        replayRequiresSameKind: true, reportsAsyncState: false, attempts: 3, lastCollisionIsDuplicate: true,
        duplicate: { rawID in GiftCardFailure(.generalError, "request id '\(rawID)' was already used by this partner") },
        refusal: { _ in nil })

    static func encode(_ answer: some Encodable) -> String {
        String(buffer: JSONBody.encode(answer))
    }

    static func response(_ json: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(string: json)))
    }
}

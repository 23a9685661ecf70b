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
        guard let rawID = legacy ?? bodyID, !rawID.isEmpty else {
            do {
                return Self.response(try await services.store.write { db in Self.encode(try await operation(db, partner, now)) })
            } catch let error as GiftCardError {
                throw GiftCardFailure(error)
            }
        }
        let requestID = FreedomPayCore.RequestID(rawValue: rawID)
        let bodyHash = RequestRecord.bodyHash(context.rawBody)
        do {
            let json = try await services.store.write { db -> String in
                let existing = try await services.requests.find(partner: partner.id, requestID: requestID, in: db)
                switch Idempotency.decide(existing: existing, bodyHash: bodyHash, replayIdenticalRetry: legacy == nil) {
                case .replay(let stored): return stored
                case .duplicate: throw GiftCardError(.generalError, "request id '\(rawID)' was already used by this partner")
                case .execute: break
                }
                let json = Self.encode(try await operation(db, partner, now))
                try await services.requests.insert(
                    RequestRecord(
                        partnerID: partner.id, requestID: requestID, api: .gift, kind: kind, bodyHash: bodyHash, status: .success,
                        responseJSON: json, createdAt: now),
                    in: db)
                return json
            }
            return Self.response(json)
        } catch let error as GiftCardError {
            throw GiftCardFailure(error)
        } catch StoreError.uniqueViolation {
            throw GiftCardFailure(.generalError, "request id '\(rawID)' was already used by this partner")
        }
    }

    static func encode(_ answer: some Encodable) -> String {
        String(buffer: JSONBody.encode(answer))
    }

    static func response(_ json: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(string: json)))
    }
}

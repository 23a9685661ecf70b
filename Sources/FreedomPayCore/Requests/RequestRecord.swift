import Crypto
import Foundation
import FreedomPayWire

/// What an asynchronous request produced, as `request/status` reports it.
public struct RequestOutcome: Codable, Sendable, Equatable {
    public var cards: [String]?
    public var clientID: String?
    public var transactionID: String?
    public var finDocumentID: String?
    public var errorCode: String?
    public var errorDescription: String?
    /// API-specific results (e.g. a wallet identifier) that a status answer may echo.
    public var extra: [String: String]?

    public init(
        cards: [String]? = nil, clientID: String? = nil, transactionID: String? = nil, finDocumentID: String? = nil,
        errorCode: String? = nil, errorDescription: String? = nil, extra: [String: String]? = nil
    ) {
        self.cards = cards
        self.clientID = clientID
        self.transactionID = transactionID
        self.finDocumentID = finDocumentID
        self.errorCode = errorCode
        self.errorDescription = errorDescription
        self.extra = extra
    }

    enum CodingKeys: String, CodingKey {
        case cards
        case clientID = "client_id"
        case transactionID = "transaction_id"
        case finDocumentID = "fin_document_id"
        case errorCode = "error_code"
        case errorDescription = "error_description"
        case extra
    }
}

extension RequestOutcome {
    /// The string members (`cards` and `extra` are not flat: `RequestRepository` encodes those outcomes in full).
    var flatJSONMembers: [FlatJSONMember] {
        [.init("client_id", clientID), .init("transaction_id", transactionID), .init("fin_document_id", finDocumentID),
         .init("error_code", errorCode), .init("error_description", errorDescription)]
    }
}

/// Which API family a request belongs to; request ids are unique per partner across all of them.
public enum RequestAPI: String, Sendable, Codable {
    case card
    case transaction
    case partnerProducts = "partner_products"
    case emoney
    case gift
}

/// The durable trace of one partner request: the basis of idempotency and of `request/status`.
public struct RequestRecord: Sendable, Equatable {
    public var partnerID: PartnerID
    public var requestID: RequestID
    public var api: RequestAPI
    public var kind: String
    public var bodyHash: String
    public var status: RequestStatus
    public var outcome: RequestOutcome
    /// The exact answer first given, replayed for a byte-identical retry.
    public var responseJSON: String?
    /// When a `process` request becomes final (sandbox delay); nil when already final.
    public var completeAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        partnerID: PartnerID, requestID: RequestID, api: RequestAPI, kind: String, bodyHash: String,
        status: RequestStatus, outcome: RequestOutcome = RequestOutcome(), responseJSON: String? = nil,
        completeAt: Date? = nil, createdAt: Date, updatedAt: Date? = nil
    ) {
        self.partnerID = partnerID
        self.requestID = requestID
        self.api = api
        self.kind = kind
        self.bodyHash = bodyHash
        self.status = status
        self.outcome = outcome
        self.responseJSON = responseJSON
        self.completeAt = completeAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }

    /// The status a reader sees at `now`: a `process` request whose completion time passed is final.
    public func observedStatus(at now: Date) -> RequestStatus {
        if status == .process, let completeAt, completeAt <= now { return outcome.errorCode == nil ? .success : .error }
        return status
    }

    public static func bodyHash(_ body: some Sequence<UInt8>) -> String {
        Hex.encode(SHA256.hash(data: Array(body)))
    }
}

/// What to do with an incoming request id (pure; the caller holds the transaction).
public enum IdempotencyDecision: Equatable, Sendable {
    /// Never seen: execute it.
    case execute
    /// Seen with the identical body and replay is allowed: answer the stored response, execute nothing.
    case replay(responseJSON: String)
    /// Seen before with another body, or the scheme forbids any reuse: refuse, execute nothing.
    case duplicate
}

public enum Idempotency {
    /// `replayIdenticalRetry` is true for the Card API JWS variant (retry returns the first answer) and false
    /// where the docs reject any reuse (legacy `Request-Id`, E-Money 1002).
    public static func decide(existing: RequestRecord?, bodyHash: String, replayIdenticalRetry: Bool) -> IdempotencyDecision {
        guard let existing else { return .execute }
        if replayIdenticalRetry, existing.bodyHash == bodyHash, let response = existing.responseJSON {
            return .replay(responseJSON: response)
        }
        return .duplicate
    }
}

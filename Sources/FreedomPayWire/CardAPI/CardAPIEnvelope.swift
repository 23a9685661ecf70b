import Foundation

/// Execution state of the operation behind a request (Card API §2.1, Partner Products §2.1).
public enum RequestStatus: String, Codable, Sendable, CaseIterable {
    case success
    case process
    case error
}

/// Our stable Card API error codes (card-api.md §5.1, [inferred]: the docs publish no table).
public enum CardAPIErrorCode: String, Codable, Sendable, CaseIterable {
    case invalidSignature = "invalid_signature"
    case unknownPartner = "unknown_partner"
    case uriMismatch = "uri_mismatch"
    case invalidRequest = "invalid_request"
    case validationError = "validation_error"
    case duplicateRequestID = "duplicate_request_id"
    case requestNotFound = "request_not_found"
    case clientNotFound = "client_not_found"
    case cardNotFound = "card_not_found"
    case transactionNotFound = "transaction_not_found"
    case invalidCardState = "invalid_card_state"
    case insufficientFunds = "insufficient_funds"
    case amountExceedsAllowed = "amount_exceeds_allowed"
    case limitExceeded = "limit_exceeded"
    case rateLimited = "rate_limited"
    case notFound = "not_found"
    case methodNotAllowed = "method_not_allowed"
    case internalError = "internal_error"
}

/// The error answer of every `/v5/card-api` route.
public struct CardAPIErrorResponse: Codable, Sendable, Equatable {
    public var status: String
    public var requestStatus: RequestStatus
    public var errorCode: CardAPIErrorCode
    public var errorDescription: String
    public var dt: String

    public init(code: CardAPIErrorCode, description: String, dt: String) {
        self.status = "error"
        self.requestStatus = .error
        self.errorCode = code
        self.errorDescription = description
        self.dt = dt
    }

    enum CodingKeys: String, CodingKey {
        case status
        case requestStatus = "request_status"
        case errorCode = "error_code"
        case errorDescription = "error_description"
        case dt
    }
}

/// The fields every Card API answer carries; endpoint answers add their own at the top level.
public struct CardAPIStatusResponse: Codable, Sendable, Equatable {
    public var status: String
    public var requestStatus: RequestStatus
    public var dt: String
    public var errorCode: String?
    public var errorDescription: String?

    public init(status: String = "ok", requestStatus: RequestStatus, dt: String, errorCode: String? = nil, errorDescription: String? = nil) {
        self.status = status
        self.requestStatus = requestStatus
        self.dt = dt
        self.errorCode = errorCode
        self.errorDescription = errorDescription
    }

    enum CodingKeys: String, CodingKey {
        case status
        case requestStatus = "request_status"
        case dt
        case errorCode = "error_code"
        case errorDescription = "error_description"
    }
}

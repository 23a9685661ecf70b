/// Partner API error codes (partner-api.md §5): E-Money's documented 1001–1008 plus 401 for signature failures.
public enum PartnerAPIErrorCode: Int, Codable, Sendable, CaseIterable {
    case unauthorized = 401
    case notFound = 404
    case rateLimited = 429
    case internalError = 500
    case invalidInput = 1001
    case duplicateRequestID = 1002
    case walletExists = 1003
    case walletNotFound = 1004
    case walletCloseFailed = 1005
    case requestNotFound = 1006
    case walletClosed = 1007
    case walletBlockFailed = 1008
}

/// The Partner API error answer. `error_code` is an integer (Products/Rates schemas); E-Money routes
/// render it as a string and `request_status` as the digit `"2"` (§2.6), which is why the encoder is told
/// which form to use.
public struct PartnerAPIErrorResponse: Encodable, Sendable {
    public var code: PartnerAPIErrorCode
    public var description: String
    public var dt: String
    public var codeAsString: Bool

    public init(code: PartnerAPIErrorCode, description: String, dt: String, codeAsString: Bool = false) {
        self.code = code
        self.description = description
        self.dt = dt
        self.codeAsString = codeAsString
    }

    enum CodingKeys: String, CodingKey {
        case status
        case requestStatus = "request_status"
        case errorCode = "error_code"
        case errorDescription = "error_description"
        case dt
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("error", forKey: .status)
        if codeAsString {
            try container.encode(EMoneyRequestStatus.error, forKey: .requestStatus)
            try container.encode(String(code.rawValue), forKey: .errorCode)
        } else {
            try container.encode(RequestStatus.error, forKey: .requestStatus)
            try container.encode(code.rawValue, forKey: .errorCode)
        }
        try container.encode(description, forKey: .errorDescription)
        try container.encode(dt, forKey: .dt)
    }
}

/// E-Money's request states (§2.6): digits, sent as strings (`"request_status":"0"` in the Block example).
public enum EMoneyRequestStatus: String, Codable, Sendable, CaseIterable {
    case success = "0"
    case process = "1"
    case error = "2"

    public init(_ status: RequestStatus) {
        switch status {
        case .success: self = .success
        case .process: self = .process
        case .error: self = .error
        }
    }
}

/// The fields every successful Partner API answer starts with. `request_status` is a word on Products
/// routes and a digit on E-Money routes; `nil` leaves it out (Rates).
public struct PartnerAPIStatusEnvelope: Encodable, Sendable {
    public var status: String
    public var requestStatus: String?
    public var dt: String

    public init(status: String = "ok", requestStatus: String?, dt: String) {
        self.status = status
        self.requestStatus = requestStatus
        self.dt = dt
    }

    enum CodingKeys: String, CodingKey {
        case status
        case requestStatus = "request_status"
        case dt
    }
}

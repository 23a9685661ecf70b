/// How callbacks reach the merchant (`pg_request_method`, merchant-api.md §1.2, §2.5).
public enum PGRequestMethod: String, Sendable, CaseIterable {
    case get = "GET"
    case post = "POST"
    /// One form field `pg_xml` holding the XML document.
    case xml = "XML"
}

/// How the buyer's browser is sent to the success/failure URL (`pg_success_url_method`, §2.5).
/// `AUTOGET`/`AUTOPOST` are accepted and treated like GET/POST [inferred].
public enum PGRedirectMethod: String, Sendable, CaseIterable {
    case get = "GET"
    case post = "POST"
    case autoGet = "AUTOGET"
    case autoPost = "AUTOPOST"

    public var usesPost: Bool { self == .post || self == .autoPost }
}

/// `pg_payment_status` of get_status3.php (§2.2).
public enum PGPaymentStatus: String, Sendable, CaseIterable {
    /// Created, the buyer has not submitted a card yet.
    case new
    /// Card submitted, waiting for 3-D Secure or the check request.
    case process
    case success
    case error
    /// Held payment cancelled, or payment reversed after the merchant rejected it.
    case revoked
    /// Fully refunded [inferred].
    case refunded
    /// `pg_lifetime` passed before payment.
    case incomplete
}

/// The merchant's answer to a Check or Result callback (§2.3).
public enum PGCallbackReplyStatus: String, Sendable {
    case ok
    case rejected
    case error
}

/// Merchant API error codes used by the purchase endpoints (§5), with the documented meaning.
public enum PGErrorCode: Int, Sendable {
    /// Legacy "missing or incorrect parameter" (§5.2): used for every request-field validation error [inferred].
    case invalidParameter = 200
    case incorrectSignature = 1100
    case cancelOfFailedPayment = 9013
    case nonUniqueOrderID = 9991
    case systemError = 9999
    case contactIssuer = 10001
    case threeDSecureFailed = 10004
    case insufficientFunds = 10009
    case unableToCancel = 10012
    case cardExpired = 10017
    case lifetimeExpired = 10018
    case refundExceedsPayment = 10020
    case wrongCardNumber = 10032
    case alreadyCancelled = 10033
    case clearingRequired = 10034
    case clearingOfFailedPayment = 10035
    case clearingAlreadyDone = 10036
    case repeatedOperation = 11013
    case alreadyRefunded = 11018
    case paymentNotFound = 11068
    /// Refund-API code (§5.3): the payment status does not allow a refund.
    case refundNotAllowed = 4003
    /// Refund-API code (§5.3): invalid refund amount (insufficient funds).
    case refundInsufficientBalance = 4006
    case contactMerchant = 10016
    /// Legacy "recurring profile expired" (§5.2).
    case recurringProfileExpired = 365
}

/// Wire models of the Purchase endpoints (merchant-api.md §3.1–§3.6), named after the docs.
/// Requests render to the ordered parameter list that is signed and form-encoded; answers are read
/// from the verified XML parameters.

/// `init_payment.php` request (§3.1). Amounts are the docs' decimal strings (`1500`, `10.5`).
public struct InitPaymentRequest: Sendable, Equatable {
    public var orderID: String?
    public var amount: String
    public var currency: String?
    public var description: String
    public var resultURL: String?
    public var successURL: String?
    public var failureURL: String?
    public var checkURL: String?
    public var requestMethod: PGRequestMethod?
    public var successURLMethod: PGRedirectMethod?
    public var failureURLMethod: PGRedirectMethod?
    public var autoClearing: Bool?
    public var lifetimeSeconds: Int?
    public var language: String?
    public var userID: String?
    public var userPhone: String?
    public var userEmail: String?
    public var testingMode: Bool?
    public var recurringStart: Bool?
    public var idempotencyKey: String?
    /// `pg_param1..3` and merchant fields without the `pg_` prefix, sent as given.
    public var extra: [PGParameter]

    public init(amount: String, description: String, orderID: String? = nil, currency: String? = nil, extra: [PGParameter] = []) {
        self.amount = amount
        self.description = description
        self.orderID = orderID
        self.currency = currency
        self.extra = extra
    }

    public var parameters: [PGParameter] {
        var out: [PGParameter] = []
        out.append("pg_order_id", orderID)
        out.append(PGParameter("pg_amount", amount))
        out.append("pg_currency", currency)
        out.append(PGParameter("pg_description", description))
        out.append("pg_result_url", resultURL)
        out.append("pg_success_url", successURL)
        out.append("pg_failure_url", failureURL)
        out.append("pg_check_url", checkURL)
        out.append("pg_request_method", requestMethod?.rawValue)
        out.append("pg_success_url_method", successURLMethod?.rawValue)
        out.append("pg_failure_url_method", failureURLMethod?.rawValue)
        out.append("pg_auto_clearing", autoClearing.map { $0 ? "1" : "0" })
        out.append("pg_lifetime", lifetimeSeconds.map(String.init))
        out.append("pg_language", language)
        out.append("pg_user_id", userID)
        out.append("pg_user_phone", userPhone)
        out.append("pg_user_contact_email", userEmail)
        out.append("pg_testing_mode", testingMode.map { $0 ? "1" : "0" })
        out.append("pg_recurring_start", recurringStart.map { $0 ? "1" : "0" })
        out.append("pg_idempotency_key", idempotencyKey)
        return out + extra
    }
}

/// `init_payment.php` answer: the payment id and the hosted payment page.
public struct InitPaymentResponse: Sendable, Equatable {
    public var paymentID: String
    public var redirectURL: String
    public var redirectURLType: String?

    public init(parameters: [PGParameter]) throws(PGWireError) {
        paymentID = try parameters.required("pg_payment_id")
        redirectURL = try parameters.required("pg_redirect_url")
        redirectURLType = parameters.value("pg_redirect_url_type")
    }
}

/// One refund listed by get_status3.php (`pg_refund_payments/pg_refund_payment`).
public struct RefundPaymentEntry: Sendable, Equatable {
    public var paymentID: String
    public var status: String
    /// Negative, like the docs (`-10`).
    public var amount: String
    public var paymentDate: String?
}

/// `get_status3.php` answer (§3.5), the fields a merchant relies on.
public struct PaymentStatusResponse: Sendable, Equatable {
    public var paymentID: String
    public var orderID: String?
    public var amount: String
    public var currency: String
    public var paymentStatus: String
    public var captured: Bool
    public var clearingAmount: String?
    public var refundAmount: String?
    public var canReject: Bool
    public var cardPan: String?
    public var failureCode: String?
    public var failureDescription: String?
    public var refunds: [RefundPaymentEntry]

    public init(parameters: [PGParameter]) throws(PGWireError) {
        paymentID = try parameters.required("pg_payment_id")
        orderID = parameters.value("pg_order_id")
        amount = try parameters.required("pg_amount")
        currency = try parameters.required("pg_currency")
        paymentStatus = try parameters.required("pg_payment_status")
        captured = parameters.value("pg_captured") == "1"
        clearingAmount = parameters.value("pg_clearing_amount")
        refundAmount = parameters.value("pg_refund_amount")
        canReject = parameters.value("pg_can_reject") == "1"
        cardPan = parameters.value("pg_card_pan")
        failureCode = parameters.value("pg_failure_code")
        failureDescription = parameters.value("pg_failure_description")
        refunds = (parameters.children("pg_refund_payments") ?? []).compactMap { entry in
            guard entry.name == "pg_refund_payment", case .nested(let fields) = entry.value else { return nil }
            return RefundPaymentEntry(
                paymentID: fields.value("pg_payment_id") ?? "", status: fields.value("pg_payment_status") ?? "",
                amount: fields.value("pg_amount") ?? "", paymentDate: fields.value("pg_payment_date"))
        }
    }
}

/// `do_capture.php` answer (§3.3).
public struct ClearingResponse: Sendable, Equatable {
    public var paymentID: String
    public var amount: String
    public var clearingAmount: String
    public var cleared: Bool

    public init(parameters: [PGParameter]) throws(PGWireError) {
        paymentID = try parameters.required("pg_payment_id")
        amount = try parameters.required("pg_amount")
        clearingAmount = try parameters.required("pg_clearing_amount")
        cleared = parameters.value("pg_clearing_status") == "1"
    }
}

/// `cancel.php` answer (§3.2).
public struct CancelPaymentResponse: Sendable, Equatable {
    public var paymentID: String
    public var revokeID: String
    public var revokeStatus: String

    public init(parameters: [PGParameter]) throws(PGWireError) {
        paymentID = try parameters.required("pg_payment_id")
        revokeID = try parameters.required("pg_payment_revoke_id")
        revokeStatus = try parameters.required("pg_revoke_status")
    }
}

/// `revoke.php` answer (§3.4).
public struct RefundPaymentResponse: Sendable, Equatable {
    public var paymentID: String
    public var refundID: String
    public var refundStatus: String

    public init(parameters: [PGParameter]) throws(PGWireError) {
        paymentID = try parameters.required("pg_payment_id")
        refundID = try parameters.required("pg_payment_refund_id")
        refundStatus = try parameters.required("pg_refund_status")
    }
}

/// A Merchant API answer lacks a field the docs make mandatory.
public enum PGWireError: Error, Equatable, Sendable {
    case missingField(String)
}

extension Array where Element == PGParameter {
    func required(_ name: String) throws(PGWireError) -> String {
        guard let value = value(name) else { throw .missingField(name) }
        return value
    }
}

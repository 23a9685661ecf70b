import FreedomPayWire

/// Purchase endpoints of the Merchant API (merchant-api.md §3.1–§3.5), signed with the payment secret.
extension MerchantAPIClient {
    /// `init_payment.php`: creates a payment; send the buyer to `redirectURL`.
    public func initPayment(_ request: InitPaymentRequest) async throws -> InitPaymentResponse {
        try InitPaymentResponse(parameters: await send(path: "/init_payment.php", parameters: request.parameters, secret: .payment))
    }

    /// `get_status3.php` by payment id (payments and their operations).
    public func paymentStatus(paymentID: String) async throws -> PaymentStatusResponse {
        try PaymentStatusResponse(parameters: await send(
            path: "/get_status3.php", parameters: [PGParameter("pg_payment_id", paymentID)], secret: .payment))
    }

    /// `get_status3.php` by order id: the last payment created with it.
    public func paymentStatus(orderID: String) async throws -> PaymentStatusResponse {
        try PaymentStatusResponse(parameters: await send(
            path: "/get_status3.php", parameters: [PGParameter("pg_order_id", orderID)], secret: .payment))
    }

    /// `do_capture.php`: clears a held payment, fully (nil) or partly.
    public func capture(paymentID: String, amount: String? = nil) async throws -> ClearingResponse {
        var parameters = [PGParameter("pg_payment_id", paymentID)]
        parameters.append("pg_clearing_amount", amount)
        return try ClearingResponse(parameters: await send(path: "/do_capture.php", parameters: parameters, secret: .payment))
    }

    /// `cancel.php`: releases a held payment.
    public func cancel(paymentID: String) async throws -> CancelPaymentResponse {
        try CancelPaymentResponse(parameters: await send(
            path: "/cancel.php", parameters: [PGParameter("pg_payment_id", paymentID)], secret: .payment))
    }

    /// `revoke.php`: refunds a cleared payment, fully (nil) or partly.
    public func refund(paymentID: String, amount: String? = nil) async throws -> RefundPaymentResponse {
        var parameters = [PGParameter("pg_payment_id", paymentID)]
        parameters.append("pg_refund_amount", amount)
        return try RefundPaymentResponse(parameters: await send(path: "/revoke.php", parameters: parameters, secret: .payment))
    }
}

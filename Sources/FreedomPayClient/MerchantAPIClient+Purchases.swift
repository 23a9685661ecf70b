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

/// Saved cards and recurring payments (merchant-api.md §3.6–§3.12).
extension MerchantAPIClient {
    /// `cardstorage/add`: starts saving a card for `userID`; send the buyer to `redirectURL`.
    public func addCard(userID: String, postLink: String, backLink: String, orderID: String? = nil) async throws -> CardStorageAddResponse {
        try await addStoredCard(.purchase, userID: userID, postLink: postLink, backLink: backLink, orderID: orderID)
    }

    /// `cardstorage/list`: the user's saved cards.
    public func listCards(userID: String) async throws -> [StoredCard] {
        try await listStoredCards(.purchase, userID: userID)
    }

    /// `cardstorage/remove`: deletes a saved card; returns `deleted_at`.
    public func removeCard(userID: String, cardToken: String) async throws -> String? {
        try await removeStoredCard(.purchase, userID: userID, cardToken: cardToken)
    }

    /// `card/init`: a payment with a saved card; returns `pg_payment_id` for `card/pay` or `card/direct`.
    public func cardInit(_ request: InitPaymentRequest, userID: String, cardToken: String) async throws -> String {
        var payment = request
        payment.userID = userID
        let parameters = [merchantField] + payment.parameters + [PGParameter("pg_card_token", cardToken)]
        let answer = try await send(path: cardPath + "/card/init", parameters: parameters, secret: .payment)
        guard let id = answer.value("pg_payment_id") else { throw PGWireError.missingField("pg_payment_id") }
        return id
    }

    /// `card/direct`: charges the saved card without CVC.
    public func cardDirect(paymentID: String) async throws -> CardDirectResponse {
        try CardDirectResponse(parameters: await send(
            path: cardPath + "/card/direct", parameters: [merchantField, PGParameter("pg_payment_id", paymentID)], secret: .payment))
    }

    /// `make_recurring_payment.php`: charges the card of a recurring profile.
    public func makeRecurringPayment(profile: String, amount: String, description: String, orderID: String? = nil) async throws -> RecurringPaymentResponse {
        var parameters = [PGParameter("pg_recurring_profile", profile), PGParameter("pg_amount", amount), PGParameter("pg_description", description)]
        parameters.append("pg_order_id", orderID)
        return try RecurringPaymentResponse(parameters: await send(path: "/make_recurring_payment.php", parameters: parameters, secret: .payment))
    }
}

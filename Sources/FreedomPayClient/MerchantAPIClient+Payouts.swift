import FreedomPayWire

/// Payout endpoints of the Merchant API (merchant-api.md §3.13–§3.20), signed with the payout secret.
extension MerchantAPIClient {
    /// `cardstoragepayout/add`: starts saving a card that will receive payouts; send the recipient to `redirectURL`.
    public func addPayoutCard(userID: String, postLink: String, backLink: String, orderID: String? = nil) async throws -> CardStorageAddResponse {
        try await addStoredCard(.payout, userID: userID, postLink: postLink, backLink: backLink, orderID: orderID)
    }

    /// `cardstoragepayout/list`: the user's payout cards.
    public func listPayoutCards(userID: String) async throws -> [StoredCard] {
        try await listStoredCards(.payout, userID: userID)
    }

    /// `cardstoragepayout/remove`: deletes a payout card; returns `deleted_at`.
    public func removePayoutCard(userID: String, cardToken: String) async throws -> String? {
        try await removeStoredCard(.payout, userID: userID, cardToken: cardToken)
    }

    /// `/api/reg2reg`: pays out to a saved payout card. A refused payout throws `merchantAPI(code:description:)`.
    public func reg2reg(_ request: Reg2RegRequest) async throws -> PayoutResponse {
        try PayoutResponse(parameters: await send(path: "/api/reg2reg", parameters: request.parameters, secret: .payout))
    }

    /// `/api/reg2nonreg`: a payout to a card the recipient enters at `redirectURL`.
    public func reg2nonreg(_ request: Reg2NonRegRequest) async throws -> Reg2NonRegResponse {
        try Reg2NonRegResponse(parameters: await send(path: "/api/reg2nonreg", parameters: request.parameters, secret: .payout))
    }

    /// `/api/balance_status`: the payout balance.
    public func balanceStatus(currency: String = "KZT") async throws -> BalanceStatusResponse {
        try BalanceStatusResponse(parameters: await send(
            path: "/api/balance_status", parameters: [PGParameter("pg_currency", currency)], secret: .payout))
    }

    /// `/api/payment_status2`: a payout by order id (and optionally payment id).
    public func payoutStatus(orderID: String, paymentID: String? = nil) async throws -> PayoutStatusResponse {
        var parameters = [PGParameter("pg_order_id", orderID)]
        parameters.append("pg_payment_id", paymentID)
        return try PayoutStatusResponse(parameters: await send(path: "/api/payment_status2", parameters: parameters, secret: .payout))
    }

    /// `/api/payment_status` (v1): a payout by payment id.
    public func payoutStatusV1(paymentID: String) async throws -> PayoutStatusResponse {
        try PayoutStatusResponse(parameters: await send(
            path: "/api/payment_status", parameters: [PGParameter("pg_payment_id", paymentID)], secret: .payout))
    }

    /// `get_status2.php` (deprecated): a payout by order id.
    public func payoutStatus(byOrder orderID: String) async throws -> OrderStatusResponse {
        try OrderStatusResponse(parameters: await send(
            path: "/get_status2.php", parameters: [PGParameter("pg_order_id", orderID)], secret: .payout))
    }

    /// Sandbox only: credits the merchant's payout balance; returns the new balance.
    public func sandboxFund(amount: String, currency: String = "KZT") async throws -> BalanceStatusResponse {
        try BalanceStatusResponse(parameters: await send(
            path: "/api/sandbox/fund", parameters: [PGParameter("pg_amount", amount), PGParameter("pg_currency", currency)], secret: .payout))
    }
}

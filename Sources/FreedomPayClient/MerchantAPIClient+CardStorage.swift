import FreedomPayWire

/// Saved cards (merchant-api.md §3.6–§3.8 for purchases, §3.13–§3.14 for payouts): one implementation for both
/// stores, which differ only in path segment and secret (as the server's `CardStorageEndpoints.Kind`).
extension MerchantAPIClient {
    struct CardStorageKind: Sendable {
        /// Path segment: `/v1/merchant/{id}/<segment>/add`.
        let segment: String
        let secret: SecretKind

        static let purchase = CardStorageKind(segment: "cardstorage", secret: .payment)
        static let payout = CardStorageKind(segment: "cardstoragepayout", secret: .payout)
    }

    var cardPath: String { "/v1/merchant/\(merchantID)" }
    var merchantField: PGParameter { PGParameter("pg_merchant_id", merchantID) }

    /// `<segment>/add`: starts saving a card for `userID`; send the card holder to `redirectURL`.
    func addStoredCard(_ kind: CardStorageKind, userID: String, postLink: String, backLink: String, orderID: String?) async throws -> CardStorageAddResponse {
        var parameters = [merchantField, PGParameter("pg_user_id", userID), PGParameter("pg_post_link", postLink), PGParameter("pg_back_link", backLink)]
        parameters.append("pg_order_id", orderID)
        return try CardStorageAddResponse(parameters: await send(path: "\(cardPath)/\(kind.segment)/add", parameters: parameters, secret: kind.secret))
    }

    /// `<segment>/list`: the user's saved cards.
    func listStoredCards(_ kind: CardStorageKind, userID: String) async throws -> [StoredCard] {
        try StoredCard.list(await send(
            path: "\(cardPath)/\(kind.segment)/list", parameters: [merchantField, PGParameter("pg_user_id", userID)], secret: kind.secret))
    }

    /// `<segment>/remove`: deletes a saved card; returns `deleted_at`.
    func removeStoredCard(_ kind: CardStorageKind, userID: String, cardToken: String) async throws -> String? {
        try await send(path: "\(cardPath)/\(kind.segment)/remove", parameters: [
            merchantField, PGParameter("pg_user_id", userID), PGParameter("pg_card_token", cardToken),
        ], secret: kind.secret).value("deleted_at")
    }
}

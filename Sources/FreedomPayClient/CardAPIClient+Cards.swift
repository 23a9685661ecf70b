import Foundation
import FreedomPayWire

/// Typed Payment Cards methods (card-api.md §3.2–§3.14, §3.20). State-changing calls take a `requestID`
/// (a fresh UUID by default); with legacy signing it is also sent as the `Request-Id` header.
extension CardAPIClient {
    public static func newRequestID() -> String { UUID().uuidString.lowercased() }

    // MARK: Clients

    public func addClient(_ request: ClientAddRequest) async throws -> ClientAddResponse {
        try await send("/v5/card-api/client/add", request, as: ClientAddResponse.self, requestID: request.requestID)
    }

    public func updateClient(_ request: ClientUpdateRequest) async throws -> CardAPIStatusResponse {
        try await send("/v5/card-api/client/update", request, as: CardAPIStatusResponse.self, requestID: request.requestID)
    }

    public func linkCard(clientID: String, cardID: String, requestID: String = newRequestID()) async throws -> CardAPIStatusResponse {
        try await send("/v5/card-api/card/link", CardLinkRequest(requestID: requestID, clientID: clientID, cardID: cardID),
                       as: CardAPIStatusResponse.self, requestID: requestID)
    }

    public func clientCards(clientID: String, page: Int? = nil, perPage: Int? = nil) async throws -> ClientCardsResponse {
        try await send("/v5/card-api/client/cards", ClientCardsRequest(clientID: clientID, page: page, perPage: perPage), as: ClientCardsResponse.self)
    }

    public func validateCardholder(_ request: CardholderValidateRequest) async throws -> CardholderValidateResponse {
        try await send("/v5/card-api/external/cardholder_validate", request, as: CardholderValidateResponse.self, requestID: request.requestID)
    }

    // MARK: Issuing

    public func issueCard(_ request: IssueCardRequest) async throws -> CardAPIStatusResponse {
        try await send("/v5/card-api/card/issue", request, as: CardAPIStatusResponse.self, requestID: request.requestID)
    }

    public func bulkIssueCards(_ request: BulkIssueRequest) async throws -> CardAPIStatusResponse {
        try await send("/v5/card-api/card/bulk_issue", request, as: CardAPIStatusResponse.self, requestID: request.requestID)
    }

    public func issuePlasticCard(_ request: IssuePlasticCardRequest) async throws -> CardAPIStatusResponse {
        try await send("/v5/card-api/card/issue_plastic", request, as: CardAPIStatusResponse.self, requestID: request.requestID)
    }

    // MARK: Lifecycle

    public func activateCard(cardID: String, requestID: String = newRequestID()) async throws -> CardAPIStatusResponse {
        try await cardAction("card/activate", CardActionRequest(requestID: requestID, cardID: cardID))
    }

    public func blockCard(cardID: String, description: String, requestID: String = newRequestID()) async throws -> CardAPIStatusResponse {
        try await cardAction("card/block", CardActionRequest(requestID: requestID, cardID: cardID, description: description))
    }

    public func unblockCard(cardID: String, description: String, requestID: String = newRequestID()) async throws -> CardAPIStatusResponse {
        try await cardAction("card/unblock", CardActionRequest(requestID: requestID, cardID: cardID, description: description))
    }

    /// Irreversible.
    public func closeCard(cardID: String, description: String, requestID: String = newRequestID()) async throws -> CardAPIStatusResponse {
        try await cardAction("card/close", CardActionRequest(requestID: requestID, cardID: cardID, description: description))
    }

    public func resetPINCounter(cardID: String, requestID: String = newRequestID()) async throws -> CardAPIStatusResponse {
        try await cardAction("card/reset_counter_pin", CardActionRequest(requestID: requestID, cardID: cardID))
    }

    /// Encrypts `pin` with this partner's card-data key (`CardDataCipher`) before sending; nil lets the
    /// processor choose the PIN. `requestID` is optional for this call (the documented body has none).
    public func setPIN(cardID: String, pin: String?, requestID: String? = nil) async throws -> CardAPIStatusResponse {
        let sealed = try pin.map { try cardDataCipher.seal($0) }
        return try await send("/v5/card-api/card/set_pin", SetPINRequest(cardID: cardID, pin: sealed, requestID: requestID),
                              as: CardAPIStatusResponse.self, requestID: requestID)
    }

    private func cardAction(_ path: String, _ body: CardActionRequest) async throws -> CardAPIStatusResponse {
        try await send("/v5/card-api/" + path, body, as: CardAPIStatusResponse.self, requestID: body.requestID)
    }

    // MARK: Reading

    public func cardInfo(cardID: String) async throws -> CardInfoResponse {
        try await send("/v5/card-api/card/info", CardRequest(cardID: cardID), as: CardInfoResponse.self)
    }

    public func cardBalance(cardID: String) async throws -> CardBalanceResponse {
        try await send("/v5/card-api/card/balance", CardRequest(cardID: cardID), as: CardBalanceResponse.self)
    }

    /// `card/secret`, decrypted with this partner's card-data key.
    public func cardSecret(cardID: String) async throws -> CardSecretPlain {
        let sealed = try await send("/v5/card-api/card/secret", CardRequest(cardID: cardID), as: CardSecretResponse.self)
        let cipher = cardDataCipher
        return CardSecretPlain(pan: try cipher.open(sealed.pan), expiry: try cipher.open(sealed.expiry), cvv: try cipher.open(sealed.cvv))
    }

    /// `card/secret_v2`: `data` is RSA-OAEP-SHA256 under `publicKeyPEM`; decrypt it with the matching private key.
    public func cardSecretV2(cardID: String, publicKeyPEM: String) async throws -> CardSecretV2Response {
        try await send("/v5/card-api/card/secret_v2", CardSecretV2Request(cardID: cardID, publicKey: publicKeyPEM), as: CardSecretV2Response.self)
    }

    // MARK: Limits, dictionaries

    public func setLimits(_ request: SetLimitsRequest) async throws -> CardAPIStatusResponse {
        try await send("/v5/card-api/limits/set", request, as: CardAPIStatusResponse.self, requestID: request.requestID)
    }

    public func listLimits(object: LimitObject, requestID: String = newRequestID()) async throws -> ListLimitsResponse {
        try await send("/v5/card-api/limits/list", ListLimitsRequest(requestID: requestID, object: object), as: ListLimitsResponse.self, requestID: requestID)
    }

    public func dictionaries() async throws -> DictionariesResponse {
        try await send("/v5/card-api/dictionaries", EmptyBody(), as: DictionariesResponse.self)
    }

    /// The AES-256-GCM key shared with the server for PINs and `card/secret` values.
    public var cardDataCipher: CardDataCipher { CardDataCipher(partnerSecret: secret, authID: authID) }
}


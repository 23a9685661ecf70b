import FreedomPayWire

/// The request body and the success answer of one route, as JSON Schema. JSON APIs take both from the shared
/// wire models through `WireSchema` (so a field added to a model appears here by itself); the Merchant API's
/// pg_* forms and XML answers are listed in `OpenAPIBodies+Merchant.swift`.
struct OpenAPIBody {
    /// `nil`: the route reads no body.
    var request: [String: Any]?
    /// The success answer (200); refusals in the API's envelope are added by `OpenAPIDocument`.
    var response: [String: Any]
    var requestType = "application/json"
    var responseType = "application/json"
}

enum OpenAPIBodies {
    static func body(for route: APIRoute) -> OpenAPIBody? {
        switch route.api {
        case .cardAPI: return cardAPI[String(route.path.dropFirst("/v5/card-api/".count))]
        case .giftCards: return giftCards[String(route.path.dropFirst("/v5/cards/".count))]
        case .sandbox: return sandbox[String(route.path.dropFirst("/v5/card-api/sandbox/".count))]
        case .partnerAPI: return partnerAPI[String(route.path.dropFirst("/v5/partner/".count))]
        case .merchantAPI: return merchant(route)
        case .service, .page: return nil
        }
    }

    // MARK: Schema helpers

    /// An answer as the server writes it: no field beyond the model's (`additionalProperties: false`, recursively).
    static func closed(_ schema: [String: Any]) -> [String: Any] {
        var schema = schema
        if let properties = schema["properties"] as? [String: [String: Any]] {
            schema["properties"] = properties.mapValues(closed)
            if schema["additionalProperties"] == nil { schema["additionalProperties"] = false }
        }
        if let items = schema["items"] as? [String: Any] { schema["items"] = closed(items) }
        return schema
    }

    /// Two object schemas side by side in one object (envelope fields + answer fields).
    static func merged(_ first: [String: Any], _ second: [String: Any]) -> [String: Any] {
        let firstProperties = first["properties"] as? [String: Any] ?? [:]
        let secondProperties = second["properties"] as? [String: Any] ?? [:]
        let required = (first["required"] as? [String] ?? []) + (second["required"] as? [String] ?? [])
        var schema: [String: Any] = ["type": "object", "properties": firstProperties.merging(secondProperties) { old, _ in old }]
        if !required.isEmpty { schema["required"] = unique(required) }
        return schema
    }

    static func object(_ properties: [String: [String: Any]], required: [String] = []) -> [String: Any] {
        var schema: [String: Any] = ["type": "object", "properties": properties]
        if !required.isEmpty { schema["required"] = required }
        return schema
    }

    static var string: [String: Any] { ["type": "string"] }
    static var anyObject: [String: Any] { ["type": "object"] }

    static func json<Request: Decodable, Answer: Decodable>(_ request: Request.Type, _ answer: Answer.Type) -> OpenAPIBody {
        OpenAPIBody(request: WireSchema.of(request), response: WireSchema.of(answer))
    }

    // MARK: Card API

    /// `status`, `request_status`, `dt` (+ error fields on a recorded refusal) around every state-change answer.
    static var cardEnvelope: [String: Any] { WireSchema.of(CardAPIStatusResponse.self) }

    static func cardChange<Request: Decodable>(_ request: Request.Type, _ answer: [String: Any]? = nil) -> OpenAPIBody {
        OpenAPIBody(request: WireSchema.of(request), response: answer.map { merged(cardEnvelope, $0) } ?? cardEnvelope)
    }

    static var cardAPI: [String: OpenAPIBody] { [
        "request/status": json(RequestStatusRequest.self, RequestStatusResponse.self),
        "transaction/status": json(RequestStatusRequest.self, RequestStatusResponse.self),
        "dictionaries": OpenAPIBody(request: anyObject, response: WireSchema.of(DictionariesResponse.self)),
        "client/add": cardChange(ClientAddRequest.self, object(["client_id": string], required: ["client_id"])),
        "client/update": cardChange(ClientUpdateRequest.self),
        "client/cards": json(ClientCardsRequest.self, ClientCardsResponse.self),
        "card/link": cardChange(CardLinkRequest.self),
        "external/cardholder_validate": json(CardholderValidateRequest.self, CardholderValidateResponse.self),
        "card/issue": cardChange(IssueCardRequest.self),
        "card/bulk_issue": cardChange(BulkIssueRequest.self),
        "card/issue_plastic": cardChange(IssuePlasticCardRequest.self),
        "card/info": json(CardRequest.self, CardInfoResponse.self),
        "card/balance": json(CardRequest.self, CardBalanceResponse.self),
        "card/secret": json(CardRequest.self, CardSecretResponse.self),
        "card/secret_v2": json(CardSecretV2Request.self, CardSecretV2Response.self),
        "card/activate": cardChange(CardActionRequest.self),
        "card/block": cardChange(CardActionRequest.self),
        "card/unblock": cardChange(CardActionRequest.self),
        "card/close": cardChange(CardActionRequest.self),
        "card/set_pin": cardChange(SetPINRequest.self),
        "card/reset_counter_pin": cardChange(CardActionRequest.self),
        "card/statement": json(CardStatementRequest.self, CardStatementResponse.self),
        "card/statement_extended": json(CardStatementRequest.self, CardStatementExtendedResponse.self),
        "limits/set": cardChange(SetLimitsRequest.self),
        "limits/list": json(ListLimitsRequest.self, ListLimitsResponse.self),
        "transaction/create": cardChange(CreateTransactionRequest.self, WireSchema.of(CreateTransactionAnswer.self)),
        "transaction/clearing": cardChange(TransactionStepRequest.self),
        "transaction/refund": cardChange(TransactionStepRequest.self),
        "transaction/cancel": cardChange(TransactionStepRequest.self),
        "transaction/info": json(TransactionInfoRequest.self, TransactionInfoResponse.self),
    ] }

    /// Gift-card state changes take an optional `request_id` (body or `Request-Id` header) for exactly-once.
    static func gift<Request: Decodable, Answer: Decodable>(_ request: Request.Type, _ answer: Answer.Type) -> OpenAPIBody {
        OpenAPIBody(request: merged(WireSchema.of(request), object(["request_id": string])), response: WireSchema.of(answer))
    }

    static var giftCards: [String: OpenAPIBody] { [
        "product_list": OpenAPIBody(request: anyObject, response: WireSchema.of(GiftProductListResponse.self)),
        "issue_card": gift(IssueGiftCardRequest.self, IssueGiftCardResponse.self),
        "activate_card": gift(ConfirmGiftCardRequest.self, GiftCardStateResponse.self),
        "resend_code": gift(GiftCardIDRequest.self, GiftAcknowledgement.self),
        "resend": gift(GiftCardIDRequest.self, GiftAcknowledgement.self),
        "card_status": json(GiftCardIDRequest.self, GiftCardStateResponse.self),
    ] }

    static var sandbox: [String: OpenAPIBody] { [
        "fund": json(SandboxRoutes.FundRequest.self, SandboxRoutes.FundAnswer.self),
        "sms": OpenAPIBody(request: WireSchema.of(SandboxRoutes.InboxRequest.self), response: object([
            "messages": ["type": "array", "items": object(["phone": string, "text": string, "datetime": string], required: ["phone", "text", "datetime"])],
        ], required: ["messages"])),
        "clock": json(SandboxRoutes.ClockRequest.self, SandboxRoutes.ClockAnswer.self),
        "reset": OpenAPIBody(request: WireSchema.of(SandboxRoutes.ResetRequest.self), response: object([
            "status": string, "removed": ["type": "object", "additionalProperties": ["type": "integer"], "description": "rows removed per table"],
        ], required: ["status", "removed"])),
        "inject": OpenAPIBody(request: WireSchema.of(SandboxRoutes.InjectRequest.self),
                              response: object(["rules": ["type": "array", "items": string]], required: ["rules"])),
    ] }

    // MARK: Partner API

    /// `PartnerAPIStatusEnvelope`: `request_status` a word on Products routes, a digit on E-Money routes.
    static func partnerEnvelope(_ requestStatus: [String: Any]?) -> [String: Any] {
        var properties: [String: [String: Any]] = ["status": ["const": "ok"], "dt": string]
        if let requestStatus { properties["request_status"] = requestStatus }
        return object(properties, required: Array(properties.keys).sorted())
    }

    static func products<Request: Decodable>(_ request: Request.Type) -> OpenAPIBody {
        let word = WireSchema.of(RequestStatus.self)
        return OpenAPIBody(request: WireSchema.of(request), response: merged(partnerEnvelope(word), WireSchema.of(ProductsResponse.self)))
    }

    static func wallet<Request: Decodable>(_ request: Request.Type) -> OpenAPIBody {
        let digit = WireSchema.of(EMoneyRequestStatus.self)
        return OpenAPIBody(request: WireSchema.of(request), response: merged(partnerEnvelope(digit), WireSchema.of(EMoneyResponse.self)))
    }

    static var partnerAPI: [String: OpenAPIBody] { [
        "rates/add": OpenAPIBody(request: WireSchema.of(AddRatesRequest.self), response: WireSchema.of(PartnerAck.self)),
        "rates/get": json(RatesQuery.self, RateGetResponse.self),
        "rates/list": json(RatesQuery.self, RatesListResponse.self),
        "dictionaries": json(PartnerDictionariesRequest.self, PartnerDictionariesResponse.self),
        "client/add": products(AddClientRequest.self),
        "client/user/add": products(AddClientUserRequest.self),
        "client/product/add": products(AddClientProductRequest.self),
        "client/user/grant": products(GrantUserRequest.self),
        "client/user/send_auth": products(SendAuthDataRequest.self),
        "request/status": json(PartnerRequestStatusRequest.self, ProductsResponse.self),
        "client/request/status": json(PartnerRequestStatusRequest.self, ProductsResponse.self),
        "wallet/add": wallet(WalletAddRequest.self),
        "wallet/identification": wallet(WalletIdentificationRequest.self),
        "wallet/info": json(WalletLookupRequest.self, EMoneyResponse.self),
        "wallet/block": wallet(WalletStateChangeRequest.self),
        "wallet/close": wallet(WalletStateChangeRequest.self),
        "wallet/balance": json(WalletLookupRequest.self, EMoneyResponse.self),
        "wallet/statement": json(WalletStatementRequest.self, EMoneyResponse.self),
        "wallet/request/status": json(PartnerRequestStatusRequest.self, EMoneyResponse.self),
        "wallet/topup": wallet(WalletMoneyRequest.self),
        "wallet/withdraw": wallet(WalletMoneyRequest.self),
        "wallet/transfer": wallet(WalletMoneyRequest.self),
    ] }
}

/// Order-keeping de-duplication of `required` lists.
private func unique(_ names: [String]) -> [String] {
    var seen = Set<String>()
    return names.filter { seen.insert($0).inserted }
}

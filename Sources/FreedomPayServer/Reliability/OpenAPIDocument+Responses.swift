import Foundation

/// Responses, error envelopes and security schemes of the OpenAPI document.
extension OpenAPIDocument {
    /// The success answer (or, with HTTP 200 like the docs, a validation/business refusal in the API's envelope),
    /// then the envelope for every other status the API answers.
    static func responses(_ route: APIRoute, _ body: OpenAPIBody) -> [String: Any] {
        let envelope: String
        let codes: [(Int, String)]
        switch route.api {
        case .cardAPI, .sandbox:
            envelope = "CardAPIError"
            codes = [(400, "body is not a JSON object"), (401, "signature refused"), (405, "method other than POST"),
                     (413, "body too large"), (429, "rate limit of the credential exceeded"), (503, "too many requests in flight")]
        case .giftCards:
            envelope = "GiftCardError"
            codes = [(400, "body is not a JSON object"), (401, "signature refused"), (405, "method other than POST"),
                     (413, "body too large"), (429, "rate limit of the credential exceeded"), (503, "too many requests in flight")]
        case .partnerAPI, .service, .page:
            envelope = route.stringErrorCode ? "EMoneyError" : "PartnerAPIError"
            codes = [(401, "signature refused"), (405, "method other than POST"), (413, "body too large"),
                     (422, "body is not a JSON object"), (429, "rate limit of the credential exceeded"), (503, "too many requests in flight")]
        case .merchantAPI:
            return merchantResponses(body)
        }
        let success = OpenAPIBodies.closed(body.response)
        var responses: [String: Any] = [
            "200": ["description": "the answer, or a validation/business refusal in the \(envelope) envelope",
                    "content": ["application/json": ["schema": ["anyOf": [success, ["$ref": "#/components/schemas/\(envelope)"]]]]]],
        ]
        for (code, why) in codes {
            responses[String(code)] = ["description": why,
                                       "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(envelope)"]]]]
        }
        return responses
    }

    /// Merchant API: always HTTP 200 (§1.5); refusals are a `pg_status=error` XML answer (signed once the merchant is known).
    static func merchantResponses(_ body: OpenAPIBody) -> [String: Any] {
        let error: [String: Any] = ["$ref": "#/components/schemas/MerchantAPIError"]
        var content: [String: Any] = ["application/xml": ["schema": ["anyOf": [body.response, error]]]]
        if body.responseType != "application/xml" {
            content = [body.responseType: ["schema": body.response], "application/xml": ["schema": error]]
        }
        return ["200": ["description": "the signed XML answer, or pg_status=error with pg_error_code (9998 unknown merchant, "
                            + "1100 bad pg_sig, documented codes otherwise)", "content": content]]
    }

    static func serviceResponses(_ route: APIRoute) -> [String: Any] {
        if route.api == .page {
            return ["200": ["description": "HTML page (unknown or expired tokens answer an HTML error page)",
                            "content": ["text/html": ["schema": ["type": "string"]]]]]
        }
        if route.path == "/docs" {
            return ["200": ["description": "HTML API reference", "content": ["text/html": ["schema": ["type": "string"]]]]]
        }
        if route.path == "/metrics" {
            return ["200": ["description": "Prometheus text format", "content": ["text/plain": ["schema": ["type": "string"]]]]]
        }
        let schema: [String: Any] = route.path == "/status/healthcheck"
            ? ["type": "object", "required": ["status", "time"],
               "properties": ["status": ["const": "ok"], "time": ["type": "string"]]]
            : ["type": "object", "required": ["openapi", "paths"]]
        return ["200": ["description": route.summary, "content": ["application/json": ["schema": schema]]]]
    }

    static var schemas: [String: Any] { [
        "CardAPIError": envelopeSchema(code: ["type": "string"]),
        "PartnerAPIError": envelopeSchema(code: ["type": "integer"]),
        "EMoneyError": envelopeSchema(code: ["type": "string"], requestStatus: ["type": "string"]),
        "MerchantAPIError": [
            "type": "object", "xml": ["name": "response"], "required": ["pg_status", "pg_error_code", "pg_error_description"],
            "description": "pg_salt and pg_sig are present once the merchant is known; a failed payout adds its payout fields",
            "properties": [
                "pg_status": ["const": "error"], "pg_error_code": ["type": "string", "pattern": "^[0-9]+$"],
                "pg_error_description": ["type": "string"], "pg_salt": ["type": "string"], "pg_sig": ["type": "string"],
            ] as [String: Any],
        ],
        "GiftCardError": [
            "type": "object", "required": ["datetime", "status", "error_description"], "additionalProperties": false,
            "properties": [
                "datetime": ["type": "string", "description": "YYYY-MM-DD hh:mm:ss"],
                "status": ["type": "integer", "maximum": -1],
                "error_description": ["type": "string"],
            ],
        ],
    ] }

    static func envelopeSchema(code: [String: Any], requestStatus: [String: Any] = ["const": "error"]) -> [String: Any] {
        [
            "type": "object", "additionalProperties": false,
            "required": ["status", "request_status", "error_code", "error_description", "dt"],
            "properties": [
                "status": ["const": "error"], "request_status": requestStatus, "error_code": code,
                "error_description": ["type": "string"], "dt": ["type": "string", "description": "RFC 3339"],
            ] as [String: Any],
        ]
    }

    static var securitySchemes: [String: Any] { [
        "CardAPIJWS": header("X-JWS-Signature", "Detached JWS HS512: b64url({uri,auth_id,method,params,alg}) + '..' + "
            + "b64url(HMAC-SHA512(secret, header segment + '.' + b64url(raw body))). JWS-Signature is accepted too."),
        "CardAPILegacyAuthId": header("Auth-Id", "Legacy Card API scheme: the partner's auth_id (with Sign and Request-Id)."),
        "CardAPILegacySign": header("Sign", "Legacy Card API scheme: hex(sha256(raw body + secret))."),
        "CardAPILegacyRequestId": header("Request-Id", "Legacy Card API scheme: unique id of the request."),
        "PartnerAPIJWS": header("X-JWS-Signature", "Detached JWS HS256, same construction as the Card API's."),
        "MerchantPGSig": [
            "type": "apiKey", "in": "query", "name": "pg_sig",
            "description": "md5(script name;values sorted by parameter name;secret) over the form, query or pg_xml "
                + "parameters; payment_secret on purchase and card-storage routes, payout_secret on /api/ payout routes, "
                + "get_status2.php and /cardstoragepayout/.",
        ],
    ] }

    static func header(_ name: String, _ description: String) -> [String: Any] {
        ["type": "apiKey", "in": "header", "name": name, "description": description]
    }
}

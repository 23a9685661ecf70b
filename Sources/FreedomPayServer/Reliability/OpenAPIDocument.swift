import Foundation
import Hummingbird
import NIOCore

/// The OpenAPI 3.1 document of every route, generated from `APIRouteTable` so it cannot drift from the
/// router (`OpenAPICoverageTests`). Bodies are described at the level the server guarantees for every input:
/// a JSON object in, and either a JSON object (success or a business refusal in the API's envelope) or the
/// documented error envelope out. `docs/openapi.json` is this document as committed.
public enum OpenAPIDocument {
    public static func make(routes: [APIRoute] = APIRouteTable.routes) -> [String: Any] {
        var paths: [String: Any] = [:]
        for route in routes {
            var item = paths[route.path] as? [String: Any] ?? [:]
            item[route.method.lowercased()] = operation(route)
            paths[route.path] = item
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "FreedomPay-Swift",
                "version": "1.0.0",
                "description": "Card API (/v5/card-api, gift cards /v5/cards), Partner API (/v5/partner) and Merchant API "
                    + "(pg_sig; purchase/payout routes are added to this document as they are implemented).",
            ],
            "paths": paths,
            "components": ["schemas": schemas, "securitySchemes": securitySchemes],
        ]
    }

    /// The document as UTF-8 JSON with sorted keys (stable bytes for the committed copy).
    public static func json(routes: [APIRoute] = APIRouteTable.routes) -> Data {
        (try? JSONSerialization.data(withJSONObject: make(routes: routes), options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])) ?? Data()
    }

    static func operation(_ route: APIRoute) -> [String: Any] {
        var operation: [String: Any] = [
            "operationId": route.method.lowercased() + route.path.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: ".", with: "_"),
            "summary": route.summary,
            "tags": [route.api.rawValue],
        ]
        let captures = route.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
        if !captures.isEmpty {
            operation["parameters"] = captures.map { ["name": $0, "in": "path", "required": true, "schema": ["type": "string"]] as [String: Any] }
        }
        guard route.isSigned else {
            operation["security"] = [[String: Any]]()
            operation["responses"] = serviceResponses(route)
            return operation
        }
        var properties: [String: Any] = [:]
        for id in route.objectIDs where !id.contains(".") {
            properties[id] = ["description": "an object of the calling partner; another partner's id answers as unknown"]
        }
        if route.method != "GET" { operation["requestBody"] = [
            "required": true,
            "content": [route.api == .merchantAPI ? "application/x-www-form-urlencoded" : "application/json":
                            ["schema": ["type": "object", "properties": properties] as [String: Any]]],
        ] }
        operation["security"] = security(route.api)
        operation["responses"] = responses(route)
        return operation
    }

    static func security(_ api: APIRoute.API) -> [[String: [String]]] {
        switch api {
        case .partnerAPI: return [["PartnerAPIJWS": []]]
        case .merchantAPI: return [["MerchantPGSig": []]]
        default: return [["CardAPIJWS": []], ["CardAPILegacyAuthId": [], "CardAPILegacySign": [], "CardAPILegacyRequestId": []]]
        }
    }

    static func responses(_ route: APIRoute) -> [String: Any] {
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
        case .partnerAPI, .service, .merchantAPI, .page:
            envelope = route.stringErrorCode ? "EMoneyError" : "PartnerAPIError"
            codes = [(401, "signature refused"), (405, "method other than POST"), (413, "body too large"),
                     (422, "body is not a JSON object"), (429, "rate limit of the credential exceeded"), (503, "too many requests in flight")]
        }
        if route.api == .merchantAPI {
            return ["200": ["description": "signed XML answer; pg_error_code 9998 (unknown merchant) or 1100 (bad pg_sig) on refusal",
                            "content": ["application/xml": ["schema": ["type": "string"]]]]]
        }
        var responses: [String: Any] = [
            "200": ["description": "the answer, or a validation/business refusal in the \(envelope) envelope",
                    "content": ["application/json": ["schema": ["type": "object"]]]],
        ]
        for (code, why) in codes {
            responses[String(code)] = ["description": why,
                                       "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(envelope)"]]]]
        }
        return responses
    }

    static func serviceResponses(_ route: APIRoute) -> [String: Any] {
        if route.api == .page {
            return ["200": ["description": "HTML page (unknown or expired tokens answer an HTML error page)",
                            "content": ["text/html": ["schema": ["type": "string"]]]]]
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
                + "parameters; payment_secret on purchase routes, payout_secret on /api/ payout routes.",
        ],
    ] }

    static func header(_ name: String, _ description: String) -> [String: Any] {
        ["type": "apiKey", "in": "header", "name": name, "description": description]
    }

    /// `GET /openapi.json`.
    static func register(on router: Router<AppRequestContext>) {
        let body = json()
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}

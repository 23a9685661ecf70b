import Foundation
import Hummingbird
import NIOCore

/// The OpenAPI 3.1 document of every route, generated from `APIRouteTable` so it cannot drift from the
/// router (`OpenAPICoverageTests`). Request and success bodies come from `OpenAPIBodies` (the shared wire models
/// for the JSON APIs, the pg_* field lists for the Merchant API); refusals are the documented envelopes
/// (`OpenAPIDocument+Responses.swift`). `docs/openapi.json` is this document as committed.
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
                    + "(pg_sig; application/x-www-form-urlencoded pg_* fields in, a signed XML <response> out).",
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
        var parameters: [[String: Any]] = captures.map { name -> [String: Any] in
            let schema: [String: Any] = name == "merchant_id" ? OpenAPIBodies.digits : ["type": "string"]
            return ["name": name, "in": "path", "required": true, "schema": schema]
        }
        guard route.isSigned, let body = OpenAPIBodies.body(for: route) else {
            if !parameters.isEmpty { operation["parameters"] = parameters }
            operation["security"] = [[String: Any]]()
            operation["responses"] = serviceResponses(route)
            return operation
        }
        if let request = body.request {
            if route.method == "GET" {
                parameters += queryParameters(request)
            } else {
                operation["requestBody"] = ["required": true, "content": [body.requestType: ["schema": request]]]
            }
        }
        if !parameters.isEmpty { operation["parameters"] = parameters }
        operation["security"] = security(route.api)
        operation["responses"] = responses(route, body)
        return operation
    }

    /// A Merchant API GET route takes the form's fields in the query string.
    static func queryParameters(_ form: [String: Any]) -> [[String: Any]] {
        let properties = form["properties"] as? [String: [String: Any]] ?? [:]
        let required = Set(form["required"] as? [String] ?? [])
        return properties.keys.sorted().map { name in
            ["name": name, "in": "query", "required": required.contains(name), "schema": properties[name] ?? [:]]
        }
    }

    static func security(_ api: APIRoute.API) -> [[String: [String]]] {
        switch api {
        case .partnerAPI: return [["PartnerAPIJWS": []]]
        case .merchantAPI: return [["MerchantPGSig": []]]
        default: return [["CardAPIJWS": []], ["CardAPILegacyAuthId": [], "CardAPILegacySign": [], "CardAPILegacyRequestId": []]]
        }
    }

    /// `GET /openapi.json`.
    static func register(on router: Router<AppRequestContext>) {
        let body = json()
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}

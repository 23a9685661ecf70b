import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

/// The bodies in `/openapi.json` are the code's bodies: every wire model the document names encodes (with every
/// optional field present) to JSON its schema accepts, with no field more or less; every signed route has exact
/// bodies; and real Merchant API answers match their XML schemas.
@Suite struct OpenAPIBodySchemaTests {
    @Test func everySignedRouteHasItsBodies() {
        for route in APIRouteTable.routes where route.isSigned {
            let body = OpenAPIBodies.body(for: route)
            #expect(body != nil, "\(route.method) \(route.path) has no request/answer schema")
            if let body, route.api != .merchantAPI {
                #expect(body.response["type"] as? String == "object", "\(route.path) answer is not an object schema")
            }
        }
    }

    @Test func everyWireModelEncodesToItsSchema() throws {
        _ = OpenAPIDocument.make()
        let models = WireSchema.probedModels
        #expect(models.count >= 60, "only \(models.count) wire models probed")
        for model in models {
            let problems = try Self.roundTrip(model)
            #expect(problems.isEmpty, "\(model): \(problems)")
        }
    }

    /// The probe reads what the decoder reads: required keys, optional keys, nested objects and enums.
    @Test func probeReadsRequiredOptionalAndEnums() throws {
        let schema = WireSchema.of(CardAPIErrorResponse.self)
        #expect(Set(schema["required"] as? [String] ?? []) == ["status", "request_status", "error_code", "error_description", "dt"])
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        #expect((properties["error_code"]?["enum"] as? [String])?.contains("card_not_found") == true)
        let status = WireSchema.of(RequestStatusResponse.self)
        #expect(!(status["required"] as? [String] ?? []).contains("cards"))
        let cards = (status["properties"] as? [String: [String: Any]])?["cards"]
        #expect(cards?["type"] as? String == "array")
        #expect(SchemaCheck.problems(["status": "ok", "request_status": "success"], OpenAPIBodies.closed(status)) == ["$: missing dt"])
    }

    static func roundTrip(_ model: any Decodable.Type) throws -> [String] {
        try roundTrip(typed: model)
    }

    static func roundTrip<T: Decodable>(typed type: T.Type) throws -> [String] {
        guard let value = try WireSchema.sample(type) as? any Encodable else { return ["not Encodable"] }
        let data = try JSONEncoder().encode(value)
        let json = try SchemaCheck.parse(data)
        let schema = WireSchema.of(type)
        var problems = SchemaCheck.problems(json, OpenAPIBodies.closed(schema))
        if let object = json as? [String: Any], let properties = schema["properties"] as? [String: Any] {
            let unwritten = Set(properties.keys).subtracting(object.keys)
            if !unwritten.isEmpty { problems.append("decoded but never encoded: \(unwritten.sorted())") }
        }
        return problems
    }

    /// init_payment, get_status3, do_capture (refused), card storage add/list, payout fund/balance: each answer,
    /// parsed from its XML, matches the route's schema (or `MerchantAPIError`).
    @Test func merchantAnswersMatchTheirSchemas() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let merchant = try await server.createMerchant()
        let id = String(merchant.id.rawValue)
        try await server.withRouter { client in
            let created = try await client.merchantAPI("/init_payment.php", [
                PGParameter("pg_amount", "150.5"), PGParameter("pg_description", "Order 7"), PGParameter("pg_order_id", "o-7"),
            ], as: merchant)
            try Self.expectMatches(created, "/init_payment.php")
            let payment = try #require(created.xml.value("pg_payment_id"))
            try Self.expectMatches(try await client.merchantAPI("/get_status3.php", [PGParameter("pg_payment_id", payment)], as: merchant), "/get_status3.php")
            try Self.expectMatches(try await client.merchantAPI("/do_capture.php", [PGParameter("pg_payment_id", payment)], as: merchant), "/do_capture.php", error: true)
            try Self.expectMatches(try await client.merchantAPI("/get_status3.php", [PGParameter("pg_payment_id", "999999")], as: merchant), "/get_status3.php", error: true)
            let storage = "/v1/merchant/\(id)/cardstorage/"
            try Self.expectMatches(try await client.merchantAPI(storage + "add", [
                PGParameter("pg_merchant_id", id), PGParameter("pg_user_id", "u-1"),
                PGParameter("pg_post_link", "https://shop.example/post"), PGParameter("pg_back_link", "https://shop.example/back"),
            ], as: merchant), "/v1/merchant/{merchant_id}/cardstorage/add")
            try Self.expectMatches(try await client.merchantAPI(storage + "list", [PGParameter("pg_merchant_id", id), PGParameter("pg_user_id", "u-1")], as: merchant),
                                   "/v1/merchant/{merchant_id}/cardstorage/list")
            let fund = try await client.merchantAPI("/api/sandbox/fund", [PGParameter("pg_amount", "1000")], as: merchant, secret: .payout)
            try Self.expectMatches(fund, "/api/sandbox/fund")
            try Self.expectMatches(try await client.merchantAPI("/api/balance_status", [], as: merchant, secret: .payout), "/api/balance_status")
        }
    }

    static func expectMatches(_ response: TestResponse, _ path: String, error: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let route = try #require(APIRouteTable.routes.first { $0.path == path && $0.method == "POST" })
        let body = try #require(OpenAPIBodies.body(for: route))
        let errorSchema = try #require((OpenAPIDocument.schemas["MerchantAPIError"] as? [String: Any]))
        let schema = error ? errorSchema : body.response
        let value = XMLShape.value(response.xml, schema)
        #expect(response.xml.value("pg_status") == (error ? "error" : response.xml.value("pg_status")), "\(path): \(response.text)", sourceLocation: sourceLocation)
        let problems = SchemaCheck.problems(value, schema)
        #expect(problems.isEmpty, "\(path): \(problems) in \(response.text)", sourceLocation: sourceLocation)
    }
}

/// A Merchant API XML answer as the JSON value its OpenAPI schema describes (repeated elements as arrays).
enum XMLShape {
    static func value(_ parameters: [PGParameter], _ schema: [String: Any]) -> [String: Any] {
        let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
        var out: [String: Any] = [:]
        for parameter in parameters where out[parameter.name] == nil {
            let property = properties[parameter.name] ?? [:]
            if property["type"] as? String == "array" {
                let items = property["items"] as? [String: Any] ?? [:]
                let wrapped = (property["xml"] as? [String: Any])?["wrapped"] as? Bool == true
                let elements = wrapped ? children(parameter) : parameters.filter { $0.name == parameter.name }
                out[parameter.name] = elements.map { element -> Any in
                    if case .nested(let fields) = element.value { return value(fields, items) }
                    return text(element)
                }
            } else if case .nested(let fields) = parameter.value {
                out[parameter.name] = value(fields, property)
            } else {
                out[parameter.name] = text(parameter)
            }
        }
        return out
    }

    static func children(_ parameter: PGParameter) -> [PGParameter] {
        if case .nested(let fields) = parameter.value { return fields }
        return []
    }

    static func text(_ parameter: PGParameter) -> String {
        if case .text(let text) = parameter.value { return text }
        return ""
    }
}

import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

/// The OpenAPI document names exactly the routes the router has, is served at `/openapi.json`, and is the
/// committed `docs/openapi.json` (regenerate with `FREEDOMPAY_WRITE_OPENAPI=1 swift test --filter OpenAPICoverage`).
@Suite struct OpenAPICoverageTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `METHOD /path` of every concrete route registered (the `**` catch-alls answer the 404/405 envelopes).
    /// The operator dashboard (`/dashboard/...`) is HTML for operators, not part of the public API document.
    static func registeredRoutes(_ server: TestServer) -> Set<String> {
        let router = FreedomPayApplication.makeRouter(services: server.services)
        return Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" }
            .filter { !$0.contains("*") && !$0.contains(" /dashboard") })
    }

    static func documentedRoutes(_ document: [String: Any]) -> Set<String> {
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        return Set(paths.flatMap { path, item in item.keys.map { "\($0.uppercased()) \(path)" } })
    }

    @Test func documentNamesExactlyTheRegisteredRoutes() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let registered = Self.registeredRoutes(server)
        let documented = Self.documentedRoutes(OpenAPIDocument.make())
        #expect(registered.count >= 60, "the router lists \(registered.count) routes")
        #expect(registered.subtracting(documented).sorted() == [], "routes missing from the OpenAPI document")
        #expect(documented.subtracting(registered).sorted() == [], "documented routes the server does not have")
        #expect(APIRouteTable.routes.count == Set(APIRouteTable.routes).count, "duplicate rows in the route table")
    }

    /// Outside sandbox mode the sandbox routes are absent, and nothing else changes.
    @Test func sandboxRoutesOnlyInSandboxMode() async throws {
        let server = try await TestServer.make(sandbox: false)
        defer { Task { await server.cleanUp() } }
        let expected = Set(APIRouteTable.routes.filter { $0.api != .sandbox }.map { "\($0.method) \($0.path)" })
        #expect(Self.registeredRoutes(server) == expected)
    }

    @Test func servedDocumentIsTheCommittedFile() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let served = try await server.withRouter { client in
            let response = try await client.executeRequest(uri: "/openapi.json", method: .get, headers: [:], body: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            return Data(buffer: response.body)
        }
        let file = Self.repositoryRoot.appendingPathComponent("docs/openapi.json")
        if ProcessInfo.processInfo.environment["FREEDOMPAY_WRITE_OPENAPI"] == "1" {
            try served.write(to: file)
        }
        let committed = try Data(contentsOf: file)
        #expect(committed == served, "docs/openapi.json is stale: regenerate it (FREEDOMPAY_WRITE_OPENAPI=1)")
        let document = try #require(try JSONSerialization.jsonObject(with: served) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
    }

    /// Every signed operation declares its schemes and the 401 envelope; every scheme it names exists.
    @Test func signedOperationsDeclareSecurityAndErrorEnvelopes() throws {
        let document = OpenAPIDocument.make()
        let schemes = (document["components"] as? [String: Any])?["securitySchemes"] as? [String: Any] ?? [:]
        #expect(Set(schemes.keys).isSuperset(of: ["CardAPIJWS", "PartnerAPIJWS", "MerchantPGSig"]))
        for route in APIRouteTable.routes where route.isSigned {
            let paths = document["paths"] as? [String: [String: [String: Any]]]
            let operation = try #require(paths?[route.path]?[route.method.lowercased()])
            let security = operation["security"] as? [[String: [String]]] ?? []
            #expect(!security.isEmpty, "\(route.path) has no security requirement")
            for requirement in security { #expect(Set(requirement.keys).isSubset(of: Set(schemes.keys))) }
            let responses = operation["responses"] as? [String: Any] ?? [:]
            // Merchant API refusals (9998, 1100) are signed XML answers with HTTP 200, like the docs show.
            #expect(responses["200"] != nil && (route.api == .merchantAPI || responses["401"] != nil), "\(route.path) lacks 200/401")
        }
    }

    /// A signed call on every documented route reaches a handler, not the `**` "no route" fallback.
    @Test func everyDocumentedRouteReachesAHandler() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner()
        try await server.withRouter { client in
            for route in APIRouteTable.routes where route.isSigned && route.api != .merchantAPI {
                let response = try await client.signed(route, #"{"request_id":"5c0f2a8e-4f6b-4c55-9d8e-1a2b3c4d5e6f"}"#, as: partner)
                #expect(response.status != .notFound, "\(route.path) answered \(response.status): \(response.text)")
                #expect(!response.text.contains("route /v5/"), "\(route.path) fell through: \(response.text)")
            }
        }
    }
}

import Foundation
import FreedomPayCore
import FreedomPayWire
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

extension TestClientProtocol {
    /// POSTs `body` to `route`, correctly signed for its API (HS512 JWS for Card API/gift/sandbox, HS256 for Partner API).
    func signed(_ route: APIRoute, _ body: String, as partner: Partner) async throws -> TestResponse {
        route.api == .partnerAPI
            ? try await partnerAPI(route.path, body, as: partner)
            : try await cardAPI(route.path, body, as: partner)
    }
}

/// Row counts and a digest of every table's content: any write by a refused request changes it.
enum StoreFingerprint {
    /// Derived from `ledger_journal` (which is fingerprinted) by the server's background indexer, which may run
    /// between two fingerprints whatever the requests did.
    static let derivedTables: Set<String> = ["ledger_account_history", "ledger_history_progress"]

    static func take(_ server: TestServer) async throws -> [String: String] {
        try await server.services.store.read { db in
            var result: [String: String] = [:]
            let tables = try await db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", [])
            for table in try tables.map({ try $0.text("name") }) where !derivedTables.contains(table) {
                let rows = try await db.query("SELECT * FROM \"\(table)\"", [])
                result[table] = rows.map { $0.values.map { "\($0)" }.joined(separator: "|") }.sorted().joined(separator: "\n")
            }
            return result
        }
    }
}

/// The refusal a route's API gives, checked in that API's own envelope (reusing the Auth suite's checks).
func expectRefusal(
    _ response: TestResponse, on route: APIRoute, _ status: HTTPResponse.Status, cardCode: String, _ message: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    switch route.api {
    case .cardAPI, .sandbox:
        expectCardAPIError(response, status, cardCode, message, sourceLocation: sourceLocation)
    case .giftCards:
        #expect(response.status == status, "\(route.path)", sourceLocation: sourceLocation)
        #expect(response.json["status"] as? Int == -1, "\(route.path): \(response.text)", sourceLocation: sourceLocation)
        #expect(response.json["error_description"] as? String == message, "\(route.path)", sourceLocation: sourceLocation)
    case .partnerAPI:
        expectPartnerAPIError(response, .unauthorized, 401, message, codeAsString: route.stringErrorCode, sourceLocation: sourceLocation)
    case .merchantAPI, .service, .page:
        Issue.record("no signature refusal is defined for \(route.path)", sourceLocation: sourceLocation)
    }
}

import Foundation
import FreedomPayCore
import FreedomPayServer
import HummingbirdTesting

extension TestServer {
    /// A partner with a chosen `auth_id` and secret, for the docs' signature vectors.
    func createPartner(authID: String, secret: String) async throws -> Partner {
        try await services.store.write { db in
            try await services.credentials.createPartner(name: "Partner \(authID)", authID: authID, secret: secret, in: db)
        }
    }

    /// Number of rows in a table, to prove that a refused request changed nothing.
    func count(_ table: String) async throws -> Int64 {
        try await services.store.read { db in try await db.queryOne("SELECT COUNT(*) AS n FROM \(table)", [])?.int("n") ?? -1 }
    }
}

/// Runs `body` against a fresh server and always cleans up.
func withPartnerServer<T: Sendable>(
    configure: @Sendable (inout ServerConfiguration) -> Void = { _ in },
    _ body: @Sendable (TestServer) async throws -> T
) async throws -> T {
    let server = try await TestServer.make(configure: configure)
    do {
        let result = try await body(server)
        await server.cleanUp()
        return result
    } catch {
        await server.cleanUp()
        throw error
    }
}

extension TestResponse {
    /// `error_code` as the server sent it: an integer (Products/Rates) or a string (E-Money), as text.
    var errorCode: String? {
        if let number = json["error_code"] as? Int { return String(number) }
        return json["error_code"] as? String
    }
}

import Foundation
import FreedomPayCore
import FreedomPayServer
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A browser's view of the dashboard in tests: the session cookie it holds, forms it posts.
struct DashboardBrowser: Sendable {
    let client: any TestClientProtocol
    var cookie: String?

    static let username = "ops"
    static let password = "correct horse battery"

    func get(_ path: String) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = "fp_dashboard=\(cookie)" }
        return try await client.executeRequest(uri: path, method: .get, headers: headers, body: nil)
    }

    func post(_ path: String, _ fields: [(String, String)]) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = "fp_dashboard=\(cookie)" }
        let body = fields.map { "\(DashboardFormat.escape($0.0))=\(DashboardFormat.escape($0.1))" }.joined(separator: "&")
        return try await client.executeRequest(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// Posts the login form; on success keeps the session cookie.
    @discardableResult
    mutating func logIn(username: String = username, password: String = password) async throws -> TestResponse {
        let response = try await post("/dashboard/login", [("username", username), ("password", password)])
        if let setCookie = response.headers[.setCookie], let value = Self.cookieValue(setCookie) { cookie = value }
        return response
    }

    /// The CSRF token the page at `path` embeds in its forms, as a browser would submit it.
    func csrf(from path: String = "/dashboard/") async throws -> String {
        let html = try await get(path).text
        let marker = #"name="csrf" value=""#
        guard let start = html.range(of: marker) else { return "" }
        return String(html[start.upperBound...].prefix { $0 != "\"" })
    }

    static func cookieValue(_ header: String) -> String? {
        guard header.hasPrefix("fp_dashboard=") else { return nil }
        return String(header.dropFirst("fp_dashboard=".count).prefix { $0 != ";" })
    }
}

extension TestServer {
    /// An operator with a cheap hash (tests stay fast; the format and check are the production ones).
    func createOperator(username: String = DashboardBrowser.username, password: String = DashboardBrowser.password) async throws {
        let now = clock.now()
        try await services.store.write { db in
            try await OperatorRepository(rounds: 1_000).create(username: username, password: password, now: now, in: db)
        }
    }

    /// A logged-in browser on this server's router.
    func dashboard(_ client: any TestClientProtocol) async throws -> DashboardBrowser {
        try await createOperator()
        var browser = DashboardBrowser(client: client)
        let response = try await browser.logIn()
        #expect(response.status == .seeOther)
        #expect(browser.cookie != nil)
        return browser
    }
}

import Foundation
import FreedomPayCore
import FreedomPayServer
import HTTPTypes
import HummingbirdTesting
import Testing

/// The dashboard's own login: operators only, sessions by cookie, CSRF on every form.
@Suite struct DashboardAccessTests {
    @Test func everyPageNeedsALogin() async throws {
        let server = try await TestServer.make()
        try await server.withRouter { client in
            let anonymous = DashboardBrowser(client: client)
            for path in ["/dashboard", "/dashboard/cards", "/dashboard/partners", "/dashboard/callbacks/1", "/dashboard/invariants"] {
                let response = try await anonymous.get(path)
                #expect(response.status == .seeOther, "\(path)")
                #expect(response.headers[.location] == "/dashboard/login", "\(path)")
            }
            #expect(try await anonymous.get("/dashboard/invariants.json").status == .unauthorized)
            #expect(try await anonymous.post("/dashboard/callbacks/1/redeliver", [("csrf", "x")]).status == .unauthorized)
            #expect(try await anonymous.post("/dashboard/partners/1/rotate", [("csrf", "x")]).status == .unauthorized)
            var forged = anonymous
            forged.cookie = String(repeating: "a", count: 64)
            #expect(try await forged.get("/dashboard/cards").status == .seeOther, "an unknown token is no session")
            let login = try await anonymous.get("/dashboard/login")
            #expect(login.status == .ok && login.text.contains("id=\"password\""))
        }
        await server.cleanUp()
    }

    @Test func wrongPasswordOrUnknownUserIsRefused() async throws {
        let server = try await TestServer.make()
        try await server.createOperator()
        try await server.withRouter { client in
            var browser = DashboardBrowser(client: client)
            for (user, password) in [(DashboardBrowser.username, "wrong password"), ("nobody", DashboardBrowser.password), ("", "")] {
                let response = try await browser.logIn(username: user, password: password)
                #expect(response.status == .unauthorized)
                #expect(response.headers[.setCookie] == nil)
                #expect(response.text.contains("Wrong username or password"))
                #expect(browser.cookie == nil)
            }
        }
        await server.cleanUp()
    }

    /// Ten wrong passwords for one name lock that name (even the right password) for the window; others are unaffected.
    @Test func repeatedWrongPasswordsAreThrottled() async throws {
        let server = try await TestServer.make()
        try await server.createOperator()
        try await server.createOperator(username: "other", password: "other password")
        try await server.withRouter { client in
            var browser = DashboardBrowser(client: client)
            for _ in 0..<10 { #expect(try await browser.logIn(password: "wrong password").status == .unauthorized) }
            let blocked = try await browser.logIn()
            #expect(blocked.status == .tooManyRequests && browser.cookie == nil)
            #expect(try await browser.logIn(username: "other", password: "other password").status == .seeOther)
            server.clock.advance(by: 15 * 60)
            var later = DashboardBrowser(client: client)
            #expect(try await later.logIn().status == .seeOther)
        }
        await server.cleanUp()
    }

    @Test func loginSetsAStrictHttpOnlyCookieAndLogoutEndsTheSession() async throws {
        let server = try await TestServer.make()
        try await server.createOperator()
        try await server.withRouter { client in
            var browser = DashboardBrowser(client: client)
            let response = try await browser.logIn()
            #expect(response.status == .seeOther && response.headers[.location] == "/dashboard/")
            let cookie = try #require(response.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/dashboard"))
            #expect(cookie.contains("Max-Age=28800"))
            let token = try #require(browser.cookie)
            #expect(token.count == 64)
            let stored = try await server.services.store.read { db in try await db.query("SELECT token_hash FROM dashboard_sessions", []) }
            #expect(stored.count == 1)
            let storedHash = try stored[0].text("token_hash")
            #expect(storedHash != token && !storedHash.contains(token), "only a hash of the token is stored")

            let overview = try await browser.get("/dashboard/")
            #expect(overview.status == .ok && overview.text.contains("Overview") && overview.text.contains(DashboardBrowser.username))
            #expect(overview.headers[.cacheControl] == "no-store")

            let csrf = try await browser.csrf()
            #expect(try await browser.post("/dashboard/logout", [("csrf", csrf)]).status == .seeOther)
            #expect(try await browser.get("/dashboard/cards").status == .seeOther, "the old cookie no longer opens a page")
        }
        await server.cleanUp()
    }

    @Test func sessionsExpire() async throws {
        let server = try await TestServer.make { $0.dashboardSessionLifetimeSeconds = 60 }
        try await server.withRouter { client in
            let browser = try await server.dashboard(client)
            #expect(try await browser.get("/dashboard/cards").status == .ok)
            server.clock.advance(by: 61)
            #expect(try await browser.get("/dashboard/cards").status == .seeOther)
        }
        await server.cleanUp()
    }

    /// A form posted without this session's token (another site, another session, none) changes nothing.
    @Test func formsWithoutTheSessionsCSRFTokenAreRejected() async throws {
        let server = try await TestServer.make()
        let partner = try await server.createPartner()
        try await server.createOperator(username: "second", password: "another password")
        try await server.withRouter { client in
            let browser = try await server.dashboard(client)
            var other = DashboardBrowser(client: client)
            try await other.logIn(username: "second", password: "another password")
            let foreignToken = try await other.csrf()
            for fields in [[], [("csrf", "")], [("csrf", "0123")], [("csrf", foreignToken)]] {
                let response = try await browser.post("/dashboard/partners/\(partner.id.rawValue)/rotate", fields)
                #expect(response.status == .forbidden)
                #expect(!response.text.contains("id=\"new-secret\""))
            }
            #expect(try await browser.post("/dashboard/logout", []).status == .forbidden)
            #expect(try await browser.get("/dashboard/cards").status == .ok, "a refused logout keeps the session")
            let unchanged = try await client.addClient(as: partner)
            #expect(!unchanged.isEmpty, "the partner's secret still works")
        }
        await server.cleanUp()
    }

    @Test func operatorNamesAndPasswordsAreValidatedAndHashed() async throws {
        let server = try await TestServer.make()
        try await server.createOperator()
        await #expect(throws: OperatorError.usernameTaken) { try await server.createOperator() }
        await #expect(throws: OperatorError.weakPassword) { try await server.createOperator(username: "x", password: "short") }
        await #expect(throws: OperatorError.invalidUsername) { try await server.createOperator(username: "a b<", password: "long enough") }
        let hash = try await server.services.store.read { db in
            try await db.queryOne("SELECT password_hash FROM dashboard_operators", [])?.text("password_hash")
        }
        #expect(hash?.hasPrefix("pbkdf2-sha256$") == true && hash?.contains(DashboardBrowser.password) == false)
        await server.cleanUp()
    }

    /// A sandbox's first start creates `admin` with a random password written to the data folder.
    @Test func sandboxFirstStartCreatesAnAdminOperator() async throws {
        let server = try await TestServer.make()
        try await DashboardBootstrap.sandboxOperator(services: server.services, environment: [:])
        let file = try #require(FileManager.default.contents(atPath: DashboardBootstrap.filePath(server.services.configuration)))
        let saved = try #require(try JSONSerialization.jsonObject(with: file) as? [String: String])
        try await DashboardBootstrap.sandboxOperator(services: server.services, environment: ["FREEDOMPAY_OPERATOR_PASSWORD": "ignored now"])
        try await server.withRouter { client in
            var browser = DashboardBrowser(client: client)
            #expect(try await browser.logIn(username: "admin", password: "ignored now").status == .unauthorized)
            let password = try #require(saved["password"])
            #expect(try await browser.logIn(username: "admin", password: password).status == .seeOther)
        }
        await server.cleanUp()
    }
}

import Foundation
import FreedomPayCore
import Hummingbird

/// Login, logout, the overview and the live ledger invariant status.
extension DashboardRoutes {
    @Sendable func loginPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        if try await session(request) != nil { return Self.redirect("/dashboard/") }
        return render("Operator login", template: "login", [:], session: nil)
    }

    /// Checks the password (PBKDF2, same work for unknown users) and starts a session cookie:
    /// random token, HttpOnly, SameSite=Strict, limited to `/dashboard`, expiring with the session.
    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await Self.formFields(request)
        let username = fields["username"] ?? "", password = fields["password"] ?? ""
        let now = services.clock.now()
        let lifetime = TimeInterval(services.configuration.dashboardSessionLifetimeSeconds)
        guard !throttle.isBlocked(username, now: now) else {
            services.logger.warning("dashboard login throttled", metadata: ["username": "\(username.prefix(64))"])
            return render("Operator login", template: "login", ["error": "Too many wrong passwords; try again later."], session: nil,
                          status: .tooManyRequests)
        }
        // The slow hash runs in a read, so a login never holds the store's write lock for its duration.
        let account = try await services.store.read { [operators] db in
            try await operators.authenticate(username: username, password: password, in: db)
        }
        guard let account else {
            throttle.recordFailure(username, now: now)
            services.logger.notice("dashboard login refused", metadata: ["username": "\(username.prefix(64))"])
            return render("Operator login", template: "login", ["error": "Wrong username or password."], session: nil,
                          status: .unauthorized)
        }
        throttle.recordSuccess(username)
        let session = try await services.store.write { [operators] db in
            try await operators.startSession(for: account, now: now, lifetime: lifetime, in: db)
        }
        services.logger.info("dashboard login", metadata: ["operator": "\(session.operatorAccount.username)"])
        var response = Self.redirect("/dashboard/")
        response.setCookie(Cookie(
            name: Self.cookieName, value: session.token, maxAge: Int(lifetime), path: "/dashboard",
            secure: services.configuration.baseURL.hasPrefix("https://"), httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext, session: DashboardSession, fields: [String: String]) async throws -> Response {
        try await services.store.write { [operators] db in try await operators.endSession(token: session.token, in: db) }
        var response = Self.redirect("/dashboard/login")
        response.setCookie(Cookie(name: Self.cookieName, value: "", maxAge: 0, path: "/dashboard", httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func overview(_ request: Request, context: AppRequestContext, session: DashboardSession) async throws -> Response {
        let now = services.clock.now()
        let (counts, status) = try await services.store.read { [queries] db in
            (try await queries.counts(in: db), try await LedgerInvariantStatus.check(now: now, in: db))
        }
        let fields = counts.map { DashboardTableView.Field(name: $0.0, value: String($0.1)) } + [
            .init(name: "Ledger invariants", value: status.ok ? "OK" : "BROKEN (\(status.violationCount))"),
            .init(name: "Mode", value: services.configuration.sandbox ? "sandbox" : "production"),
        ]
        return render("Overview", template: "detail", ["fields": fields], session: session)
    }

    @Sendable func invariantsPage(_ request: Request, context: AppRequestContext, session: DashboardSession) async throws -> Response {
        let status = try await invariantStatus()
        return render("Ledger invariants", template: "invariants", [
            "tone": status.ok ? "ok" : "bad",
            "statusText": status.ok ? "OK: debits = credits, no negative available balance" : "BROKEN",
            "checkedAt": status.checkedAt,
            "turnover": status.turnover.map { line -> [String: Any] in
                ["currency": line.currency, "debitsMinor": line.debitsMinor, "creditsMinor": line.creditsMinor,
                 "balanced": line.balanced ? "yes" : "NO"]
            }, "violations": status.violations,
            "violationCount": status.violationCount,
        ], session: session)
    }

    @Sendable func invariantsJSON(_ request: Request, context: AppRequestContext, session: DashboardSession) async throws -> Response {
        var response = JSONBody.response(try await invariantStatus())
        response.headers[.cacheControl] = "no-store"
        return response
    }

    func invariantStatus() async throws -> LedgerInvariantStatus {
        let now = services.clock.now()
        return try await services.store.read { db in try await LedgerInvariantStatus.check(now: now, in: db) }
    }
}

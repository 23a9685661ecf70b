import Foundation
import FreedomPayCore
import HTTPTypes
import Hummingbird
import Mustache

/// The operator dashboard under `/dashboard/`: server-rendered HTML behind its own login (operators, not
/// partners or merchants). Not part of the public API document. Pages are GET; every state change is a POST
/// carrying the session's CSRF token.
struct DashboardRoutes: Sendable {
    static let cookieName = "fp_dashboard"
    let services: AppServices
    let operators = OperatorRepository()
    let queries = DashboardQueries()
    let throttle = LoginThrottle()

    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response
    typealias SessionHandler = @Sendable (Request, AppRequestContext, DashboardSession) async throws -> Response
    typealias FormHandler = @Sendable (Request, AppRequestContext, DashboardSession, [String: String]) async throws -> Response

    func register(on router: Router<AppRequestContext>) {
        let group = router.group("dashboard")
        group.get("login", use: loginPage)
        group.post("login", use: login)
        group.post("logout", use: form(logout))
        group.get(use: page(overview))
        group.get("invariants", use: page(invariantsPage))
        group.get("invariants.json", use: page(invariantsJSON))
        group.get("invariants.js") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-store"],
                     body: .init(byteBuffer: .init(string: DashboardTemplates.invariantsScript)))
        }
        registerListings(on: group)
        registerDetails(on: group)
    }

    // MARK: Sessions

    /// The live session named by the request's cookie, if any.
    func session(_ request: Request) async throws -> DashboardSession? {
        guard let token = request.cookies[Self.cookieName]?.value, !token.isEmpty else { return nil }
        let now = services.clock.now()
        return try await services.store.read { db in try await operators.session(token: token, now: now, in: db) }
    }

    /// A GET page that needs a session: without one, HTML pages redirect to the login, JSON answers 401.
    func page(_ handler: @escaping SessionHandler) -> Handler {
        { request, context in
            guard let session = try await session(request) else {
                if request.uri.path.hasSuffix(".json") {
                    return Self.response(status: .unauthorized, contentType: "application/json", body: #"{"error":"login required"}"#)
                }
                return Self.redirect("/dashboard/login")
            }
            return try await handler(request, context, session)
        }
    }

    /// A POST form that needs a session and the session's CSRF token: 401 without a session, 403 without the token.
    func form(_ handler: @escaping FormHandler) -> Handler {
        { request, context in
            guard let session = try await session(request) else {
                return render("Login required", template: "message", ["tone": "bad", "text": "Log in first.", "back": "login"], session: nil,
                              status: .unauthorized)
            }
            let fields = try await Self.formFields(request)
            guard session.acceptsCSRF(fields["csrf"]) else {
                return render("Forbidden", template: "message",
                              ["tone": "bad", "text": "The form's CSRF token is missing or wrong; reload the page and try again."],
                              session: session, status: .forbidden)
            }
            return try await handler(request, context, session, fields)
        }
    }

    /// The urlencoded fields of a form body (at most 64 KiB; later duplicates win).
    static func formFields(_ request: Request) async throws -> [String: String] {
        let body = try await request.body.collect(upTo: 64 * 1024)
        var components = URLComponents()
        components.percentEncodedQuery = String(buffer: body).replacingOccurrences(of: "+", with: "%20")
        var fields: [String: String] = [:]
        for item in components.queryItems ?? [] { fields[item.name] = item.value ?? "" }
        return fields
    }

    // MARK: Rendering

    /// Renders `template` with `model` inside the layout. `model` also gets the session's CSRF token.
    func render(_ title: String, template: String, _ model: [String: Any], session: DashboardSession?,
                status: HTTPResponse.Status = .ok, extraHeaders: HTTPFields = [:]) -> Response {
        var model = model
        model["csrf"] = session?.csrfToken ?? ""
        let body = DashboardTemplates.library.render(model, withTemplate: template) ?? ""
        let layout: [String: Any] = [
            "title": title, "style": DashboardTemplates.style, "body": body, "signedIn": session != nil,
            "operator": session?.operatorAccount.username ?? "", "csrf": session?.csrfToken ?? "",
        ]
        var response = Self.response(status: status, contentType: "text/html; charset=utf-8",
                                     body: DashboardTemplates.library.render(layout, withTemplate: "layout") ?? "")
        response.headers.append(contentsOf: extraHeaders)
        return response
    }

    static func response(status: HTTPResponse.Status, contentType: String, body: String) -> Response {
        Response(status: status, headers: securityHeaders(contentType), body: .init(byteBuffer: .init(string: body)))
    }

    /// No caching (pages show secrets once and live data), no framing, scripts and forms from this origin only.
    static func securityHeaders(_ contentType: String) -> HTTPFields {
        var headers: HTTPFields = [.contentType: contentType, .cacheControl: "no-store"]
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'self'; style-src 'unsafe-inline'; script-src 'self'; form-action 'self'; frame-ancestors 'none'"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return headers
    }

    static func redirect(_ location: String) -> Response {
        var headers = securityHeaders("text/plain; charset=utf-8")
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    static func paging(_ request: Request) -> DashboardPaging {
        DashboardPaging(page: request.uri.queryParameters.get("page", as: Int.self) ?? 0)
    }

    func notFound(_ what: String, session: DashboardSession) -> Response {
        render("Not found", template: "message", ["tone": "bad", "text": "No such \(what)."], session: session, status: .notFound)
    }
}

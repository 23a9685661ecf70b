import FreedomPayWire
import Hummingbird

/// `GET /docs`: the API reference as one self-contained HTML page (no scripts, no external assets), rendered
/// from the same route table as `/openapi.json`, with how each API is signed.
enum APIDocsPage {
    static let schemes: [(APIRoute.API, String, String)] = [
        (.cardAPI, "Card API", """
            JSON, POST only. <code>X-JWS-Signature: &lt;b64url header&gt;..&lt;b64url HMAC-SHA512&gt;</code>; header
            <code>{"uri","auth_id","method","params","alg":"HS512"}</code>; signing input = header segment + "." +
            base64url(raw body). Legacy variant: <code>Auth-Id</code>, <code>Request-Id</code>,
            <code>Sign = hex(sha256(raw body + secret))</code>. Errors: <code>{"status":"error","request_status":"error","error_code","error_description","dt"}</code>.
            """),
        (.giftCards, "Gift cards", "Card API signatures; answers carry an integer <code>status</code> (0 = success) and <code>datetime</code>."),
        (.sandbox, "Sandbox", "Card API signatures; only in sandbox mode: fund the settlement account, read the SMS inbox, move the clock."),
        (.partnerAPI, "Partner API", """
            JSON, POST only, detached JWS with <code>alg: HS256</code> over the raw body. Errors: integer <code>error_code</code>
            (string on E-Money <code>/wallet</code> routes).
            """),
        (.merchantAPI, "Merchant API", """
            Form data, multipart or <code>pg_xml</code>; <code>pg_sig = md5(script;values sorted by name;secret)</code>
            with the payment secret (payout routes under <code>/api</code>: the payout secret). XML answers signed the same way.
            """),
        (.page, "Hosted pages", "Pages for buyers' and recipients' browsers; no signature."),
        (.service, "Service", "Unsigned."),
    ]

    static func html() -> String {
        var sections = ""
        for (api, title, description) in schemes {
            let rows = APIRouteTable.routes.filter { $0.api == api }.map { route in
                "<tr><td>\(route.method)</td><td><code>\(PGXML.escape(route.path))</code></td><td>\(PGXML.escape(route.summary))</td></tr>"
            }.joined()
            guard !rows.isEmpty else { continue }
            sections += "<h2>\(title)</h2><p>\(description)</p><table><tr><th>Method</th><th>Path</th><th>What it does</th></tr>\(rows)</table>"
        }
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>FreedomPay-Swift API reference</title>
            <style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}
            table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
            code{background:#f4f4f4;padding:0 .2rem}</style></head><body>
            <h1>FreedomPay-Swift API reference</h1>
            <p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Inferred parts of the wire format are listed in docs/COMPATIBILITY.md.</p>
            \(sections)</body></html>
            """
    }

    static func register(on router: Router<AppRequestContext>) {
        let page = html()
        router.get("docs") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: .init(string: page)))
        }
    }
}

import FreedomPayCore
import FreedomPayWire
import HTTPTypes
import Hummingbird

/// Server-rendered pages of the hosted payment flow: no external assets, every step works with JavaScript off.
enum PaymentPageHTML {
    static func escape(_ text: String) -> String { PGXML.escape(text) }

    static func response(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                      HTTPField.Name("Content-Security-Policy")!: "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action *"],
            body: .init(byteBuffer: .init(string: html)))
    }

    static func page(title: String, _ body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;padding:24px;color:#1d1f23}
        main{max-width:420px;margin:0 auto;background:#fff;border-radius:8px;padding:24px;box-shadow:0 1px 4px rgba(0,0,0,.12)}
        h1{font-size:20px;margin:0 0 16px} .amount{font-size:28px;font-weight:600;margin:8px 0 16px}
        label{display:block;margin:12px 0 4px;font-weight:500} input{width:100%;box-sizing:border-box;padding:10px;font-size:16px;border:1px solid #b8bcc4;border-radius:4px}
        .row{display:flex;gap:12px} .row div{flex:1} .error{color:#b00020;font-size:14px;margin-top:4px}
        .summary{background:#fdecee;color:#b00020;padding:10px;border-radius:4px;margin-bottom:12px}
        button{margin-top:20px;width:100%;padding:12px;font-size:16px;background:#0a7d3b;color:#fff;border:0;border-radius:4px;cursor:pointer}
        .muted{color:#5f6570;font-size:14px}
        </style></head><body><main>
        \(body)
        </main></body></html>
        """
    }

    static func header(_ payment: PurchasePayment, merchantName: String) -> String {
        """
        <p class="muted">Payment to <strong id="merchant">\(escape(merchantName))</strong></p>
        <p id="description">\(escape(payment.description))</p>
        <p class="amount" id="amount">\(escape(PGAmount.render(payment.amountMinor))) \(escape(payment.currency))</p>
        """
    }

    /// The card form; `problems` from a rejected submission are shown beside their fields.
    static func cardForm(_ payment: PurchasePayment, merchantName: String, token: String, problems: CardEntry.Problems? = nil, holder: String = "") -> String {
        func error(_ field: String) -> String {
            problems?.message(for: field).map { "<div class=\"error\" id=\"error-\(field)\">\(escape($0))</div>" } ?? ""
        }
        let summary = problems.map { _ in "<div class=\"summary\" role=\"alert\">Please correct the highlighted fields.</div>" } ?? ""
        return page(title: "Payment", """
            <h1>Card payment</h1>
            \(header(payment, merchantName: merchantName))
            \(summary)
            <form method="post" action="/pay/\(escape(token))" autocomplete="off">
            <label for="card_number">Card number</label>
            <input id="card_number" name="card_number" inputmode="numeric" maxlength="23" required>
            \(error("card_number"))
            <div class="row"><div>
            <label for="expiry">Expiry (MM/YY)</label>
            <input id="expiry" name="expiry" placeholder="MM/YY" maxlength="7" required>
            \(error("expiry"))
            </div><div>
            <label for="cvv">CVV/CVC</label>
            <input id="cvv" name="cvv" inputmode="numeric" maxlength="3" type="password" required>
            \(error("cvv"))
            </div></div>
            <label for="holder">Cardholder name</label>
            <input id="holder" name="holder" value="\(escape(holder))" required>
            \(error("holder"))
            <button type="submit" id="pay">Pay \(escape(PGAmount.render(payment.amountMinor))) \(escape(payment.currency))</button>
            </form>
            """)
    }

    static func threeDSecure(_ payment: PurchasePayment, merchantName: String, token: String, message: String?) -> String {
        let warning = message.map { "<div class=\"summary\" role=\"alert\" id=\"error-code\">\(escape($0))</div>" } ?? ""
        return page(title: "3-D Secure", """
            <h1>3-D Secure confirmation</h1>
            \(header(payment, merchantName: merchantName))
            <p class="muted">Card \(escape(payment.card?.mask ?? "")). Enter the one-time code sent by your bank (sandbox: \(TestCards.threeDSecureCode)).</p>
            \(warning)
            <form method="post" action="/pay/\(escape(token))/3ds" autocomplete="off">
            <label for="code">Confirmation code</label>
            <input id="code" name="code" inputmode="numeric" maxlength="6" required>
            <button type="submit" id="confirm">Confirm</button>
            </form>
            """)
    }

    static func result(title: String, message: String, link: String?) -> String {
        let back = link.map { "<p><a href=\"\(escape($0))\">Return to the store</a></p>" } ?? ""
        return page(title: title, "<h1 id=\"result\">\(escape(title))</h1><p>\(escape(message))</p>\(back)")
    }

    /// Redirect back with POST: a form the browser submits itself (script) or on a click (no JavaScript).
    static func postRedirect(url: String, parameters: [PGParameter]) -> String {
        let inputs = parameters.compactMap { parameter -> String? in
            guard case .text(let value) = parameter.value else { return nil }
            return "<input type=\"hidden\" name=\"\(escape(parameter.name))\" value=\"\(escape(value))\">"
        }.joined(separator: "\n")
        return page(title: "Returning to the store", """
            <h1>Returning to the store…</h1>
            <form method="post" action="\(escape(url))" id="back">
            \(inputs)
            <button type="submit">Continue</button>
            </form>
            <script>document.getElementById('back').submit()</script>
            """)
    }
}

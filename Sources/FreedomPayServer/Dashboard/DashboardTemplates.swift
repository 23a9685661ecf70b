import Mustache

/// The dashboard's Mustache templates, bundled as constants: no files to ship, no external assets.
/// Every value goes through `{{...}}`, which HTML-escapes; the single `{{{body}}}` in the layout inserts
/// the output of another template of this library, itself escaped when rendered.
enum DashboardTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [("layout", layout), ("login", login), ("listing", listing), ("detail", detail),
                             ("secret", secret), ("invariants", invariants), ("message", message), ("table", table)] {
            do {
                try library.register(text, named: name)
            } catch {
                preconditionFailure("dashboard template \(name) does not parse: \(error)")
            }
        }
        return library
    }()

    static let style = """
        body{font-family:system-ui,sans-serif;margin:0;color:#1d2733;background:#f5f7fa}
        header{background:#1d2733;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
        header a{color:#cfe3ff;text-decoration:none}header strong{margin-right:1rem}
        header form{margin-left:auto}main{padding:1rem}
        table{border-collapse:collapse;background:#fff;width:100%;font-size:.9rem}
        th,td{border:1px solid #dde3ea;padding:.3rem .5rem;text-align:left;vertical-align:top}
        th{background:#eef2f6}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem;background:#fff;padding:1rem}
        dt{font-weight:600}dd{margin:0}.ok{color:#16794c;font-weight:700}.bad{color:#b3261e;font-weight:700}
        .secret{font-family:monospace;font-size:1.2rem;background:#fff3c4;padding:.5rem;display:inline-block}
        .pager{margin:.5rem 0;display:flex;gap:1rem}button{cursor:pointer}pre{background:#fff;padding:.5rem;white-space:pre-wrap}
        """

    static let layout = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{{title}} · FreedomPay dashboard</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"><style>{{style}}</style></head>
        <body><header><strong>FreedomPay</strong>
        {{#signedIn}}
        <a href="/dashboard/">Overview</a><a href="/dashboard/partners">Partners</a><a href="/dashboard/merchants">Merchants</a>
        <a href="/dashboard/clients">Clients</a><a href="/dashboard/cards">Cards</a><a href="/dashboard/transactions">Card transactions</a>
        <a href="/dashboard/payments">Payments</a><a href="/dashboard/payouts">Payouts</a><a href="/dashboard/callbacks">Callbacks</a>
        <a href="/dashboard/sms">SMS inbox</a><a href="/dashboard/invariants">Ledger invariants</a>
        <form method="post" action="/dashboard/logout"><input type="hidden" name="csrf" value="{{csrf}}">
        <span>{{operator}}</span> <button type="submit" id="logout">Log out</button></form>
        {{/signedIn}}
        </header><main><h1>{{title}}</h1>{{{body}}}</main></body></html>
        """

    static let login = """
        {{#error}}<p class="bad" id="login-error">{{error}}</p>{{/error}}
        <form method="post" action="/dashboard/login">
        <p><label>Username <input name="username" id="username" autocomplete="username" required></label></p>
        <p><label>Password <input name="password" id="password" type="password" autocomplete="current-password" required></label></p>
        <p><button type="submit" id="login">Log in</button></p></form>
        """

    static let listing = """
        {{#searchable}}<form method="get"><input name="q" id="q" value="{{query}}" placeholder="card id, client id or last digits">
        <button type="submit" id="search">Find</button></form>{{/searchable}}
        {{#listing}}{{> table}}{{/listing}}
        """

    static let table = """
        {{#heading}}<h2>{{heading}}</h2>{{/heading}}
        <table><thead><tr>{{#columns}}<th>{{.}}</th>{{/columns}}{{#hasActions}}<th>Actions</th>{{/hasActions}}</tr></thead><tbody>
        {{#rows}}<tr>{{#cells}}<td>{{#link}}<a href="/dashboard/{{link}}">{{text}}</a>{{/link}}{{^link}}{{text}}{{/link}}</td>{{/cells}}
        {{#hasActions}}<td>{{#actions}}<form method="post" action="/dashboard/{{path}}" style="display:inline">
        <input type="hidden" name="csrf" value="{{csrf}}">{{#field}}<input type="hidden" name="{{name}}" value="{{value}}">{{/field}}
        <button type="submit" class="{{id}}">{{label}}</button></form> {{/actions}}</td>{{/hasActions}}</tr>{{/rows}}
        {{^rows}}<tr><td colspan="{{span}}">Nothing yet.</td></tr>{{/rows}}
        </tbody></table>
        <div class="pager">{{#previous}}<a href="{{previous}}">← newer</a>{{/previous}}<span>page {{pageNumber}}</span>
        {{#next}}<a href="{{next}}" id="next">older →</a>{{/next}}</div>
        """

    static let detail = """
        <dl>{{#fields}}<dt>{{name}}</dt><dd>{{value}}</dd>{{/fields}}</dl>
        {{#actions}}<form method="post" action="/dashboard/{{path}}"><input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit" id="{{id}}">{{label}}</button></form>{{/actions}}
        {{#preformatted}}<h2>{{heading}}</h2><pre>{{text}}</pre>{{/preformatted}}
        {{#tables}}{{> table}}{{/tables}}
        """

    static let secret = """
        <p>The new {{kind}} of {{owner}} is shown <strong>once</strong>: copy it now. The previous secret no longer works.</p>
        <p><span class="secret" id="new-secret">{{secret}}</span></p><p><a href="/dashboard/{{back}}">Back</a></p>
        """

    static let message = """
        <p class="{{tone}}" id="message">{{text}}</p>{{#back}}<p><a href="/dashboard/{{back}}">Back</a></p>{{/back}}
        """

    static let invariants = """
        <p>Status: <span id="invariant-status" class="{{tone}}">{{statusText}}</span> (checked <span id="checked-at">{{checkedAt}}</span>,
        refreshed every 5 s)</p>
        <table><thead><tr><th>Currency</th><th>Debits (minor)</th><th>Credits (minor)</th><th>Balanced</th></tr></thead>
        <tbody id="turnover">{{#turnover}}<tr><td>{{currency}}</td><td>{{debitsMinor}}</td><td>{{creditsMinor}}</td><td>{{balanced}}</td></tr>{{/turnover}}</tbody></table>
        <h2>Violations (<span id="violation-count">{{violationCount}}</span>)</h2>
        <ul id="violations">{{#violations}}<li>{{.}}</li>{{/violations}}</ul>
        <script src="/dashboard/invariants.js"></script>
        """

    /// Polls `/dashboard/invariants.json` and updates the status in place (text only, never HTML).
    static let invariantsScript = """
        async function refresh() {
          try {
            const answer = await fetch('/dashboard/invariants.json', {credentials: 'same-origin'});
            if (!answer.ok) return;
            const status = await answer.json();
            const label = document.getElementById('invariant-status');
            label.textContent = status.ok ? 'OK: debits = credits, no negative available balance' : 'BROKEN';
            label.className = status.ok ? 'ok' : 'bad';
            document.getElementById('checked-at').textContent = status.checked_at;
            document.getElementById('violation-count').textContent = status.violation_count;
            const list = document.getElementById('violations');
            list.replaceChildren(...status.violations.map(text => { const item = document.createElement('li'); item.textContent = text; return item; }));
          } catch (error) {}
        }
        setInterval(refresh, 5000);
        """
}

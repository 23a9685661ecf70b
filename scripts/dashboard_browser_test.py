#!/usr/bin/env python3
"""Headless-Chromium test of the operator dashboard (used by scripts/browser-test.sh).

Expects a running sandbox server (base URL + data folder with sandbox-credentials.json), the path to Chromium and
the freedompay binary. Creates an operator with `freedompay operators create --password-stdin`, issues a card
through the Card API, pays a purchase on the hosted page whose Result notify goes to a local receiver, then in the
browser: logs in, finds the card (masked PAN only), opens the purchase's callback and presses "Redeliver", and checks
the receiver got the callback a second time, correctly signed. Standard library only; reuses browser_test.py's
DevTools client.
"""
import base64, hashlib, hmac, json, os, re, subprocess, sys, tempfile, threading, time, urllib.parse, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_test import DevTools, merchant_call, sign, wait_for  # noqa: E402

OPERATOR, PASSWORD = "browser-ops", "dashboard-browser-" + os.urandom(6).hex()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def card_api(base, route, body, auth_id, secret):
    """A Card API call signed with a detached JWS HS512 (card-api.md), as a partner sends it."""
    path = "/v5/card-api/" + route
    payload = json.dumps(body).encode()
    header = b64url(json.dumps({"uri": path, "auth_id": auth_id, "method": "POST", "params": "", "alg": "HS512"}).encode())
    signing_input = (header + "." + b64url(payload)).encode()
    signature = b64url(hmac.new(secret.encode(), signing_input, hashlib.sha512).digest())
    request = urllib.request.Request(base + path, data=payload, headers={
        "Content-Type": "application/json", "X-JWS-Signature": header + ".." + signature})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def issue_card(base, credentials):
    auth = (credentials["auth_id"], credentials["secret"])
    client = card_api(base, "client/add", {"request_id": os.urandom(8).hex(), "product_id": 2000, "client": {
        "phone": 77077070707, "type": 1, "resident": 1, "first_name": "BROWSER", "last_name": "TEST"}}, *auth)
    assert client.get("client_id"), client
    request_id = os.urandom(8).hex()
    issued = card_api(base, "card/issue", {"request_id": request_id, "product_id": 2000, "client_id": client["client_id"]}, *auth)
    assert issued.get("status") == "ok", issued
    status = card_api(base, "request/status", {"request_id": request_id}, *auth)
    return status["cards"][0]["card_id"]


class Receiver:
    """The merchant's result URL: records each notify, checks its pg_sig, answers signed `ok` XML."""

    def __init__(self, secret):
        self.secret, self.received = secret, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                fields = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
                script = self.path.split("?")[0].rsplit("/", 1)[-1]
                unsigned = {k: v for k, v in fields.items() if k != "pg_sig"}
                fields["_signature_valid"] = sign(script, unsigned, receiver.secret) == fields.get("pg_sig")
                receiver.received.append(fields)
                reply = {"pg_status": "ok", "pg_description": "Order accepted", "pg_salt": os.urandom(4).hex()}
                reply["pg_sig"] = sign(script, reply, receiver.secret)
                xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><response>" + "".join(
                    f"<{k}>{v}</{k}>" for k, v in reply.items()) + "</response>"
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                self.end_headers()
                self.wfile.write(xml.encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/shop/result"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def pay_with_callback(devtools, base, credentials, result_url):
    """A purchase paid with the frictionless test card on the real hosted page; returns its payment id."""
    merchant_id, secret = credentials["merchant_id"], credentials["payment_secret"]
    success_url = base + "/status/healthcheck"
    created = merchant_call(base, "/init_payment.php", {
        "pg_amount": "2500", "pg_description": "Dashboard browser test", "pg_order_id": "DB-" + os.urandom(4).hex(),
        "pg_success_url": success_url, "pg_failure_url": success_url + "?failed=1", "pg_result_url": result_url,
        "pg_request_method": "POST",
    }, merchant_id, secret)
    assert created.get("pg_status") == "ok", created
    devtools.call("Page.navigate", url=created["pg_redirect_url"])
    wait_for(lambda: devtools.evaluate("!!document.getElementById('card_number')"), 15, "the payment form")
    devtools.evaluate("""(() => {
        const set = (id, v) => { document.getElementById(id).value = v; };
        set('card_number', '4716 0472 6194 1981'); set('expiry', '12/39'); set('cvv', '123'); set('holder', 'Browser Test');
        document.getElementById('pay').click(); return true; })()""")
    wait_for(lambda: (devtools.evaluate("location.href") or "").startswith(success_url + "?"), 15, "the success URL")
    return created["pg_payment_id"]


def screenshot(devtools, name):
    """With DASHBOARD_SCREENSHOTS=DIR set, saves a PNG of the current page there (for a person to look at)."""
    folder = os.environ.get("DASHBOARD_SCREENSHOTS")
    if folder:
        data = devtools.call("Page.captureScreenshot", format="png")["data"]
        with open(os.path.join(folder, name + ".png"), "wb") as file:
            file.write(base64.b64decode(data))


def open_page(devtools, url, ready_js, what):
    devtools.call("Page.navigate", url=url)
    wait_for(lambda: devtools.evaluate(ready_js), 15, what)


def dashboard_flow(devtools, base, card_id, payment_id, receiver):
    open_page(devtools, base + "/dashboard/login", "!!document.getElementById('password')", "the login form")
    devtools.evaluate("""(() => { document.getElementById('username').value = %s; document.getElementById('password').value = %s;
        document.getElementById('login').click(); return true; })()""" % (json.dumps(OPERATOR), json.dumps(PASSWORD)))
    wait_for(lambda: devtools.evaluate("document.title.startsWith('Overview')"), 15, "the overview after login")

    open_page(devtools, base + "/dashboard/cards", "!!document.getElementById('q')", "the cards page")
    devtools.evaluate("(() => { document.getElementById('q').value = %s; document.getElementById('search').click(); return true; })()"
                      % json.dumps(card_id))
    # The search is a GET form: wait for its results page, not the list shown before it (which may hold the card
    # too, and is torn down by the navigation while being read).
    wait_for(lambda: devtools.evaluate("location.search.includes('q=') && document.readyState === 'complete'"), 15,
             "the search results page")
    row = wait_for(lambda: devtools.evaluate("""(() => { const link = [...document.querySelectorAll('td a')]
        .find(a => a.textContent === %s); return link ? link.closest('tr').innerText : null; })()""" % json.dumps(card_id)),
        15, "the card's row")
    assert re.search(r"\d{4,6}[*X]+\d{4}", row), "card row shows a masked PAN: " + row
    assert "0.00 KZT" in row and "activated" in row, row
    screenshot(devtools, "cards")
    body = wait_for(lambda: devtools.evaluate("document.body.innerText"), 15, "the cards page text")
    assert not re.search(r"\d{16}", body.replace(" ", "")), "no full PAN on the page"

    open_page(devtools, base + "/dashboard/callbacks?subject=" + payment_id,
              "!!document.querySelector('td a[href^=\"/dashboard/callbacks/\"]')", "the payment's callback in the log")
    devtools.evaluate("document.querySelector('td a[href^=\"/dashboard/callbacks/\"]').click()")
    wait_for(lambda: devtools.evaluate("!!document.getElementById('redeliver')"), 15, "the callback page")
    assert "pg_payment_id=" + payment_id in devtools.evaluate("document.body.innerText")
    screenshot(devtools, "callback")
    devtools.evaluate("document.getElementById('redeliver').click()")
    wait_for(lambda: len(receiver.received) >= 2, 20, "the redelivered callback")
    first, again = receiver.received[0], receiver.received[1]
    assert again["_signature_valid"] and again.get("pg_payment_id") == payment_id, again
    assert again.get("pg_can_reject") == "0" and first.get("pg_can_reject") == "1", (first, again)

    open_page(devtools, base + "/dashboard/invariants", "!!document.getElementById('invariant-status')", "the invariants page")
    assert devtools.evaluate("document.getElementById('invariant-status').className") == "ok"
    screenshot(devtools, "invariants")
    # Live status: the page's script polls /dashboard/invariants.json and updates the check time in place.
    first_check = devtools.evaluate("document.getElementById('checked-at').textContent")
    wait_for(lambda: devtools.evaluate("document.getElementById('checked-at').textContent") != first_check, 15,
             "the invariant status to refresh itself")


def launch_chromium(chromium):
    port = 9800 + os.getpid() % 150
    profile = tempfile.mkdtemp(prefix="fp-dashboard-chromium-")
    browser = subprocess.Popen([chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                f"--remote-debugging-port={port}", f"--user-data-dir={profile}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def page_target():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=2) as response:
                return next((t for t in json.load(response) if t.get("type") == "page"), None)
        except OSError:
            return None
    return browser, DevTools(wait_for(page_target, 30, "Chromium DevTools")["webSocketDebuggerUrl"])


def main():
    base, data_dir, chromium, binary = sys.argv[1:5]
    credentials = json.load(open(os.path.join(data_dir, "sandbox-credentials.json")))
    subprocess.run([binary, "operators", "create", "--data", data_dir, "--username", OPERATOR, "--password-stdin"],
                   input=PASSWORD + "\n", text=True, check=True, timeout=120)
    card_id = issue_card(base, credentials)
    receiver = Receiver(credentials["payment_secret"])
    browser, devtools = launch_chromium(chromium)
    try:
        payment_id = pay_with_callback(devtools, base, credentials, receiver.url)
        wait_for(lambda: len(receiver.received) >= 1, 20, "the first Result notify")
        dashboard_flow(devtools, base, card_id, payment_id, receiver)
        print(f"dashboard browser test passed: card {card_id} found masked, callback of payment {payment_id} redelivered")
    finally:
        browser.terminate()
        browser.wait(timeout=10)
        receiver.server.shutdown()


if __name__ == "__main__":
    main()

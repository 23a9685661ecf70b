#!/usr/bin/env python3
"""Headless-Chromium test of the hosted payment page (used by scripts/browser-test.sh).

Starts nothing itself: expects a running sandbox server (base URL + data folder with sandbox-credentials.json),
creates a payment with a signed init_payment.php call, opens pg_redirect_url in Chromium through the DevTools
protocol, types the test card into the form, submits it, and checks the browser lands on pg_success_url and the
payment status is success. Standard library only (a minimal WebSocket client is included).
"""
import base64, hashlib, json, os, socket, struct, subprocess, sys, tempfile, time, urllib.parse, urllib.request
import xml.etree.ElementTree as ET


def sign(script, params, secret):
    values = [v for _, v in sorted(params.items())]
    return hashlib.md5(";".join([script] + values + [secret]).encode()).hexdigest()


def merchant_call(base, path, params, merchant_id, secret):
    params = dict(params, pg_merchant_id=merchant_id, pg_salt=os.urandom(6).hex())
    params["pg_sig"] = sign(path.rsplit("/", 1)[-1], params, secret)
    body = urllib.parse.urlencode(params).encode()
    with urllib.request.urlopen(urllib.request.Request(base + path, data=body), timeout=10) as response:
        return {child.tag: (child.text or "") for child in ET.fromstring(response.read())}


class DevTools:
    """Just enough of a WebSocket client (RFC 6455, unmasked server frames, masked client frames) for CDP."""

    def __init__(self, ws_url):
        parsed = urllib.parse.urlparse(ws_url)
        self.sock = socket.create_connection((parsed.hostname, parsed.port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {parsed.path} HTTP/1.1\r\nHost: {parsed.hostname}:{parsed.port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        header = b""
        while b"\r\n\r\n" not in header:
            header += self.sock.recv(1)
        if b" 101 " not in header.split(b"\r\n")[0]:
            raise RuntimeError("DevTools WebSocket handshake failed: " + header.decode(errors="replace"))
        self.next_id = 0

    def _recv_exact(self, count):
        data = b""
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                raise RuntimeError("DevTools connection closed")
            data += chunk
        return data

    def _recv_message(self):
        first, second = self._recv_exact(2)
        length = second & 0x7F
        if length == 126:
            length = struct.unpack(">H", self._recv_exact(2))[0]
        elif length == 127:
            length = struct.unpack(">Q", self._recv_exact(8))[0]
        return json.loads(self._recv_exact(length))

    def call(self, method, **params):
        self.next_id += 1
        payload = json.dumps({"id": self.next_id, "method": method, "params": params}).encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        header += bytes([0x80 | len(payload)]) if len(payload) < 126 else bytes([0x80 | 126]) + struct.pack(">H", len(payload))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        for _ in range(1000):  # events arrive between answers; bounded
            message = self._recv_message()
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
        raise RuntimeError(f"no answer to {method}")

    def evaluate(self, expression):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True).get("result", {}).get("value")


def wait_for(predicate, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise RuntimeError("timed out waiting for " + what)


def pay(devtools, base, merchant_id, secret, card, three_ds, expect_success):
    """One purchase through the real hosted form: returns the landing URL after checking the outcome."""
    success_url, failure_url = base + "/status/healthcheck", base + "/status/healthcheck?failed=1"
    created = merchant_call(base, "/init_payment.php", {
        "pg_amount": "1500", "pg_description": "Browser test order", "pg_order_id": "BT-" + os.urandom(4).hex(),
        "pg_success_url": success_url, "pg_failure_url": failure_url,
    }, merchant_id, secret)
    assert created.get("pg_status") == "ok", created
    devtools.call("Page.navigate", url=created["pg_redirect_url"])
    wait_for(lambda: devtools.evaluate("!!document.getElementById('card_number')"), 15, "the payment form")
    assert devtools.evaluate("document.getElementById('amount').textContent.trim()") == "1500 KZT"
    devtools.evaluate("""(() => {
        const set = (id, v) => { document.getElementById(id).value = v; };
        set('card_number', '%s'); set('expiry', '12/39'); set('cvv', '123'); set('holder', 'Browser Test');
        document.getElementById('pay').click(); return true; })()""" % card)
    if three_ds:
        wait_for(lambda: devtools.evaluate("!!document.getElementById('code')"), 15, "the 3-D Secure page")
        devtools.evaluate("""(() => { document.getElementById('code').value = '111111';
            document.getElementById('confirm').click(); return true; })()""")
    target = success_url + "?" if expect_success else failure_url + "&"
    landed = wait_for(lambda: (lambda href: href if href and href.startswith(target) else None)(
        devtools.evaluate("location.href")), 15, "the success URL" if expect_success else "the failure URL")
    query = urllib.parse.parse_qs(urllib.parse.urlparse(landed).query)
    assert query["pg_payment_id"] == [created["pg_payment_id"]], landed
    status = merchant_call(base, "/get_status3.php", {"pg_payment_id": created["pg_payment_id"]}, merchant_id, secret)
    expected = "success" if expect_success else "error"
    assert status.get("pg_payment_status") == expected, status
    print("browser test:", card[-4:], "3DS" if three_ds else "", "->", expected, "payment", created["pg_payment_id"])
    return status


def main():
    base, data_dir, chromium = sys.argv[1], sys.argv[2], sys.argv[3]
    credentials = json.load(open(os.path.join(data_dir, "sandbox-credentials.json")))
    merchant_id, secret = credentials["merchant_id"], credentials["payment_secret"]
    port = 9300 + os.getpid() % 500
    profile = tempfile.mkdtemp(prefix="fp-chromium-")
    browser = subprocess.Popen([chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                f"--remote-debugging-port={port}", f"--user-data-dir={profile}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def page_target():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=2) as response:
                    return next((t for t in json.load(response) if t.get("type") == "page"), None)
            except OSError:
                return None
        devtools = DevTools(wait_for(page_target, 30, "Chromium DevTools")["webSocketDebuggerUrl"])
        paid = pay(devtools, base, merchant_id, secret, "4716 0472 6194 1981", three_ds=False, expect_success=True)
        assert paid.get("pg_card_pan") == "4716-04XX-XXXX-1981", paid
        pay(devtools, base, merchant_id, secret, "4916 1098 3083 2246", three_ds=False, expect_success=False)
        pay(devtools, base, merchant_id, secret, "4916 3074 1633 4310", three_ds=True, expect_success=True)
        print("browser test passed: success, decline and 3-D Secure cards followed their paths")
    finally:
        browser.terminate()
        browser.wait(timeout=10)


if __name__ == "__main__":
    main()

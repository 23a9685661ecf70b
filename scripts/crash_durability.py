#!/usr/bin/env python3
"""Crash durability: signed card and payout load against `freedompay serve` on SQLite, SIGKILLed at random moments.

Every operation (card credit, debit = authorisation hold, clearing of an earlier debit; merchant reg2reg payout to a
saved payout card) has a fixed request_id / pg_order_id and body; when the server dies mid-request the client retries
the SAME request after restart, as a partner or merchant would. After --kills kills the script checks:
  * every card operation that received a 2xx is known to request/status with the same outcome, and every payout
    answered `pg_status ok` is reported by payment_status2 with the same pg_payment_id;
  * nothing ran twice: every operation is re-sent once more (identical retry = replay, same transaction or payment
    id); the card's posted and held balances and the merchant's payout balance equal exactly what the acknowledged
    operations imply, and the merchant has exactly one payout per acknowledged order id;
  * the ledger invariants hold (every posting sums to zero, stored balances = entries, holds = active holds).
Exit status 1 on any violation. Writes a JSON summary to --summary.
"""
import argparse, base64, datetime, hashlib, hmac, http.client, json, os, random, signal, socket, sqlite3, subprocess
import sys, tempfile, threading, time, urllib.parse, uuid
from pgsig import minor, pg_sign, xml_fields


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Server:
    def __init__(self, binary, data, port):
        self.binary, self.data, self.port, self.process = binary, data, port, None
        self.log = open(os.path.join(data, "server.log"), "ab")

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "serve", "--data", self.data, "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"],
            stdout=self.log, stderr=self.log)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/status/healthcheck")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("server did not start")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


class Client:
    def __init__(self, port, auth_id, secret):
        self.port, self.auth_id, self.secret = port, auth_id, secret

    def post(self, path, body, retry=True):
        """POSTs a JWS-signed body; on a connection failure retries the identical request until answered."""
        raw = json.dumps(body, separators=(",", ":")).encode()
        header = b64u(json.dumps({"uri": path, "auth_id": self.auth_id, "method": "POST", "params": "", "alg": "HS512"},
                                 separators=(",", ":")).encode())
        signature = b64u(hmac.new(self.secret.encode(), (header + "." + b64u(raw)).encode(), hashlib.sha512).digest())
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                connection.request("POST", path, raw, {"Content-Type": "application/json", "X-JWS-Signature": header + ".." + signature})
                response = connection.getresponse()
                return response.status, json.loads(response.read() or b"{}")
            except (OSError, http.client.HTTPException, ValueError):
                if not retry:
                    raise
                time.sleep(0.05)


class MerchantClient:
    """pg_sig-signed Merchant API calls (payout secret); like Client, retries the identical body until answered."""
    # Callbacks go nowhere (connection refused at once); their retries are due long after the run.
    DEAD_LINK = "http://127.0.0.1:9/notify"

    def __init__(self, port, merchant_id, secret):
        self.port, self.merchant_id, self.secret = port, merchant_id, secret

    def sign(self, path, params):
        params = dict(params, pg_merchant_id=str(self.merchant_id), pg_salt=uuid.uuid4().hex[:16])
        params["pg_sig"] = pg_sign(path.rsplit("/", 1)[-1], params, self.secret)
        return params

    def send(self, path, raw, xml=True):
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                connection.request("POST", path, raw, {"Content-Type": "application/x-www-form-urlencoded"})
                response = connection.getresponse()
                body = response.read().decode()
                return response.status, (xml_fields(body) if xml else dict(response.getheaders()))
            except (OSError, http.client.HTTPException, SyntaxError):
                time.sleep(0.05)

    def post(self, path, signed):
        return self.send(path, urllib.parse.urlencode(signed).encode())

    def call(self, path, params):
        return self.post(path, self.sign(path, params))

    def setup(self):
        """Funds the payout balance (sandbox) and saves the success test card (§6.2); answers (funded, token)."""
        funded = minor(self.call("/api/sandbox/fund", {"pg_amount": "10000000"})[1]["pg_balance"])
        base = f"/v1/merchant/{self.merchant_id}/cardstoragepayout"
        _, added = self.call(base + "/add", {"pg_user_id": "payee", "pg_post_link": self.DEAD_LINK, "pg_back_link": "https://shop.example/"})
        page = urllib.parse.urlsplit(added["pg_redirect_url"])
        form = urllib.parse.urlencode({"card_number": "4671593866478252", "expiry": "12/39", "cvv": "123", "holder": "IVAN IVANOV"})
        self.send(page.path + "?" + page.query, form.encode(), xml=False)
        return funded, self.call(base + "/list", {"pg_user_id": "payee"})[1]["card"][0]["pg_card_token"]

    def payout(self, order_id, token):
        limit = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
        return self.sign("/api/reg2reg", {"pg_order_id": order_id, "pg_amount": str(random.randint(1, 50)), "pg_description": "Crash payout",
                                          "pg_order_time_limit": limit, "pg_user_id": "payee", "pg_post_link": self.DEAD_LINK,
                                          "pg_card_token_to": token})


class Load:
    """Operations and what the acknowledged ones imply for the card's and the merchant's balances."""

    def __init__(self, client, card, merchant, token):
        self.client, self.card, self.merchant, self.token = client, card, merchant, token
        self.lock = threading.Lock()
        self.operations = []       # (path, body, http status, answer)
        self.open_debits = []      # (transaction_id, order_id, amount_minor)
        self.stop = threading.Event()

    def one(self):
        kind = random.choice(["credit", "credit", "debit", "debit", "clearing", "payout", "payout"])
        request_id = str(uuid.uuid4())
        if kind == "payout":
            body = self.merchant.payout("crash-po-" + request_id, self.token)
            status, answer = self.merchant.post(PAYOUT, body)
            with self.lock:
                self.operations.append((PAYOUT, body, status, answer))
            return
        if kind == "clearing":
            with self.lock:
                if not self.open_debits:
                    return
                transaction, order, _ = self.open_debits.pop(random.randrange(len(self.open_debits)))
            path, body = "/v5/card-api/transaction/clearing", {"request_id": request_id, "order_id": order, "transaction_id": transaction}
        else:
            amount = random.randint(1, 50 if kind == "debit" else 100)
            path = "/v5/card-api/transaction/create"
            body = {"request_id": request_id, "order_id": "crash-" + request_id[:8], "card_id": self.card,
                    "type": kind, "amount": amount, "currency": "KZT"}
        status, answer = self.client.post(path, body)
        with self.lock:
            self.operations.append((path, body, status, answer))
            if kind == "debit" and answer.get("status") == "ok":
                self.open_debits.append((answer["transaction_id"], body["order_id"], body["amount"] * 100))

    def run(self):
        while not self.stop.is_set():
            self.one()


PAYOUT = "/api/reg2reg"


def paid_out(operations):
    """pg_payment_id -> minor units taken off the merchant's balance (amount + fee), of payouts answered ok."""
    return {answer["pg_payment_id"]: minor(answer["pg_to_pay"]) for path, _, status, answer in operations
            if path == PAYOUT and status == 200 and answer.get("pg_status") == "ok"}


def check_payout(merchant, body, status, answer):
    """An acknowledged payout is reported by payment_status2; an identical retry replays it (nothing paid twice)."""
    problems = []
    order = body["pg_order_id"]
    if status != 200 or answer.get("pg_status") != "ok":
        return [f"payout {order} answered {status} {answer}"]
    _, known = merchant.call("/api/payment_status2", {"pg_order_id": order})
    if (known.get("pg_payment_id"), known.get("pg_payment_status")) != (answer["pg_payment_id"], "success"):
        problems.append(f"acknowledged payout {order} ({answer['pg_payment_id']}) reported as {known}")
    again_status, again = merchant.post(PAYOUT, body)
    if (again_status, again.get("pg_status"), again.get("pg_payment_id")) != (status, "ok", answer["pg_payment_id"]):
        problems.append(f"retry of payout {order} answered {again_status} {again}, first {answer}")
    return problems


def payout_violations(db, merchant_id, funded, operations):
    """One stored payout per acknowledged one, and the merchant's balance = funded - what they took."""
    paid = paid_out(operations)
    stored = {str(row[0]) for row in db.execute("SELECT id FROM payouts WHERE merchant_id = ?", (merchant_id,))}
    problems = []
    if stored != set(paid):
        problems.append(f"{len(paid)} payouts acknowledged, {len(stored)} stored ({len(stored - set(paid))} extra, {len(set(paid) - stored)} lost)")
    row = db.execute("SELECT posted_minor, held_minor FROM ledger_accounts WHERE kind = 'merchant' AND owner = ? AND currency = 'KZT'",
                     (str(merchant_id),)).fetchone()
    if tuple(row or (0, 0)) != (funded - sum(paid.values()), 0):
        problems.append(f"merchant balance (posted, held) {row} but the acknowledged payouts imply {(funded - sum(paid.values()), 0)}")
    return problems


def expected_balance(operations):
    """Posted and held minor units of the card implied by the acknowledged successful operations."""
    debits = {}
    posted = held = 0
    for path, body, status, answer in operations:
        if path == PAYOUT or status != 200 or answer.get("status") != "ok":
            continue
        if path.endswith("create") and body["type"] == "credit":
            posted += body["amount"] * 100
        elif path.endswith("create"):
            debits[answer["transaction_id"]] = body["amount"] * 100
            held += body["amount"] * 100
    for path, body, status, answer in operations:
        if path.endswith("clearing") and status == 200 and answer.get("status") == "ok":
            amount = debits[body["transaction_id"]]
            held -= amount
            posted -= amount
    return posted, held


def ledger_violations(database):
    """The ledger re-checked from the raw rows, independently of the server's own audit: every journal row
    (entries as `accountId:amountMinor;...`) sums to zero per currency and names existing accounts, every
    account's totals equal its entries and active holds, and the history index lists each indexed entry once."""
    db = sqlite3.connect(database)
    accounts = {row[0]: row[1:] for row in db.execute(
        """SELECT a.id, a.account_key, a.currency, a.posted_minor, a.held_minor, a.debited_minor, a.credited_minor,
                  COALESCE((SELECT SUM(h.amount_minor) FROM ledger_holds h WHERE h.account_key = a.account_key AND h.status = 'active'), 0)
           FROM ledger_accounts a""")}
    indexed = db.execute("SELECT indexed_seq FROM ledger_history_progress WHERE id = 1").fetchone()[0]
    problems = []
    posted, debited, credited, indexed_entries = {}, {}, {}, {}
    for seq, posting, entries in db.execute("SELECT seq, id, entries FROM ledger_journal ORDER BY seq"):
        sums = {}
        for entry in entries.split(";"):
            account, amount = (int(part) for part in entry.split(":"))
            if account not in accounts:
                problems.append(f"posting {posting} names missing account #{account}")
                continue
            currency = accounts[account][1]
            sums[currency] = sums.get(currency, 0) + amount
            posted[account] = posted.get(account, 0) + amount
            if amount < 0:
                debited[account] = debited.get(account, 0) - amount
            else:
                credited[account] = credited.get(account, 0) + amount
            if seq <= indexed:
                indexed_entries[account] = indexed_entries.get(account, 0) + 1
        problems += [f"unbalanced posting {posting}: {currency} {total}" for currency, total in sums.items() if total != 0]
    listed = {}
    for account, items in db.execute("SELECT account_id, items FROM ledger_account_history"):
        position = 0
        for item in items.split(","):
            position += int(item.split(":")[0])
            if position <= indexed:
                listed[account] = listed.get(account, 0) + 1
    for account, (key, _, stored_posted, held, stored_debited, stored_credited, holds) in accounts.items():
        if stored_posted != posted.get(account, 0) or held != holds:
            problems.append(f"{key}: posted {stored_posted} vs entries {posted.get(account, 0)}, held {held} vs holds {holds}")
        if (stored_debited, stored_credited) != (debited.get(account, 0), credited.get(account, 0)):
            problems.append(f"{key}: turnover {stored_debited}/{stored_credited} vs entries {debited.get(account, 0)}/{credited.get(account, 0)}")
        if listed.get(account, 0) != indexed_entries.get(account, 0):
            problems.append(f"{key}: history lists {listed.get(account, 0)} entries, the indexed journal has {indexed_entries.get(account, 0)}")
    return problems, db


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/debug/freedompay")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--summary", default="")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    random.seed(args.seed)
    data = tempfile.mkdtemp(prefix="fp-crash-")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = Server(os.path.abspath(args.binary), data, port)
    server.start()
    credentials = json.load(open(os.path.join(data, "sandbox-credentials.json")))
    client = Client(port, credentials["auth_id"], credentials["secret"])
    _, added = client.post("/v5/card-api/client/add", {"request_id": str(uuid.uuid4()), "product_id": 2000, "client": {
        "phone": 77077070707, "type": 1, "resident": 1, "first_name": "IVAN", "last_name": "IVANOV"}})
    issue = str(uuid.uuid4())
    client.post("/v5/card-api/card/issue", {"request_id": issue, "product_id": 2000, "client_id": added["client_id"]})
    card = client.post("/v5/card-api/request/status", {"request_id": issue})[1]["cards"][0]["card_id"]
    merchant = MerchantClient(port, credentials["merchant_id"], credentials["payout_secret"])
    funded, token = merchant.setup()

    load = Load(client, card, merchant, token)
    workers = [threading.Thread(target=load.run) for _ in range(args.workers)]
    for worker in workers:
        worker.start()
    for _ in range(args.kills):
        time.sleep(random.uniform(0.1, 0.8))
        server.kill()
        time.sleep(random.uniform(0.0, 0.2))
        server.start()
    time.sleep(0.3)
    load.stop.set()
    for worker in workers:
        worker.join()

    failures = []
    for path, body, status, answer in load.operations:
        if path == PAYOUT:
            failures += check_payout(merchant, body, status, answer)
            continue
        known = client.post("/v5/card-api/request/status", {"request_id": body["request_id"]})[1]
        if status == 200 and answer.get("status") == "ok" and answer.get("transaction_id") not in (None, known.get("transaction_id")):
            failures.append(f"acknowledged {body['request_id']} reported as {known}")
        if status == 200 and answer.get("status") == "error" and known.get("error_code") != answer.get("error_code"):
            failures.append(f"refusal {body['request_id']} ({answer.get('error_code')}) reported as {known}")
        again_status, again = client.post(path, body)
        if (again_status, again.get("status"), again.get("transaction_id")) != (status, answer.get("status"), answer.get("transaction_id")):
            failures.append(f"retry of {body['request_id']} answered {again_status} {again}, first {status} {answer}")
    server.stop()
    problems, db = ledger_violations(os.path.join(data, "freedompay.sqlite"))
    failures += problems + payout_violations(db, int(credentials["merchant_id"]), funded, load.operations)
    row = db.execute("SELECT posted_minor, held_minor FROM ledger_accounts WHERE kind = 'card' AND owner = ? AND currency = 'KZT'", (card,)).fetchone()
    want = expected_balance(load.operations)
    if tuple(row or (0, 0)) != want:
        failures.append(f"card balance (posted, held) {row} but the acknowledged operations imply {want}")
    summary = {"kills": args.kills, "operations": len(load.operations), "seed": args.seed,
               "acknowledged_ok": sum(1 for op in load.operations if op[2] == 200 and "ok" in (op[3].get("status"), op[3].get("pg_status"))),
               "payouts": sum(1 for op in load.operations if op[0] == PAYOUT), "payouts_ok": len(paid_out(load.operations)),
               "violations": len(failures)}
    print(json.dumps(summary))
    for failure in failures[:20]:
        print("VIOLATION", failure)
    if args.summary:
        json.dump(summary, open(args.summary, "w"))
    sys.exit(1 if failures or not load.operations else 0)


if __name__ == "__main__":
    main()

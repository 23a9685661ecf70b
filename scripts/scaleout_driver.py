#!/usr/bin/env python3
"""Scale-out driver (scripts/scaleout-test.sh): concurrent signed Card API money movements and Merchant API payouts
(scripts/scaleout_payouts.py) spread over several server instances sharing one PostgreSQL database, then checks the
database and the callbacks received against what was acknowledged. Standard library only (CI installs nothing else)."""
import argparse, base64, hashlib, hmac, http.client, json, random, subprocess, sys, threading, uuid
from concurrent.futures import ThreadPoolExecutor
from scaleout_payouts import Payouts

def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

class Instance:
    """One server (host:port); one keep-alive connection per thread."""
    def __init__(self, base):
        self.host, self.port = base.replace("http://", "").split(":")
        self.local = threading.local()

    def post(self, path, body, auth_id, secret):
        header = json.dumps({"uri": path, "auth_id": auth_id, "method": "POST", "params": "", "alg": "HS512"},
                            separators=(",", ":")).encode()
        segment = b64url(header)
        signature = b64url(hmac.new(secret.encode(), (segment + "." + b64url(body)).encode(), hashlib.sha512).digest())
        headers = {"Content-Type": "application/json", "X-JWS-Signature": segment + ".." + signature}
        for attempt in range(2):  # a keep-alive connection the server closed: reconnect once
            connection = getattr(self.local, "connection", None)
            if connection is None:
                connection = self.local.connection = http.client.HTTPConnection(self.host, int(self.port), timeout=30)
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                return response.status, response.read().decode()
            except (http.client.HTTPException, OSError):
                connection.close()
                self.local.connection = None
                if attempt == 1:
                    raise

class Driver:
    def __init__(self, args):
        self.instances = [Instance(u) for u in args.servers.split(",")]
        self.auth_id, self.secret = args.auth_id, args.secret
        self.lock = threading.Lock()
        self.acked = {}          # request id -> (kind, answer text)
        self.transactions = {}   # transaction id -> {"card", "kind", "amount", "cleared", "refunded"}
        self.problems = []
        self.retries = self.races = 0
        self.race_rate = args.race_rate
        self.payout_rate = args.payout_rate if args.merchant_id else 0
        self.payouts = Payouts(self.instances, args.merchant_id, args.payment_secret, args.payout_secret,
                               args.funded_minor) if args.merchant_id else None

    def call(self, path, payload, instance_index):
        """Sends until some instance answers; a network failure retries the same request id elsewhere."""
        body = json.dumps(payload, separators=(",", ":")).encode()
        for attempt in range(6):
            instance = self.instances[(instance_index + attempt) % len(self.instances)]
            try:
                status, text = instance.post(path, body, self.auth_id, self.secret)
            except (http.client.HTTPException, OSError):
                continue
            if status != 200:
                raise RuntimeError(f"{path}: HTTP {status} {text}")
            return body, json.loads(text), text
        raise RuntimeError(f"{path}: no instance answered request {payload.get('request_id')}")

    def resend(self, path, body, instance_index):
        return self.instances[instance_index % len(self.instances)].post(path, body, self.auth_id, self.secret)

    def setup_card(self, index):
        server = index % len(self.instances)
        _, added, text = self.call("/v5/card-api/client/add", {"request_id": str(uuid.uuid4()), "product_id": 2000, "client": {
            "phone": 77010000000 + index, "type": 1, "resident": 1, "first_name": "SCALE", "last_name": "OUT"}}, server)
        issue_id = str(uuid.uuid4())
        self.call("/v5/card-api/card/issue", {"request_id": issue_id, "product_id": 2000, "client_id": added["client_id"]}, server + 1)
        _, status, text = self.call("/v5/card-api/request/status", {"request_id": issue_id}, server + 2)
        card = status["cards"][0]["card_id"]
        self.operation("credit", card, 500_000, server)  # 5 000.00 KZT to start with
        return card

    def operation(self, kind, card, amount_minor, server, rng=None, open_debits=None):
        """One transaction step; records what was acknowledged. Some are retried with the same id on another
        instance (must replay the same answer), some sent to two instances at once (one executes)."""
        rid = str(uuid.uuid4())
        amount = f"{amount_minor // 100}.{amount_minor % 100:02d}"
        if kind in ("credit", "debit"):
            path = "/v5/card-api/transaction/create"
            payload = {"request_id": rid, "order_id": "o-" + rid, "card_id": card, "type": kind, "amount": amount, "currency": "KZT"}
        else:
            tx = card  # for steps, `card` carries the transaction id
            path = "/v5/card-api/transaction/" + ("clearing" if kind == "clear" else "refund")
            payload = {"request_id": rid, "order_id": self.transactions[tx]["order"], "transaction_id": tx, "amount": amount}
        racing = rng is not None and rng.random() < self.race_rate
        if racing:
            with ThreadPoolExecutor(2) as pool:
                first = pool.submit(self.call, path, payload, server)
                second = pool.submit(self.call, path, payload, server + 1)
                body, answer, text = first.result()
                other = second.result()
            if answer.get("error_code") == "duplicate_request_id" and other[1].get("error_code") != "duplicate_request_id":
                body, answer, text, other = other[0], other[1], other[2], (body, answer, text)  # record the executed one
            other = other[2]
            with self.lock:
                self.races += 1
            self.compare(rid, text, other, "concurrent first attempts")
        else:
            body, answer, text = self.call(path, payload, server)
        if rng is not None and rng.random() < 0.15:
            status, again = self.resend(path, body, server + 1 + rng.randrange(len(self.instances) - 1))
            with self.lock:
                self.retries += 1
            self.compare(rid, text, again, "retry on another instance")
        self.record(kind, rid, payload, answer, text, amount_minor, open_debits)

    def compare(self, rid, first, second, what):
        if json.loads(first) != json.loads(second):
            with self.lock:
                self.problems.append(f"{what} of {rid} answered differently: {first} / {second}")

    def record(self, kind, rid, payload, answer, text, amount_minor, open_debits):
        with self.lock:
            self.acked[rid] = (kind, text)
            if answer.get("status") != "ok":
                if answer.get("error_code") not in ("insufficient_funds", "amount_exceeds_allowed"):
                    self.problems.append(f"{kind} {rid}: unexpected refusal {text}")
                return
            if kind in ("credit", "debit"):
                tx = answer["transaction_id"]
                self.transactions[tx] = {"card": payload["card_id"], "kind": kind, "amount": amount_minor,
                                         "cleared": amount_minor if kind == "credit" else 0, "refunded": 0,
                                         "order": payload["order_id"], "open": kind == "debit"}
                if open_debits is not None and kind == "debit":
                    open_debits.append(tx)
            else:
                entry = self.transactions[payload["transaction_id"]]
                if kind == "clear":
                    entry["cleared"], entry["open"] = amount_minor, False
                else:
                    entry["refunded"] += amount_minor

    def worker(self, worker_index, count, cards, seed):
        rng = random.Random(seed)
        open_debits, cleared = [], []
        for step in range(count):
            server = rng.randrange(len(self.instances))
            if rng.random() < self.payout_rate:
                self.payouts.operation(server, rng, self.race_rate)
                continue
            roll = rng.random()
            if roll < 0.2:
                self.operation("credit", rng.choice(cards), rng.randint(100, 5_000), server, rng)
            elif roll < 0.6 or not open_debits and not cleared:
                self.operation("debit", rng.choice(cards), rng.randint(100, 20_000), server, rng, open_debits)
            elif open_debits and (roll < 0.85 or not cleared):
                tx = open_debits.pop(rng.randrange(len(open_debits)))
                full = self.transactions[tx]["amount"]
                self.operation("clear", tx, rng.choice([full, max(1, full // 2)]), server, rng)
                if self.transactions[tx]["cleared"] > 0:
                    cleared.append(tx)
            else:
                tx = rng.choice(cleared)
                entry = self.transactions[tx]
                left = entry["cleared"] - entry["refunded"]
                if left <= 0:
                    cleared.remove(tx)
                    continue
                self.operation("refund", tx, rng.randint(1, left), server, rng)

    def expected_accounts(self):
        accounts = {}
        for entry in self.transactions.values():
            posted, held = accounts.setdefault(entry["card"], [0, 0])
            posted += entry["refunded"] + (entry["amount"] if entry["kind"] == "credit" else -entry["cleared"])
            held += entry["amount"] if entry["open"] else 0
            accounts[entry["card"]] = [posted, held]
        return accounts

def psql(url, sql):
    out = subprocess.run(["psql", url, "-At", "-F", "|", "-c", sql], check=True, capture_output=True, text=True).stdout
    return [line.split("|") for line in out.splitlines() if line]

def verify(driver, database_url):
    problems = []  # the database checks first, then the answers that differed
    rows = psql(database_url, "SELECT id, card_id, kind, amount_minor, cleared_minor, refunded_minor FROM card_transactions")
    stored = {r[0]: r for r in rows}
    if set(stored) != set(driver.transactions):
        problems.append(f"{len(driver.transactions)} transactions acknowledged but {len(stored)} stored "
                        f"({len(set(stored) - set(driver.transactions))} unacknowledged, {len(set(driver.transactions) - set(stored))} lost)")
    for tx, entry in driver.transactions.items():
        row = stored.get(tx)
        if row and (int(row[4]), int(row[5])) != (entry["cleared"], entry["refunded"]):
            problems.append(f"transaction {tx}: stored cleared/refunded {row[4]}/{row[5]}, acknowledged {entry['cleared']}/{entry['refunded']}")
    sent = [rid for rid, (kind, _) in driver.acked.items()]
    recorded = {r[0] for r in psql(database_url, "SELECT request_id FROM requests WHERE kind LIKE 'transaction.%'")}
    if recorded != set(sent):
        problems.append(f"{len(sent)} transaction requests acknowledged, {len(recorded)} request records stored")
    balances = {r[0]: (int(r[1]), int(r[2])) for r in psql(database_url, "SELECT owner, posted_minor, held_minor FROM ledger_accounts WHERE kind = 'card'")}
    for card, (posted, held) in driver.expected_accounts().items():
        if balances.get(card) != (posted, held):
            problems.append(f"card {card}: stored posted/held {balances.get(card)}, acknowledged operations give {(posted, held)}")
        if posted - held < 0:
            problems.append(f"card {card}: negative available balance {posted - held}")
    return problems + list(driver.problems)

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--servers", required=True, help="comma-separated base URLs")
    parser.add_argument("--auth-id", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--operations", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--cards", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--race-rate", type=float, default=0.05, help="share of requests sent to two instances at once")
    parser.add_argument("--merchant-id", type=int, default=None, help="merchant paying out (no payouts without it)")
    parser.add_argument("--payment-secret", default="")
    parser.add_argument("--payout-secret", default="")
    parser.add_argument("--funded-minor", type=int, default=0, help="the merchant's payout balance before the load")
    parser.add_argument("--payout-rate", type=float, default=0.1, help="share of operations that are payouts")
    parser.add_argument("--callback-wait", type=float, default=60, help="longest wait for the callback outbox to drain")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    driver = Driver(args)
    with ThreadPoolExecutor(16) as pool:
        cards = list(pool.map(driver.setup_card, range(args.cards)))
    if driver.payouts:
        driver.payouts.setup()
    per_client = [args.operations // args.clients + (1 if i < args.operations % args.clients else 0) for i in range(args.clients)]
    with ThreadPoolExecutor(args.clients) as pool:
        for future in [pool.submit(driver.worker, i, n, cards, seed + i) for i, n in enumerate(per_client)]:
            future.result()
    problems = verify(driver, args.database_url)
    if driver.payouts:
        waited = driver.payouts.drain(args.database_url, psql, args.callback_wait)
        problems += driver.payouts.verify(args.database_url, psql)
    refused = sum(1 for _, text in driver.acked.values() if json.loads(text).get("status") != "ok")
    print(f"seed {seed}: {len(driver.acked)} transaction requests acknowledged ({refused} refused by the rules), "
          f"{len(driver.transactions)} transactions, {driver.retries} retries on another instance, {driver.races} concurrent duplicates, "
          f"{len(cards)} shared cards over {len(driver.instances)} instances")
    if driver.payouts:
        print(f"payouts: {driver.payouts.summary()}; callback outbox drained in {waited:.1f} s")
    for problem in problems[:50]:
        print("FAIL:", problem)
    if len(problems) > 50:
        print(f"FAIL: ... {len(problems) - 50} more")
    sys.exit(1 if problems else 0)

if __name__ == "__main__":
    main()

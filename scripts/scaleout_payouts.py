"""Merchant payouts for the scale-out test (scripts/scaleout_driver.py): pg_sig-signed reg2reg payouts to saved payout
cards of one merchant, spread over the instances, and a local receiver for the callbacks they send. Standard library
only. The receiver records every delivery keyed by (kind, subject id, status), so a callback sent twice by two
instances (or twice by one) shows up as a count of 2."""
import datetime, http.client, http.server, os, threading, time, urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pgsig import minor, pg_sign, signed_form, xml_fields

# Documented payout test cards (merchant-api.md §6.2): paid at once / declined at once with 10000.
SUCCESS_CARD, DECLINE_CARD = "4671593866478252", "5325349472901311"


class Receiver:
    """The merchant's callback endpoint: verifies each delivery's pg_sig, records it, replies a signed ok."""

    def __init__(self, payment_secret, payout_secret):
        self.secrets = {"payout": payout_secret, "cards": payment_secret}
        self.lock = threading.Lock()
        self.deliveries = {}   # (kind, subject, status) -> count
        self.bad = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                receiver.record(self.path, body)
                kind = self.path.strip("/").split("/")[0]
                reply = {"pg_status": "ok", "pg_description": "accepted", "pg_salt": os.urandom(6).hex()}
                reply["pg_sig"] = pg_sign("notify", reply, receiver.secrets.get(kind, ""))
                data = ("<response>" + "".join(f"<{k}>{v}</{k}>" for k, v in reply.items()) + "</response>").encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128  # three dispatchers send up to 16 callbacks each at once

        self.server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def record(self, path, body):
        kind = path.strip("/").split("/")[0]
        form = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
        fields = {k: v for k, v in xml_fields(form["pg_xml"]).items() if k != "card"} if "pg_xml" in form else form
        signature = fields.pop("pg_sig", "")
        subject = fields.get("pg_payment_id") if kind == "payout" else fields.get("pg_card_token")
        with self.lock:
            if pg_sign("notify", fields, self.secrets.get(kind, "")) != signature.lower():
                self.bad.append(f"{kind} callback for {subject}: pg_sig does not verify")
            key = (kind, subject, fields.get("pg_status"))
            self.deliveries[key] = self.deliveries.get(key, 0) + 1

    def total(self, kind):
        with self.lock:
            return sum(n for (k, _, _), n in self.deliveries.items() if k == kind)

    def close(self):
        self.server.shutdown()


class Payouts:
    """reg2reg payouts of one merchant; records what each acknowledged answer says."""

    def __init__(self, instances, merchant_id, payment_secret, payout_secret, funded_minor):
        self.instances, self.merchant_id = instances, merchant_id
        self.payment_secret, self.payout_secret, self.funded = payment_secret, payout_secret, funded_minor
        self.receiver = Receiver(payment_secret, payout_secret)
        self.local = threading.local()
        self.lock = threading.Lock()
        self.payouts = {}   # pg_payment_id -> {"order", "status", "to_pay", "code"}
        self.refused = 0    # 8888: nothing written
        self.acked = 0
        self.problems = []
        self.tokens = {}    # card number -> (user id, token)

    def connection(self, index):
        connections = self.local.__dict__.setdefault("connections", {})
        if index not in connections:
            instance = self.instances[index]
            connections[index] = http.client.HTTPConnection(instance.host, int(instance.port), timeout=30)
        return connections[index]

    def send(self, index, path, body, headers):
        """One HTTP exchange on this thread's keep-alive connection to instance `index` (reconnects once)."""
        index %= len(self.instances)
        for attempt in range(2):
            connection = self.connection(index)
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                return response.status, dict(response.getheaders()), response.read().decode()
            except (http.client.HTTPException, OSError):
                connection.close()
                del self.local.connections[index]
                if attempt == 1:
                    raise

    def call(self, index, path, params, secret=None):
        """A signed Merchant API call with a fresh pg_salt; answers the XML fields."""
        body = signed_form(path, params, self.merchant_id, secret or self.payout_secret)
        status, _, text = self.send(index, path, body, {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status} {text}")
        return xml_fields(text)

    def tokenize(self, card, user):
        """Saves a payout card through the hosted form once (cardstoragepayout/add, the form, list)."""
        base = f"/v1/merchant/{self.merchant_id}/cardstoragepayout"
        added = self.call(0, base + "/add", {"pg_user_id": user, "pg_post_link": self.receiver.base + "/cards/notify",
                                             "pg_back_link": "https://shop.example/cards"})
        page = urllib.parse.urlsplit(added["pg_redirect_url"])
        form = urllib.parse.urlencode({"card_number": card, "expiry": "12/39", "cvv": "123", "holder": "SCALE OUT"})
        status, headers, _ = self.send(1, page.path + "?" + page.query, form.encode(),
                                       {"Content-Type": "application/x-www-form-urlencoded"})
        if status not in (302, 303):
            raise RuntimeError(f"payout card form answered HTTP {status}")
        cards = self.call(2, base + "/list", {"pg_user_id": user})["card"]
        if len(cards) != 1:
            raise RuntimeError(f"payout card list of {user}: {cards}")
        self.tokens[card] = (user, cards[0]["pg_card_token"])

    def setup(self):
        for index, card in enumerate((SUCCESS_CARD, DECLINE_CARD)):
            self.tokenize(card, f"payee-{index}")

    def request(self, rng):
        card = DECLINE_CARD if rng.random() < 0.15 else SUCCESS_CARD
        user, token = self.tokens[card]
        limit = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
        return {"pg_order_id": "po-" + os.urandom(12).hex(), "pg_amount": str(rng.randint(1, 60)), "pg_description": "Scale-out payout",
                "pg_order_time_limit": limit, "pg_user_id": user, "pg_post_link": self.receiver.base + "/payout/notify",
                "pg_card_token_to": token}

    @staticmethod
    def outcome(answer):
        return answer.get("pg_status"), answer.get("pg_error_code"), answer.get("pg_payment_id")

    def operation(self, server, rng, race_rate):
        """One payout; some sent to two instances at once, some retried (fresh salt) on another instance."""
        params = self.request(rng)
        if rng.random() < race_rate:
            with ThreadPoolExecutor(2) as pool:
                first, second = [pool.submit(self.call, server + i, "/api/reg2reg", params) for i in (0, 1)]
                answer, other = first.result(), second.result()
            self.compare(params, answer, other, "concurrent first attempts")
        else:
            answer = self.call(server, "/api/reg2reg", params)
        if rng.random() < 0.15:
            again = self.call(server + 1 + rng.randrange(len(self.instances) - 1), "/api/reg2reg", params)
            self.compare(params, answer, again, "retry on another instance")
        self.record(params, answer)

    def compare(self, params, first, second, what):
        if self.outcome(first) != self.outcome(second):
            with self.lock:
                self.problems.append(f"payout {params['pg_order_id']}: {what} answered {self.outcome(first)} / {self.outcome(second)}")

    def record(self, params, answer):
        with self.lock:
            self.acked += 1
            if answer.get("pg_error_code") == "8888" and not answer.get("pg_payment_id"):
                self.refused += 1
                return
            if not answer.get("pg_payment_id") or answer.get("pg_status") not in ("ok", "error"):
                self.problems.append(f"payout {params['pg_order_id']}: unexpected answer {answer}")
                return
            self.payouts[answer["pg_payment_id"]] = {"order": params["pg_order_id"], "status": answer["pg_status"],
                                                     "to_pay": minor(answer["pg_to_pay"]), "code": answer.get("pg_error_code")}

    def drain(self, database_url, psql, timeout):
        """Waits (bounded) until the outbox holds nothing pending and every callback row has reached the receiver,
        then a short grace period so a late second delivery would still be seen. Returns the seconds waited."""
        started = time.time()
        while time.time() - started < timeout:
            pending = int(psql(database_url, "SELECT COUNT(*) FROM callback_outbox WHERE state = 'pending'")[0][0])
            rows = int(psql(database_url, f"SELECT COUNT(*) FROM callback_outbox WHERE merchant_id = {self.merchant_id}")[0][0])
            if pending == 0 and self.receiver.total("payout") + self.receiver.total("cards") >= rows:
                break
            time.sleep(0.25)
        time.sleep(1.5)
        return time.time() - started

    def verify(self, database_url, psql):
        """The database against the acknowledged payouts, and the deliveries against the payouts."""
        problems = list(self.problems) + list(self.receiver.bad)
        rows = psql(database_url, f"SELECT id, order_id, status, amount_minor + fee_minor FROM payouts WHERE merchant_id = {self.merchant_id}")
        stored = {r[0]: r for r in rows}
        if set(stored) != set(self.payouts):
            problems.append(f"{len(self.payouts)} payouts acknowledged but {len(stored)} stored "
                            f"({len(set(stored) - set(self.payouts))} unacknowledged, {len(set(self.payouts) - set(stored))} lost)")
        for pid, payout in self.payouts.items():
            row = stored.get(pid)
            if row and (row[1], row[2], int(row[3])) != (payout["order"], payout["status"], payout["to_pay"]):
                problems.append(f"payout {pid}: stored {row[1:]}, acknowledged {payout}")
        paid = sum(p["to_pay"] for p in self.payouts.values() if p["status"] == "ok")
        balance = psql(database_url, f"SELECT posted_minor, held_minor FROM ledger_accounts WHERE kind = 'merchant' AND owner = '{self.merchant_id}' AND currency = 'KZT'")
        if [tuple(map(int, r)) for r in balance] != [(self.funded - paid, 0)]:
            problems.append(f"merchant payout balance (posted, held) {balance}, acknowledged payouts give {(self.funded - paid, 0)}")
        api_balance = minor(self.call(1, "/api/balance_status", {"pg_currency": "KZT"})["pg_balance"])
        if api_balance != self.funded - paid:
            problems.append(f"balance_status answers {api_balance}, acknowledged payouts give {self.funded - paid}")
        problems += self.callback_problems(database_url, psql)
        return problems

    def callback_problems(self, database_url, psql):
        problems = []
        deliveries = dict(self.receiver.deliveries)
        for (kind, subject, status), count in deliveries.items():
            if count != 1:
                problems.append(f"{kind} callback ({subject}, {status}) delivered {count} times")
            if kind == "payout" and (subject not in self.payouts or self.payouts[subject]["status"] != status):
                problems.append(f"payout callback ({subject}, {status}) matches no acknowledged payout")
        for pid, payout in self.payouts.items():
            if ("payout", pid, payout["status"]) not in deliveries:
                problems.append(f"payout {pid} ({payout['status']}): no callback delivered")
        tokens = {token for _, token in self.tokens.values()}
        if {subject for kind, subject, _ in deliveries if kind == "cards"} != tokens:
            problems.append(f"card storage callbacks {sorted(k for k in deliveries if k[0] == 'cards')}, tokens {sorted(tokens)}")
        unfinished = psql(database_url, f"SELECT id, kind, state, attempts FROM callback_outbox WHERE merchant_id = {self.merchant_id} "
                                        "AND (state <> 'accepted' OR attempts <> 1)")
        if unfinished:
            problems.append(f"{len(unfinished)} outbox rows not delivered in exactly one attempt, e.g. {unfinished[:3]}")
        return problems

    def summary(self):
        ok = sum(1 for p in self.payouts.values() if p["status"] == "ok")
        return (f"{self.acked} payouts acknowledged ({ok} paid, {len(self.payouts) - ok} declined, {self.refused} refused 8888), "
                f"{self.receiver.total('payout')} payout callbacks received")

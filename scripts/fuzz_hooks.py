"""Schemathesis hooks for scripts/fuzz.sh: sign every generated request exactly as a partner or merchant would, so
the fuzz reaches the handlers (or, with FREEDOMPAY_FUZZ_CORRUPT=1, corrupt the signature in one of several ways and
require the documented refusal: 401 on the JSON APIs, a pg_error_code 1100/9998 XML answer on the Merchant API),
and tally what was sent for docs/RELIABILITY.md."""
import atexit, base64, hashlib, hmac, json, os, random, re, threading
from urllib.parse import urlencode

import schemathesis

AUTH_ID = os.environ["FREEDOMPAY_FUZZ_AUTH_ID"]
SECRET = os.environ["FREEDOMPAY_FUZZ_SECRET"]
MERCHANT_ID = os.environ.get("FREEDOMPAY_FUZZ_MERCHANT_ID", "")
PAYMENT_SECRET = os.environ.get("FREEDOMPAY_FUZZ_PAYMENT_SECRET", "")
PAYOUT_SECRET = os.environ.get("FREEDOMPAY_FUZZ_PAYOUT_SECRET", "")
CORRUPT = os.environ.get("FREEDOMPAY_FUZZ_CORRUPT") == "1"
STATS_FILE = os.environ.get("FREEDOMPAY_FUZZ_STATS", "")
LOCK = threading.Lock()
STATS = {"requests": 0, "by_status": {}, "not_refused": [], "merchant_requests": 0, "merchant_codes": {}}
CORRUPTIONS = ["flip", "wrong_secret", "alg_none", "missing", "other_uri", "truncated"]
PG_CORRUPTIONS = ["flip", "other_secret", "missing", "empty", "added_after_signing", "other_script"]


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jws(path, raw, alg, secret=SECRET, uri=None):
    header = b64u(json.dumps({"uri": uri or path, "auth_id": AUTH_ID, "method": "POST", "params": "", "alg": alg},
                             separators=(",", ":")).encode())
    digest = hashlib.sha256 if alg == "HS256" else hashlib.sha512
    return header + ".." + b64u(hmac.new(secret.encode(), (header + "." + b64u(raw)).encode(), digest).digest())


def signed_path(case):
    return case.method.upper() == "POST" and case.path.startswith("/v5/")


def merchant_path(case):
    path = case.path
    return path.startswith(("/api/", "/v1/merchant/")) or (
        re.fullmatch(r"/[a-z_0-9]+(\.php)?", path) is not None and path not in ("/metrics", "/docs"))


def payout_secret(path):
    """APIRoute.usesPayoutSecret: /api/..., get_status2.php and payout card storage."""
    return path.startswith("/api/") or path == "/get_status2.php" or "/cardstoragepayout/" in path


def form_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def pg_sig(script, fields, secret):
    """PGSignature: md5(script;values sorted by name (UTF-8 bytes, stable);secret)."""
    ordered = sorted(enumerate(fields), key=lambda item: (item[1][0].encode(), item[0]))
    return hashlib.md5(";".join([script] + [value for _, (_, value) in ordered] + [secret]).encode()).hexdigest()


def sign_merchant(case, kwargs):
    """Signs the generated form (POST) or query (GET) with pg_sig as the sandbox merchant would."""
    if case.path_parameters and "merchant_id" in case.path_parameters:
        case.path_parameters["merchant_id"] = MERCHANT_ID
    source = case.query if case.method.upper() == "GET" else case.body
    if not isinstance(source, dict):
        source = {}
    # Bracketed names nest (a[0][b]) and would be signed as a tree; keep the fuzz to flat pg_* forms.
    fields = [(str(name), form_value(value)) for name, value in source.items()
              if name and "[" not in str(name) and "]" not in str(name) and name not in ("pg_sig", "pg_merchant_id", "pg_salt")]
    fields += [("pg_merchant_id", MERCHANT_ID), ("pg_salt", "fuzz" + str(random.randint(0, 10**9)))]
    script = case.path.rsplit("/", 1)[-1]
    secret = PAYOUT_SECRET if payout_secret(case.path) else PAYMENT_SECRET
    signature = pg_sig(script, fields, secret)
    if CORRUPT:
        how = random.choice(PG_CORRUPTIONS)
        if how == "flip":
            signature = signature[:-1] + ("0" if signature[-1] != "0" else "1")
        elif how == "other_secret":
            signature = pg_sig(script, fields, PAYMENT_SECRET if secret == PAYOUT_SECRET else PAYOUT_SECRET)
        elif how == "added_after_signing":
            fields.append(("pg_added", "1"))
        elif how == "other_script":
            signature = pg_sig("other_script.php", fields, secret)
        elif how == "empty":
            signature = ""
        if how != "missing":
            fields.append(("pg_sig", signature))
    else:
        fields.append(("pg_sig", signature))
    if case.method.upper() == "GET":
        case.query = dict(fields)
    else:
        # The document's apiKey scheme puts pg_sig in the query; here it travels in the signed form only.
        case.query = {}
        kwargs["data"] = urlencode(fields)
        headers = dict(case.headers or {})
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        case.headers = headers


def header_value(value):
    """A generated header value as HTTP can carry it: control characters are not allowed in a field value (the HTTP
    parser refuses the request with an empty 400 before any route runs), and client libraries refuse values outside
    latin-1, so those are sent as their raw UTF-8 bytes (obs-text, which the server must handle)."""
    if not isinstance(value, str):
        return value
    value = "".join(ch for ch in value if ch == "\t" or (ord(ch) >= 0x20 and ord(ch) != 0x7F))
    return value if value.isascii() else value.encode("utf-8").decode("latin-1")


def latin1_headers(case):
    if case.headers:
        case.headers = {name: header_value(value) for name, value in case.headers.items()}


@schemathesis.hook
def before_call(context, case, kwargs):
    latin1_headers(case)
    if merchant_path(case) and MERCHANT_ID:
        sign_merchant(case, kwargs)
        return
    if not signed_path(case):
        return
    body = case.body
    if type(body).__name__ == "NotSet":
        raw = b""
    elif isinstance(body, (bytes, bytearray)):
        raw = bytes(body)  # negative mode: arbitrary bytes as the body, signed as sent
    else:
        raw = json.dumps(body, default=str).encode()
    alg = "HS256" if case.path.startswith("/v5/partner/") else "HS512"
    headers = dict(case.headers or {})
    headers["Content-Type"] = "application/json"
    headers.pop("X-JWS-Signature", None)
    signature = jws(case.path, raw, alg)
    if CORRUPT:
        how = random.choice(CORRUPTIONS)
        if how == "flip":
            index = len(signature) - 5
            signature = signature[:index] + ("A" if signature[index] != "A" else "B") + signature[index + 1:]
        elif how == "wrong_secret":
            signature = jws(case.path, raw, alg, secret=SECRET + "x")
        elif how == "alg_none":
            signature = jws(case.path, raw, "none")
        elif how == "other_uri":
            signature = jws(case.path, raw, alg, uri="/v5/card-api/request/status" if case.path != "/v5/card-api/request/status" else "/v5/card-api/card/info")
        elif how == "truncated":
            signature = signature[: len(signature) // 2]
        if how != "missing":
            headers["X-JWS-Signature"] = signature
    else:
        headers["X-JWS-Signature"] = signature
    case.headers = headers
    kwargs["data"] = raw


@schemathesis.hook
def after_call(context, case, response):
    with LOCK:
        STATS["requests"] += 1
        key = str(response.status_code)
        STATS["by_status"][key] = STATS["by_status"].get(key, 0) + 1
        if merchant_path(case) and MERCHANT_ID:
            STATS["merchant_requests"] += 1
            found = re.search(r"<pg_error_code>(\d+)</pg_error_code>", response.text or "")
            code = found.group(1) if found else "none"
            STATS["merchant_codes"][code] = STATS["merchant_codes"].get(code, 0) + 1
            if not CORRUPT and code == "1100" and len(STATS.setdefault("unsigned_samples", [])) < 20:
                STATS["unsigned_samples"].append(f"{case.method} {case.path} {response.request.url} {response.request.body!r:.300}")
            if CORRUPT and code not in ("1100", "9998"):
                STATS["not_refused"].append(f"{case.method} {case.path} -> pg_error_code {code}")
        elif CORRUPT and signed_path(case) and response.status_code != 401:
            STATS["not_refused"].append(f"{case.method} {case.path} -> {response.status_code}")


@atexit.register
def write_stats():
    if STATS_FILE:
        with open(STATS_FILE, "w") as handle:
            json.dump(STATS, handle)

"""Schemathesis hooks for scripts/fuzz.sh: sign every generated request exactly as a partner would, so the fuzz
reaches the handlers (or, with FREEDOMPAY_FUZZ_CORRUPT=1, corrupt the signature in one of several ways and
require a 401), and tally what was sent for docs/RELIABILITY.md."""
import atexit, base64, hashlib, hmac, json, os, random, threading

import schemathesis

AUTH_ID = os.environ["FREEDOMPAY_FUZZ_AUTH_ID"]
SECRET = os.environ["FREEDOMPAY_FUZZ_SECRET"]
CORRUPT = os.environ.get("FREEDOMPAY_FUZZ_CORRUPT") == "1"
STATS_FILE = os.environ.get("FREEDOMPAY_FUZZ_STATS", "")
LOCK = threading.Lock()
STATS = {"requests": 0, "by_status": {}, "not_refused": []}
CORRUPTIONS = ["flip", "wrong_secret", "alg_none", "missing", "other_uri", "truncated"]


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jws(path, raw, alg, secret=SECRET, uri=None):
    header = b64u(json.dumps({"uri": uri or path, "auth_id": AUTH_ID, "method": "POST", "params": "", "alg": alg},
                             separators=(",", ":")).encode())
    digest = hashlib.sha256 if alg == "HS256" else hashlib.sha512
    return header + ".." + b64u(hmac.new(secret.encode(), (header + "." + b64u(raw)).encode(), digest).digest())


def signed_path(case):
    return case.method.upper() == "POST" and case.path.startswith("/v5/")


@schemathesis.hook
def before_call(context, case, kwargs):
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
        if CORRUPT and signed_path(case) and response.status_code != 401:
            STATS["not_refused"].append(f"{case.method} {case.path} -> {response.status_code}")


@atexit.register
def write_stats():
    if STATS_FILE:
        with open(STATS_FILE, "w") as handle:
            json.dump(STATS, handle)

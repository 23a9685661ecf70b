#!/usr/bin/env bash
# End-to-end smoke test of the built binary: serve on a free loopback port with a temp data folder, call it with
# the CLI and with curl + openssl (signatures computed by hand, as in README), provision credentials while it
# runs, then stop it with SIGTERM and expect a clean exit. Prints "N passed, N failed"; non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "ok   - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL - $1"; [ $# -gt 1 ] && printf '       %s\n' "$2"; }
check() { local name="$1"; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
finish() { echo "$PASSED passed, $FAILED failed"; [ "$FAILED" -eq 0 ]; exit $?; }

for tool in curl openssl python3; do
    command -v "$tool" >/dev/null || { fail "$tool is installed"; finish; }
done

WORK="$(mktemp -d)"
swift build --product freedompay >"$WORK/build.log" 2>&1 || { fail "swift build" "$(tail -20 "$WORK/build.log")"; finish; }
BIN="$(swift build --show-bin-path 2>/dev/null)/freedompay"
DATA="$WORK/data"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -KILL "$SERVER_PID" 2>/dev/null; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
"$BIN" serve --data "$DATA" --host 127.0.0.1 --port "$PORT" --log-level warning >"$WORK/stdout" 2>"$WORK/stderr" &
SERVER_PID=$!

for _ in $(seq 1 100); do
    curl -fs "$BASE/status/healthcheck" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
done
HEALTH="$(curl -fs "$BASE/status/healthcheck" || true)"
if [[ "$HEALTH" == *'"status":"ok"'* ]]; then pass "healthcheck answers"; else
    fail "healthcheck answers" "$(cat "$WORK/stderr")"; finish; fi

json_field() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
CREDS="$DATA/sandbox-credentials.json"
check "sandbox-credentials.json has exactly auth_id, secret, merchant_id, payment_secret, payout_secret" python3 -c '
import json, sys
keys = set(json.load(open(sys.argv[1])).keys())
sys.exit(0 if keys == {"auth_id", "secret", "merchant_id", "payment_secret", "payout_secret"} else 1)' "$CREDS"
AUTH_ID="$(json_field "$CREDS" auth_id)"
SECRET="$(json_field "$CREDS" secret)"
MERCHANT_ID="$(json_field "$CREDS" merchant_id)"
PAYOUT_SECRET="$(json_field "$CREDS" payout_secret)"
STDOUT="$(cat "$WORK/stdout")"
if [[ "$STDOUT" == *"auth_id=$AUTH_ID secret=$SECRET"* && "$STDOUT" == *"merchant_id=$MERCHANT_ID"* && "$STDOUT" == *"payout_secret=$PAYOUT_SECRET"* ]]; then
    pass "stdout printed the demo credentials"
else
    fail "stdout printed the demo credentials" "stdout was: $STDOUT"
fi

BODY='{"request_id":"828cf71d-a447-4a67-a149-c1df8bc197ca"}'
expect_not_found() { [[ "$1" == *'"error_code":"request_not_found"'* && "$1" == *'"status":"error"'* ]]; }

CLI_OUT="$("$BIN" call card-api request/status --json "$BODY" --base-url "$BASE" --data "$DATA" 2>&1)"
if [[ "$CLI_OUT" == *"HTTP 200"* ]] && expect_not_found "$CLI_OUT"; then pass "CLI call card-api request/status"; else
    fail "CLI call card-api request/status" "$CLI_OUT"; fi
CLI_OUT="$("$BIN" call card-api request/status --legacy --json "$BODY" --base-url "$BASE" --data "$DATA" 2>&1)"
if expect_not_found "$CLI_OUT"; then pass "CLI call with legacy Sign"; else fail "CLI call with legacy Sign" "$CLI_OUT"; fi

b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
# Card API request/status signed by hand: X-JWS-Signature HS512 over header segment + "." + base64url(body).
jws_curl() {
    local auth_id="$1" secret="$2" body="$3" h p s
    h="$(printf '{"uri":"/v5/card-api/request/status","auth_id":"%s","method":"POST","params":"","alg":"HS512"}' "$auth_id" | b64url)"
    p="$(printf '%s' "$body" | b64url)"
    s="$(printf '%s.%s' "$h" "$p" | openssl dgst -sha512 -hmac "$secret" -binary | b64url)"
    curl -s -w '\nHTTP %{http_code}' -X POST "$BASE/v5/card-api/request/status" -H 'Content-Type: application/json' \
        -H "X-JWS-Signature: $h..$s" -d "$body"
}
OUT="$(jws_curl "$AUTH_ID" "$SECRET" "$BODY")"
if expect_not_found "$OUT" && [[ "$OUT" == *"HTTP 200" ]]; then pass "curl + openssl X-JWS-Signature"; else fail "curl + openssl X-JWS-Signature" "$OUT"; fi
OUT="$(jws_curl "$AUTH_ID" "${SECRET}x" "$BODY")"
if [[ "$OUT" == *'"error_code":"invalid_signature"'* && "$OUT" == *"HTTP 401" ]]; then pass "curl with a wrong secret is refused (401)"; else
    fail "curl with a wrong secret is refused (401)" "$OUT"; fi

PARTNER_JSON="$("$BIN" partners create --data "$DATA" --json 2>&1)"
MERCHANT_JSON="$("$BIN" merchants create --data "$DATA" --json 2>&1)"
printf '%s' "$PARTNER_JSON" >"$WORK/partner.json"
printf '%s' "$MERCHANT_JSON" >"$WORK/merchant.json"
check "partners create --json while serving prints auth_id and secret" python3 -c '
import json, sys
sys.exit(0 if set(json.load(open(sys.argv[1]))) == {"auth_id", "secret"} else 1)' "$WORK/partner.json"
check "merchants create --json while serving prints merchant_id and both secrets" python3 -c '
import json, sys
sys.exit(0 if set(json.load(open(sys.argv[1]))) == {"merchant_id", "payment_secret", "payout_secret"} else 1)' "$WORK/merchant.json"
NEW_AUTH_ID="$(json_field "$WORK/partner.json" auth_id 2>/dev/null || true)"
NEW_SECRET="$(json_field "$WORK/partner.json" secret 2>/dev/null || true)"
OUT="$(jws_curl "$NEW_AUTH_ID" "$NEW_SECRET" "$BODY")"
if [ -n "$NEW_AUTH_ID" ] && [ "$NEW_AUTH_ID" != "$AUTH_ID" ] && expect_not_found "$OUT"; then
    pass "the new partner's credentials work on the running server"
else
    fail "the new partner's credentials work on the running server" "$PARTNER_JSON / $OUT"
fi
SIGN="$(printf '%s%s' "$BODY" "$NEW_SECRET" | openssl dgst -sha256 -r | cut -d' ' -f1)"
OUT="$(curl -s -X POST "$BASE/v5/card-api/request/status" -H 'Content-Type: application/json' -H "Auth-Id: $NEW_AUTH_ID" \
    -H "Request-Id: $(python3 -c 'import uuid; print(uuid.uuid4())')" -H "Sign: $SIGN" -d "$BODY")"
if expect_not_found "$OUT"; then pass "curl + openssl legacy Sign for the new partner"; else fail "curl + openssl legacy Sign for the new partner" "$OUT"; fi

kill -TERM "$SERVER_PID"
EXIT_CODE=""
for _ in $(seq 1 100); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then wait "$SERVER_PID"; EXIT_CODE=$?; break; fi
    sleep 0.1
done
if [ "$EXIT_CODE" = "0" ]; then pass "SIGTERM: graceful exit with code 0 within 10 s"; else
    fail "SIGTERM: graceful exit with code 0 within 10 s" "exit code '${EXIT_CODE:-still running}'; stderr: $(tail -5 "$WORK/stderr")"; fi
SERVER_PID=""
finish

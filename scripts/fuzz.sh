#!/usr/bin/env bash
# Fuzzes a live server (fresh sandbox data folder) from its own /openapi.json with schemathesis:
#   pass 0: the document itself is valid OpenAPI 3.1 (openapi-spec-validator) and is docs/openapi.json;
#   pass 1: every request signed correctly (scripts/fuzz_hooks.py: JWS for the Card/Partner APIs, pg_sig with the
#           payment or payout secret for the Merchant API), so the fuzz reaches the handlers;
#   pass 2: every signature corrupted (JWS: flipped byte, wrong secret, alg none, missing, other uri, truncated: 401;
#           pg_sig: flipped, other secret, missing, empty, field added after signing, other script: pg_error_code 1100).
# Fails on any 5xx, any answer the document does not allow, or any corrupted request not refused.
# usage: scripts/fuzz.sh [examples per operation]   (CI: 15; a longer run: scripts/fuzz.sh 500)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
EXAMPLES="${1:-${FUZZ_EXAMPLES:-15}}"
OUT="${FREEDOMPAY_RELIABILITY_OUT:-.build/reliability}"
VENV="${FREEDOMPAY_VENV:-.build/reliability-venv}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
if [ ! -x "$VENV/bin/schemathesis" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q 'schemathesis>=4,<5'
fi
[ -x "$VENV/bin/openapi-spec-validator" ] || "$VENV/bin/pip" install -q 'openapi-spec-validator>=0.7,<1'
echo "== openapi: docs/openapi.json is a valid OpenAPI 3.1 document"
"$VENV/bin/openapi-spec-validator" docs/openapi.json
BIN="$(swift build --show-bin-path)/freedompay"
[ -x "$BIN" ] || swift build --product freedompay
DATA="$(mktemp -d)"
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$BIN" serve --data "$DATA" --host 127.0.0.1 --port "$PORT" --log-level warning >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; cp "$DATA/server.log" "$OUT/server.log" 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/status/healthcheck" >/dev/null && break; sleep 0.1; done
export FREEDOMPAY_FUZZ_AUTH_ID="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["auth_id"])' "$DATA/sandbox-credentials.json")"
export FREEDOMPAY_FUZZ_SECRET="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["secret"])' "$DATA/sandbox-credentials.json")"
export FREEDOMPAY_FUZZ_MERCHANT_ID="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["merchant_id"])' "$DATA/sandbox-credentials.json")"
export FREEDOMPAY_FUZZ_PAYMENT_SECRET="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["payment_secret"])' "$DATA/sandbox-credentials.json")"
export FREEDOMPAY_FUZZ_PAYOUT_SECRET="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["payout_secret"])' "$DATA/sandbox-credentials.json")"
curl -sf "http://127.0.0.1:$PORT/openapi.json" | cmp -s - docs/openapi.json || { echo "served /openapi.json differs from docs/openapi.json"; exit 1; }
export SCHEMATHESIS_HOOKS=fuzz_hooks PYTHONPATH="$PWD/scripts"
# Every signed route and the JSON service routes; the buyers' HTML pages (no signature) are left to their own tests,
# and so are the sandbox tools that would change the run itself (failure injection, reset, callback long-poll).
EXCLUDE="^/(pay|payout)/|/view$|^/docs$|/sandbox/(inject|reset)$|^/sandbox/callbacks/"
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance

echo "== fuzz: signed requests ($EXAMPLES examples per operation)"
# schemathesis runs from $OUT so that its crash cache (.schemathesis/) stays out of the working tree.
VENV="$(cd "$VENV" && pwd)"
(cd "$OUT" && FREEDOMPAY_FUZZ_STATS="$OUT/fuzz-signed.json" "$VENV/bin/schemathesis" run "http://127.0.0.1:$PORT/openapi.json" \
  --exclude-path-regex "$EXCLUDE" --checks "$CHECKS" --mode all -n "$EXAMPLES" --seed 1 --phases examples,fuzzing --warnings off --no-shrink)

echo "== fuzz: corrupted signatures"
(cd "$OUT" && FREEDOMPAY_FUZZ_CORRUPT=1 FREEDOMPAY_FUZZ_STATS="$OUT/fuzz-corrupt.json" "$VENV/bin/schemathesis" run "http://127.0.0.1:$PORT/openapi.json" \
  --exclude-path-regex "$EXCLUDE" --checks "$CHECKS" --mode positive -n "$EXAMPLES" --seed 2 --phases fuzzing --warnings off --no-shrink)
python3 - "$OUT/fuzz-corrupt.json" <<'PY'
import json, sys
stats = json.load(open(sys.argv[1]))
if stats["not_refused"]:
    print("corrupted signatures NOT refused:", *stats["not_refused"][:20], sep="\n  ")
    sys.exit(1)
print(f"corrupted-signature pass: {stats['requests']} requests ({stats['merchant_requests']} Merchant API), "
      "every signed one refused (401, or pg_error_code 1100)")
PY

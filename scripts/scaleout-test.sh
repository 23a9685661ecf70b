#!/usr/bin/env bash
# Scale-out test (issue 9): three `freedompay serve --postgres` processes on one fresh PostgreSQL database,
# 64 concurrent clients spread over them moving money on 20 shared cards (credits, debits, clearings,
# refunds) and paying out from one merchant (reg2reg to saved payout cards; ~10% of operations), some retried
# with the same request/order id on another instance, some sent to two instances at once. The merchant's
# callbacks go to a receiver in the driver that counts deliveries per (payment, status). Then:
# `freedompay audit` (ledger invariants, exactly-once records) and the driver's own comparison of what was
# acknowledged with what the database holds, and of the payouts with the callbacks received once the outbox
# has drained (each exactly once across the instances). Bounded: ~1-2 minutes with a debug build.
#   FREEDOMPAY_TEST_POSTGRES_URL=$(scripts/dev-postgres.sh) scripts/scaleout-test.sh
# Env: FREEDOMPAY_BIN (default: the debug build), SCALEOUT_OPERATIONS (2000), SCALEOUT_SEED, SCALEOUT_KEEP=1
# keeps the database and logs, SCALEOUT_RACE_RATE (0.05: share of requests sent to two instances at once).
# SCALEOUT_PAYOUT_RATE (0.1: share of operations that are payouts), SCALEOUT_FUND (4000: the merchant's payout
# balance in KZT, less than the load asks for, so concurrent payouts also meet 8888 "insufficient balance").
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

if [ -z "${FREEDOMPAY_TEST_POSTGRES_URL:-}" ]; then
  if [ -n "${CI:-}" ]; then echo "scaleout-test: FREEDOMPAY_TEST_POSTGRES_URL is required in CI" >&2; exit 1; fi
  echo "scaleout-test: skipped (set FREEDOMPAY_TEST_POSTGRES_URL, e.g. from scripts/dev-postgres.sh)"; exit 0
fi
BIN="${FREEDOMPAY_BIN:-$(swift build --show-bin-path)/freedompay}"
[ -x "$BIN" ] || { echo "scaleout-test: no binary at $BIN (swift build first)" >&2; exit 1; }

ADMIN_URL="$FREEDOMPAY_TEST_POSTGRES_URL"
DB="fp_scaleout_$(date +%s)_$$"
DB_URL="${ADMIN_URL%/*}/$DB"
WORK=$(mktemp -d /tmp/fp-scaleout.XXXXXX)
PIDS=()
cleanup() {
  [ -z "${FUND_PID:-}" ] || kill "$FUND_PID" 2>/dev/null || true
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${SCALEOUT_KEEP:-}" != 1 ]; then
    psql "$ADMIN_URL" -q -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
    rm -rf "$WORK"
  else
    echo "kept: database $DB_URL, logs in $WORK"
  fi
}
trap cleanup EXIT

psql "$ADMIN_URL" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $DB" >/dev/null
# One key for every instance: each must open the secrets the others sealed.
KEY="7:$(python3 -c 'import os,base64;print(base64.b64encode(os.urandom(32)).decode())')"
COMMON=(--postgres "$DB_URL" --no-sandbox --encryption-key "$KEY")
"$BIN" migrate "${COMMON[@]}" --data "$WORK/migrate" >/dev/null
PARTNER=$("$BIN" partners create "${COMMON[@]}" --data "$WORK/provision" --name "Scale-out" --json)
AUTH_ID=$(printf '%s' "$PARTNER" | python3 -c 'import json,sys;print(json.load(sys.stdin)["auth_id"])')
SECRET=$(printf '%s' "$PARTNER" | python3 -c 'import json,sys;print(json.load(sys.stdin)["secret"])')
MERCHANT=$("$BIN" merchants create "${COMMON[@]}" --data "$WORK/provision" --name "Scale-out payouts" --json)
field() { printf '%s' "$MERCHANT" | python3 -c "import json,sys;print(json.load(sys.stdin)['$1'])"; }
MERCHANT_ID=$(field merchant_id); PAYMENT_SECRET=$(field payment_secret); PAYOUT_SECRET=$(field payout_secret)

PORTS=$(python3 - <<'PY'
import socket
sockets = [socket.socket() for _ in range(4)]
for s in sockets: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))
for s in sockets: s.close()
PY
)
# Payout balances have no production top-up route: a short-lived sandbox instance on the same database funds it.
FUND_PORT=${PORTS##* }; PORTS=${PORTS% *}
"$BIN" serve "${COMMON[@]}" --sandbox --data "$WORK/funding" --port "$FUND_PORT" --log-level warning >"$WORK/funding.log" 2>&1 &
FUND_PID=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$FUND_PORT/status/healthcheck" >/dev/null 2>&1 && break; sleep 0.2; done
FUND="${SCALEOUT_FUND:-4000}"
"$BIN" sandbox fund --base-url "http://127.0.0.1:$FUND_PORT" --merchant "$MERCHANT_ID" --payout-secret "$PAYOUT_SECRET" --amount "$FUND" >/dev/null \
  || { echo "scaleout-test: funding the merchant failed" >&2; cat "$WORK/funding.log" >&2; exit 1; }
kill "$FUND_PID"; wait "$FUND_PID" 2>/dev/null || true; FUND_PID=

URLS=()
for port in $PORTS; do
  "$BIN" serve "${COMMON[@]}" --data "$WORK/server-$port" --port "$port" --log-level warning >"$WORK/server-$port.log" 2>&1 &
  PIDS+=($!)
  URLS+=("http://127.0.0.1:$port")
done
for url in "${URLS[@]}"; do
  for _ in $(seq 1 100); do
    curl -fsS "$url/status/healthcheck" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS "$url/status/healthcheck" >/dev/null || { echo "scaleout-test: $url did not start" >&2; cat "$WORK"/server-*.log >&2; exit 1; }
done

SERVERS=$(IFS=,; echo "${URLS[*]}")
echo "scaleout-test: 3 instances ($SERVERS) on database $DB"
python3 scripts/scaleout_driver.py --servers "$SERVERS" --auth-id "$AUTH_ID" --secret "$SECRET" --database-url "$DB_URL" \
  --operations "${SCALEOUT_OPERATIONS:-2000}" --clients 64 --cards 20 ${SCALEOUT_SEED:+--seed "$SCALEOUT_SEED"} \
  --race-rate "${SCALEOUT_RACE_RATE:-0.05}" --merchant-id "$MERCHANT_ID" --payment-secret "$PAYMENT_SECRET" \
  --payout-secret "$PAYOUT_SECRET" --funded-minor $((FUND * 100)) --payout-rate "${SCALEOUT_PAYOUT_RATE:-0.1}" || status=1
"$BIN" audit --postgres "$DB_URL" || status=1
[ "${status:-0}" = 0 ] || { echo "scaleout-test: FAILED" >&2; exit 1; }
for pid in "${PIDS[@]}"; do
  kill -0 "$pid" 2>/dev/null || { echo "scaleout-test: a server exited during the run" >&2; cat "$WORK"/server-*.log >&2; exit 1; }
done
echo "scaleout-test: passed"

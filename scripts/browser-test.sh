#!/usr/bin/env bash
# Headless-Chromium test of the hosted payment page: starts a sandbox server on a fresh data folder, creates
# payments, opens each pg_redirect_url in Chromium, fills and submits the card form with a success card, a
# decline card and a 3-D Secure card (typing the code on the simulated 3DS page), and checks each lands on the
# success or failure URL with the matching status. Then the operator dashboard (scripts/dashboard_browser_test.py). Needs chromium (apt-get install -y chromium) and python3. Builds the CLI if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$CHROMIUM" ]]; then echo "chromium not found (apt-get install -y chromium)" >&2; exit 1; fi
command -v python3 >/dev/null || { echo "python3 not found" >&2; exit 1; }
swift build --product freedompay
DATA=$(mktemp -d)
PORT=$((18000 + RANDOM % 2000))
.build/debug/freedompay serve --data "$DATA" --host 127.0.0.1 --port "$PORT" > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$PORT/status/healthcheck" >/dev/null 2>&1 && break
    sleep 0.2
done
python3 scripts/browser_test.py "http://127.0.0.1:$PORT" "$DATA" "$CHROMIUM"
# Operator dashboard: log in, find a card issued by API (masked), redeliver a purchase's callback to a local receiver.
python3 scripts/dashboard_browser_test.py "http://127.0.0.1:$PORT" "$DATA" "$CHROMIUM" .build/debug/freedompay

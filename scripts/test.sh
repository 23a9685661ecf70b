#!/usr/bin/env bash
# The project's test command (README and .ci/run both use it): builds everything and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
swift build --build-tests
swift test --skip-build
scripts/smoke.sh
scripts/scaleout-test.sh

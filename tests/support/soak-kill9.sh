#!/usr/bin/env bash
# Soak: kill -9 the daemon at random moments many times (default 200 rounds),
# healing and checking SQLite against the index after each round.
# Usage: tests/support/soak-kill9.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
TRICORDER_SOAK_ROUNDS="${1:-200}" cargo test --locked --release --test daemon \
    kill_minus_nine_rounds_never_duplicate_or_lose_anything -- --nocapture

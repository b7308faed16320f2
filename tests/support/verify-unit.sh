#!/usr/bin/env bash
# Checks config/tricorder.service with `systemd-analyze verify`, pointing the
# unit at a tricorder binary that exists (verify refuses a missing ExecStart).
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo build --quiet --locked
sed "s#/usr/local/bin/tricorder#$PWD/target/debug/tricorder#" config/tricorder.service > "$tmp/tricorder.service"
# User= may not exist on a build machine; that is a deployment step, not a unit error.
out=$(systemd-analyze verify "$tmp/tricorder.service" 2>&1 | grep -v -e "Failed to resolve user" -e "User .* not found" || true)
if [ -n "$out" ]; then
    echo "systemd-analyze verify found problems in config/tricorder.service:" >&2
    echo "$out" >&2
    exit 1
fi
echo "config/tricorder.service: systemd-analyze verify OK" >&2

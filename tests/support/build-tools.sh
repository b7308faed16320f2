#!/usr/bin/env bash
# Building tricorder compiles C code (SQLite, aws-lc, jemalloc): it needs a C
# compiler and make. Installs Debian's build-essential when either is missing.
set -euo pipefail
if command -v cc >/dev/null 2>&1 && command -v make >/dev/null 2>&1; then
    exit 0
fi
echo "installing build-essential (a C compiler and make, to build SQLite, aws-lc and jemalloc)" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq build-essential >/dev/null

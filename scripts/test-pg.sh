#!/usr/bin/env bash
# Runs the test suite against the local PostgreSQL (each vitest worker gets a fresh database <name>_w<N>).
set -euo pipefail
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kasir_test}"
exec npx vitest run "$@"

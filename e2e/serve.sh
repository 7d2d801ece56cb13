#!/usr/bin/env bash
# Starts one Steward server for Playwright on its own embedded database under .e2e/<name>.
# "seeded" first creates users and tokens with the CLI (the server is not running yet, so the
# CLI may open the embedded database) and writes their credentials to .e2e/seeded/fixtures.json.
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1; port=$2
# STEWARD_NOTIFY_ALLOW_PRIVATE: e2e/notifications.spec.ts posts to a receiver on 127.0.0.1.
export STEWARD_DATA_DIR="$PWD/.e2e/$name" NEXT_TELEMETRY_DISABLED=1 STEWARD_WORKER=on STEWARD_NOTIFY_ALLOW_PRIVATE=1
unset DATABASE_URL
rm -rf "$STEWARD_DATA_DIR"; mkdir -p "$STEWARD_DATA_DIR"
if [ "$name" = "seeded" ]; then
  export STEWARD_LOGIN_MAX_ATTEMPTS=1000
  node e2e/seed.mjs "$STEWARD_DATA_DIR"
else
  export STEWARD_LOGIN_MAX_ATTEMPTS=5 STEWARD_LOGIN_WINDOW_SECONDS=60
  # First-run setup asks for a one-time code; with the embedded database the CLI cannot issue one
  # while this server runs, so the code is set here (e2e/first-run.spec.ts uses the same value).
  export STEWARD_SETUP_CODE=e2e-first-run-setup-code
fi
exec npx next start -H 127.0.0.1 -p "$port"

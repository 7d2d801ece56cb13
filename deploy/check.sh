#!/usr/bin/env bash
# Checks what deploy/ ships for Prometheus and Grafana with promtool (Debian: apt-get install
# --no-install-recommends prometheus): the alert rules parse, their unit tests pass, and every
# query of the Grafana dashboard is valid PromQL. Exit 0 when all hold.
set -euo pipefail
cd "$(dirname "$0")"
promtool check rules prometheus/steward-rules.yml
promtool test rules prometheus/steward-rules.test.yml
# The dashboard's queries, as recording rules so promtool parses them ($root → any root).
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
node -e '
  const d = require(process.argv[1]);
  const exprs = d.panels.flatMap((p) => p.targets.map((t) => t.expr.replaceAll("$root", ".*")));
  const rules = exprs.map((e, i) => `      - record: steward:dashboard_query_${i}\n        expr: ${JSON.stringify(e)}`).join("\n");
  process.stdout.write(`groups:\n  - name: steward-dashboard-queries\n    rules:\n${rules}\n`);
' "$PWD/grafana/steward-dashboard.json" > "$tmp/dashboard-queries.yml"
promtool check rules "$tmp/dashboard-queries.yml"

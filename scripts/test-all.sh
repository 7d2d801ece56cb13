#!/usr/bin/env bash
# Runs every suite: lint, typecheck, unit, integration, build, Playwright. Counts tests across all
# of them and ends with one line "N passed, N failed". Exit code 0 only if everything passed.
# Integration tests use TEST_DATABASE_URL when set, embedded PGlite otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
out=$(mktemp -d)
passed=0; failed=0; skipped=0

step() { # name, command...  (a check that counts as one test)
  local name=$1; shift
  echo; echo "== $name"
  if "$@"; then passed=$((passed + 1)); echo "-- $name: ok"; else failed=$((failed + 1)); echo "-- $name: FAILED"; echo "step $name" >> "$out/failures.txt"; fi
}

count_vitest() { # json file
  if [ -f "$1" ]; then
    read -r p f s < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests + (r.success||r.numFailedTests?0:1), r.numPendingTests + r.numTodoTests)' "$1")
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  else
    failed=$((failed + 1))
  fi
}

list_failed() { # json file: names every failed test (and a file that failed to load), for the digest
  [ -f "$1" ] && node -e 'const path=require("path");const r=require(process.argv[1]);for(const f of r.testResults){const n=path.relative(process.cwd(),f.name);const bad=f.assertionResults.filter(t=>t.status==="failed");for(const t of bad)console.log(`${n} > ${t.fullName}: ${String((t.failureMessages||[])[0]||"").split("\n")[0].slice(0,300)}`);if(f.status==="failed"&&!bad.length)console.log(`${n}: ${String(f.message||"failed").split("\n")[0].slice(0,300)}`)}' "$1" >> "$out/failures.txt"
}

list_skipped() { # json file: names every skipped test, so a skip is never silent
  [ -f "$1" ] && node -e 'const r=require(process.argv[1]);for(const f of r.testResults)for(const t of f.assertionResults)if(t.status==="skipped"||t.status==="pending"||t.status==="todo")console.log(`-- skipped: ${require("path").relative(process.cwd(),f.name)} > ${t.fullName}`)' "$1"
}

suite_vitest() { # project
  echo; echo "== vitest $1"
  npx vitest run --project "$1" --reporter=default --reporter=json --outputFile="$out/$1.json"
  local rc=$?
  count_vitest "$out/$1.json"
  list_failed "$out/$1.json"
  list_skipped "$out/$1.json"
  # Without a PostgreSQL server the crash/resume (child process) and concurrent-migration tests
  # cannot run: they are counted as skipped (see tests/integration/helpers.ts NEEDS_POSTGRES).
  if [ "$1" = integration ] && [ -z "${TEST_DATABASE_URL:-}" ]; then
    echo "-- integration ran on embedded PGlite: the tests that need PostgreSQL are skipped (set TEST_DATABASE_URL to run them)"
  fi
  [ $rc -eq 0 ] || echo "-- vitest $1: FAILED (exit $rc)"
}

step lint npx eslint . --max-warnings=0
step typecheck npx tsc --noEmit
# Alert rules, their unit tests and the dashboard's queries (deploy/check.sh) need promtool.
if command -v promtool >/dev/null 2>&1; then step prometheus-rules bash deploy/check.sh
elif [ "${STEWARD_REQUIRE_PROMTOOL:-}" = 1 ]; then echo; echo "== prometheus-rules"; echo "-- prometheus-rules: FAILED (promtool is required here but not installed)"; failed=$((failed + 1))
else echo; echo "== prometheus-rules"; echo "-- prometheus-rules: skipped (no promtool; Debian: apt-get install --no-install-recommends prometheus)"; skipped=$((skipped + 1)); fi
suite_vitest unit
suite_vitest integration
step build npx next build

echo; echo "== playwright"
if [ -d .next ] && [ -f .next/BUILD_ID ]; then
  PLAYWRIGHT_JSON_OUTPUT_NAME="$out/e2e.json" npx playwright test --reporter=list,json
  rc=$?
  if [ -f "$out/e2e.json" ]; then
    read -r p f s < <(node -e 'const r=require(process.argv[1]).stats;console.log(r.expected, r.unexpected + r.flaky, r.skipped)' "$out/e2e.json")
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    node -e 'const r=require(process.argv[1]);const walk=(s,t)=>{for(const sp of s.specs||[])for(const x of sp.tests||[])if(x.status==="unexpected"||x.status==="flaky"){const e=(x.results||[]).map(r=>r.error&&r.error.message).find(Boolean)||x.status;console.log(`${sp.file}:${sp.line} > ${[...t,sp.title].join(" > ")}: ${String(e).replace(/\u001b\[[0-9;]*m/g,"").split("\n")[0].slice(0,300)}`)}for(const c of s.suites||[])walk(c,[...t,c.title])};for(const s of r.suites||[])walk(s,[])' "$out/e2e.json" >> "$out/failures.txt"
    [ $rc -eq 0 ] || [ "$f" -gt 0 ] || failed=$((failed + 1))
  else
    failed=$((failed + 1))
  fi
else
  echo "-- no build; Playwright not run"; failed=$((failed + 1))
fi

# The failures again, last, so that the tail of a long log names them.
if [ -s "$out/failures.txt" ]; then echo; echo "== failures"; sed 's/^/-- failed: /' "$out/failures.txt"; fi
echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]

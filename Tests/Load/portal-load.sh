#!/usr/bin/env bash
# The portal under load (issue #11 §3), a benchmark, not a test: wrk on loopback against a
# district's report page of the demo's 86,000-contract database, while the monthly run and an
# invoice ingest write to the same database; the portal's memory sampled every 10 seconds.
#
# Usage: Tests/Load/portal-load.sh [SECONDS]   (release binaries in .build/release; needs wrk)
# Prints wrk's summary (requests/s, latency percentiles, errors) and the memory samples.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-300}"
bin="$PWD/.build/release"
work="$(mktemp -d /tmp/sublet-load.XXXXXX)"
echo "load: the demo's database in $work (86,000 contracts, 10,000 invoices)" >&2
"$bin/sublet" demo --dir "$work/demo" >"$work/demo.txt"
line="$(grep -E '^  [a-z]{2}@demo.invalid ' "$work/demo.txt" | head -1)"
email="$(echo "$line" | awk '{print $1}')"; password="$(echo "$line" | awk '{print $2}')"
district="$(echo "$email" | cut -d@ -f1 | tr a-z A-Z)"
month="$(ls "$work/demo/outbox/$district" | sort | tail -1)"
"$bin/sublet-portal" --config "$work/demo/portal.toml" >"$work/portal.log" 2>&1 &
portal=$!
trap 'kill $portal 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf http://127.0.0.1:8080/healthz >/dev/null && break; sleep 0.2; done

# Log in as the district's officer (the form's token and its cookie, then the session cookie).
jar="$work/cookies"
token="$(curl -s -c "$jar" http://127.0.0.1:8080/logga-in | grep -o 'name="csrf" value="[0-9a-f]*"' | sed 's/.*value="//; s/"//')"
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "email=$email" --data-urlencode "password=$password" \
    --data-urlencode "csrf=$token" http://127.0.0.1:8080/logga-in
session="$(awk '$6 == "sublet_session" {print $7}' "$jar")"
page="http://127.0.0.1:8080/sdf/$district/avstamning/$month"
status="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: sublet_session=$session" "$page")"
[ "$status" = 200 ] || { echo "load: $page answers $status" >&2; exit 1; }

# Writers meanwhile: next month's notices, and the month's invoice feed again under a new name
# (a new digest: every invoice read, checked and found a duplicate, in one write transaction).
export SUBLET_DB="$work/demo/sublet.sqlite" SUBLET_CONFIG="$work/demo/portal.toml"
(
    next="$(date -d "$(date +%Y-%m-01) +2 month" +%Y-%m)"
    /usr/bin/time -f "load: monthly run for $next %e s" "$bin/sublet" notices run --period "$next" -q
    feed="$(ls "$work"/demo/invoices-*.xml | head -1)"
    cp "$feed" "$work/again.xml" && printf '<!-- again -->\n' >>"$work/again.xml"
    /usr/bin/time -f "load: invoice ingest %e s" "$bin/sublet" invoices ingest "$work/again.xml" -q
) >"$work/writers.txt" 2>&1 &
writers=$!

(for _ in $(seq $((seconds / 10))); do ps -o rss= -p "$portal"; sleep 10; done) >"$work/rss.txt" &
sampler=$!
echo "load: wrk for $seconds s on $page" >&2
wrk -t2 -c32 -d"${seconds}s" --latency -H "Cookie: sublet_session=$session" "$page"
wait $writers; wait $sampler || true
cat "$work/writers.txt"
echo "load: portal RSS every 10 s (KB): $(tr '\n' ' ' <"$work/rss.txt")"

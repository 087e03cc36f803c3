#!/usr/bin/env bash
# The load test against the local production stack: deploy/loadtest/run.sh [USERS] [DURATION] [SPAWN_RATE]
# (defaults 50 users, 2m, 10 users/s). Start the stack first: deploy/stack start --demo
# Writes deploy/loadtest/results/portal_{stats,failures,exceptions,stats_history}.csv and prints a summary.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
USERS=${1:-50}
DURATION=${2:-2m}
SPAWN_RATE=${3:-10}
HOST=${PORTAL_LOADTEST_HOST:-http://127.0.0.1:${PORTAL_STACK_HTTP_PORT:-8080}}
OUT=${PORTAL_LOADTEST_OUT:-$ROOT/deploy/loadtest/results}

case "$HOST" in
    http://127.0.0.1:* | http://localhost:*) ;;
    *)
        echo "refusing to load-test $HOST: only 127.0.0.1 / localhost" >&2
        exit 2
        ;;
esac
"$ROOT/deploy/stack" status >/dev/null || {
    echo "the stack is not (fully) running: deploy/stack start --demo" >&2
    exit 1
}
[ -x "$ROOT/.venv/bin/locust" ] || {
    echo "locust is not installed: .venv/bin/pip install locust" >&2
    exit 1
}

# The provincial statistics system: one API client (create_sync_client prints its token last).
TOKEN=$("$ROOT/deploy/stack" manage create_sync_client loadtest-province-sync | tail -n 1)
mkdir -p "$OUT"
"$ROOT/deploy/stack" manage pagecache_stats --reset >/dev/null || true
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
cd "$ROOT"
status=0
PORTAL_API_TOKENS=$TOKEN timeout --signal=INT 900 .venv/bin/locust -f deploy/loadtest/locustfile.py \
    --host "$HOST" --headless -u "$USERS" -r "$SPAWN_RATE" -t "$DURATION" --stop-timeout 10 \
    --csv "$OUT/portal" --only-summary --loglevel WARNING || status=$?
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
.venv/bin/python - "$OUT/portal_stats.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
total = next(r for r in rows if r["Name"] == "Aggregated")
print(f"requests {total['Request Count']}, failures {total['Failure Count']}, "
      f"{float(total['Requests/s']):.1f} req/s; latency ms p50 {total['50%']}, p95 {total['95%']}, "
      f"p99 {total['99%']}, max {float(total['Max Response Time']):.0f}")
PY
# The page cache's hits and misses of the dashboards during the run (counted in Redis by every worker).
"$ROOT/deploy/stack" manage pagecache_stats || true
exit "$status"

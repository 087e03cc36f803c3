#!/usr/bin/env bash
# Fault drills against the local production stack (deploy/stack), on 127.0.0.1 only:
#
#   1. PostgreSQL restarted under the running site: pages answer 200 again at once, without restarting
#      gunicorn (CONN_HEALTH_CHECKS drops each worker's dead connection and opens a new one).
#   2. A gunicorn worker killed: the master replaces it; no request fails.
#   3. Redis stopped: pages, login and data entry keep working (a draft save; a zone's value set submitted,
#      then returned by the zone leader so that the next run finds it open again); the recomputation that
#      could not be queued is logged, and `manage.py recompute` (the nightly job) catches up.
#      The API is probed too and its answer reported (it needs the cache: see the report).
#
#   deploy/faults.sh            starts the stack (--demo) if it is not running, and stops it again at the end
#                               if it started it (PORTAL_FAULTS_KEEP_STACK=1 keeps it)
# Exit status 0 when every drill passed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK="$ROOT/deploy/stack"
PY=${PORTAL_VENV:-$ROOT/.venv}/bin/python
HTTP=${PORTAL_STACK_HTTP:-127.0.0.1:8080}
BASE=http://$HTTP
PASSWORD=${PORTAL_DEMO_PASSWORD:-Demo-2025}
WORK=$(mktemp -d /tmp/portal-faults.XXXXXX)
STARTED_HERE=""
FAILED=0

say() { printf '\n== %s\n' "$*"; }
ok() { printf '   ok    %s\n' "$*"; }
bad() {
    printf '   FAIL  %s\n' "$*"
    FAILED=1
}

cleanup() {
    rm -rf "$WORK"
    if [ -n "$STARTED_HERE" ] && [ "${PORTAL_FAULTS_KEEP_STACK:-0}" != 1 ]; then
        "$STACK" stop
    fi
}
trap cleanup EXIT

login() { # login USER -> cookie jar $WORK/USER.jar
    local jar=$WORK/$1.jar token code
    token=$(curl -s -c "$jar" -b "$jar" "$BASE/accounts/login/" |
        sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' | head -n 1)
    code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "username=$1" \
        --data-urlencode "password=$PASSWORD" --data-urlencode "csrfmiddlewaretoken=$token" "$BASE/accounts/login/")
    [ "$code" = 302 ]
}

get() { # get USER PATH -> HTTP status (following redirects, as a browser)
    curl -s -L -o /dev/null -w '%{http_code}' --max-time 30 -b "$WORK/$1.jar" -c "$WORK/$1.jar" "$BASE$2"
}

pages() { # pages USER TIMES PATH... -> all 200?
    local user=$1 times=$2 codes="" code
    shift 2
    for _ in $(seq 1 "$times"); do
        for path in "$@"; do
            code=$(get "$user" "$path")
            codes="$codes $code"
        done
    done
    echo "$codes" | tr ' ' '\n' | sed '/^$/d' | sort | uniq -c | tr '\n' ' '
    ! echo "$codes" | tr ' ' '\n' | sed '/^$/d' | grep -qv '^200$'
}

report_action() { # report_action USER ACTION [REVIEWER] -> saves (or submits) the user's first open report;
    # after a submission REVIEWER returns it, so that the drill leaves an open report for the next run.
    "$PY" - "$BASE" "$1" "$PASSWORD" "$2" "$ROOT/deploy/loadtest" "${3:-}" <<'PY'
import http.cookiejar, re, sys, urllib.parse, urllib.request
base, user, password, action, forms_dir, reviewer = sys.argv[1:]
sys.path.insert(0, forms_dir)
from portal_forms import report_form
# Production cookies are Secure; like a browser, send them to the loopback address over plain HTTP.
http.cookiejar.DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

def session():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)

def call(path, data=None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(base + path, body, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()

def login(username):
    global opener
    opener = session()
    status, page = call("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, _ = call("/accounts/login/", {"username": username, "password": password, "csrfmiddlewaretoken": token})
    assert status == 302, f"login of {username}: {status}"

login(user)
status, todo = call("/todo/")
candidates = []
for report_id in dict.fromkeys(re.findall(r'href="/reports/(\d+)/"', todo)):
    status, page = call(f"/reports/{report_id}/")
    fields = report_form(page)
    if status == 200 and fields:
        candidates.append((report_id, fields))
# A submission queues a recomputation only for reports with values: prefer one that has value fields.
candidates.sort(key=lambda c: not any(name.startswith(("done__", "value__")) for name in c[1]))
if not candidates:
    print("no open report found")
    sys.exit(1)
report_id, fields = candidates[0]
fields["action"] = action
if action == "submit":  # a submission needs the narrative (and here a milestone date) filled in
    for name, value in {"progress": "in_progress", "progress_pct": "50", "work_done": "故障演练：按计划推进",
                        "next_steps": "继续推进"}.items():
        if name in fields and not fields[name]:
            fields[name] = value
    for name in fields:
        if name.startswith("value__") and not fields[name]:
            fields[name] = "1"
status, answer = call(f"/reports/{report_id}/", fields)
text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer))
print(f"report {report_id}: {action} -> {status}" + ("" if status == 302 else f": {text[:300]}"))
if status != 302:
    sys.exit(1)
if action == "submit" and reviewer:
    login(reviewer)
    status, page = call(f"/reports/{report_id}/")
    version = re.search(r'id="review-form".*?name="version" value="(\d+)"', page, re.S).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, _ = call(f"/reports/{report_id}/review/", {"csrfmiddlewaretoken": token, "action": "return",
                                                       "version": version, "reason": "故障演练，退回待重新提交"})
    print(f"(returned by {reviewer}: {status})")
    sys.exit(0 if status == 302 else 1)
PY
}

if ! "$STACK" status >/dev/null 2>&1; then
    say "starting the stack"
    "$STACK" start --demo
    STARTED_HERE=yes
fi
set -a
# shellcheck disable=SC1091
. "${PORTAL_STACK_DIR:-$ROOT/.stack}/env"
set +a
WORKERS=$(pgrep -P "$(cat "${PORTAL_STACK_DIR:-$ROOT/.stack}/run/web.pid")" | wc -l)
TOKEN=$("$STACK" manage create_sync_client faults-province-sync | tail -n 1)
api() { curl -s -o /dev/null -w '%{http_code}' --max-time 30 -H "Authorization: Token $TOKEN" "$BASE$1"; }
# The submission drill needs an open report of 禄丰's with values. After the plan's end the demo has approved
# them all: the office reopens the latest one, as it would to have a figure corrected.
"$STACK" manage shell -c '
from chuxiong_portal.models import User
from indicators.models import DispatchReport
from indicators.reporting.services import report_reopen
reports = DispatchReport.objects.filter(zone__code="lufeng", task=None, values__isnull=False).distinct()
if not reports.filter(state__in=["pending", "draft", "returned"]).exists():
    report_reopen(report=reports.filter(state="approved").order_by("-period__end").first(),
                  user=User.objects.get(username="demo-office"), reason="故障演练：重新开放以便再次报送")
' >/dev/null

login demo-office || bad "demo-office cannot log in"
say "baseline"
if result=$(pages demo-office 2 / /zones/lufeng/ /tasks/9/); then ok "pages: $result"; else bad "pages: $result"; fi

# --- 1. PostgreSQL restart ------------------------------------------------------------------------------
say "1. PostgreSQL restarted under the running site ($WORKERS gunicorn workers, each with a now dead connection)"
"$STACK" pg-restart
started=$(date +%s.%N)
# Enough requests that every worker serves some: each must notice its dead connection and reconnect.
if result=$(pages demo-office $((WORKERS * 2)) /zones/lufeng/ /tasks/9/); then
    ok "pages right after the restart: $result"
else
    bad "pages right after the restart: $result"
fi
ok "$(printf '%.1f' "$(echo "$(date +%s.%N) - $started" | bc)")s for $((WORKERS * 4)) requests; gunicorn pid unchanged: $(cat "${PORTAL_STACK_DIR:-$ROOT/.stack}/run/web.pid")"
code=$(api /api/v1/zones/)
[ "$code" = 200 ] && ok "API after the restart: $code" || bad "API after the restart: $code"

# --- 2. a gunicorn worker dies --------------------------------------------------------------------------
say "2. a gunicorn worker killed (SIGKILL)"
victim=$(pgrep -P "$(cat "${PORTAL_STACK_DIR:-$ROOT/.stack}/run/web.pid")" | head -n 1)
kill -KILL "$victim"
if result=$(pages demo-office 4 /zones/lufeng/ /); then ok "pages: $result"; else bad "pages: $result"; fi
sleep 2
ok "workers now: $(pgrep -P "$(cat "${PORTAL_STACK_DIR:-$ROOT/.stack}/run/web.pid")" | wc -l) (was $WORKERS; $victim replaced)"

# --- 3. Redis stopped ----------------------------------------------------------------------------------
say "3. Redis stopped"
"$STACK" redis-stop
weblog_before=$(wc -l <"${PORTAL_STACK_DIR:-$ROOT/.stack}/log/web.log")
login demo-ndrc-staff && ok "login while Redis is down" || bad "login while Redis is down"
if result=$(pages demo-ndrc-staff 2 / /todo/ /zones/lufeng/); then ok "pages: $result"; else bad "pages: $result"; fi
if out=$(report_action demo-ndrc-staff save); then ok "draft saved: $out"; else bad "draft save: $out"; fi
started=$(date +%s.%N)
if out=$(report_action demo-lufeng-stats submit demo-lufeng-leader | tr "\n" " "); then
    ok "submitted: $out in $(printf '%.1f' "$(echo "$(date +%s.%N) - $started" | bc)")s (login included)"
else
    bad "submission: $out"
fi
if tail -n +"$weblog_before" "${PORTAL_STACK_DIR:-$ROOT/.stack}/log/web.log" | grep -q "could not queue indicators.jobs.recompute_targets"; then
    ok "the job that could not be queued is logged (web.log: could not queue …)"
else
    bad "no 'could not queue' line in web.log"
fi
code=$(api /api/v1/zones/)
if [ "$code" = 200 ]; then
    ok "API while Redis is down: $code"
else
    printf '   note  API while Redis is down: %s (throttling needs the cache; see chuxiong_portal/cache.py)\n' "$code"
fi
"$STACK" redis-start
"$STACK" manage recompute | tail -n 1 | sed 's/^/   ok    nightly catch-up: /'
code=$(api /api/v1/zones/)
[ "$code" = 200 ] && ok "API with Redis back: $code" || bad "API with Redis back: $code"

say "$([ "$FAILED" = 0 ] && echo "all drills passed" || echo "SOME DRILLS FAILED")"
exit "$FAILED"

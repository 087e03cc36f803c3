#!/usr/bin/env bash
# Back up the portal: a pg_dump of its PostgreSQL database in custom format (everything: data, histories,
# users with password hashes, tokens, sessions) and the application-level JSON export (manage.py
# export_data: portable between PostgreSQL versions and servers; no credentials).
#
#   deploy/backup.sh [DIR]          default DIR: $PORTAL_BACKUP_DIR or /var/backups/portal
#
# Reads DATABASE_URL (and the rest of the portal's settings, for the JSON export) from the environment or,
# when it is not set there, from $PORTAL_ENV_FILE (default /etc/portal/env). Writes, with mode 0600:
#   DIR/portal-YYYYmmdd-HHMMSS.dump       pg_dump --format=custom, checked readable with pg_restore --list
#   DIR/portal-YYYYmmdd-HHMMSS.json.gz    manage.py export_data (skip with PORTAL_BACKUP_JSON=0)
#   DIR/portal-YYYYmmdd-HHMMSS.sha256     checksums of both
# and deletes the backups older than $PORTAL_BACKUP_KEEP_DAYS days (default 30). Copy DIR off the host.
# Cron, as the portal user: 15 2 * * * /srv/portal/app/deploy/backup.sh >>/var/log/portal-backup.log 2>&1
# Restoring: README, "Production" → "Backups and restore".
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${PORTAL_VENV:-$ROOT/.venv}/bin/python
ENV_FILE=${PORTAL_ENV_FILE:-/etc/portal/env}

if [ -z "${DATABASE_URL:-}" ] && [ -r "$ENV_FILE" ]; then
    set -a
    # shellcheck disable=SC1090
    . "$ENV_FILE"
    set +a
fi
[ -n "${DATABASE_URL:-}" ] || {
    echo "backup: DATABASE_URL is not set (nor in $ENV_FILE)" >&2
    exit 2
}
case "$DATABASE_URL" in
    postgres://* | postgresql://*) ;;
    *)
        echo "backup: DATABASE_URL is not PostgreSQL; for SQLite use manage.py export_data" >&2
        exit 2
        ;;
esac

DIR=${1:-${PORTAL_BACKUP_DIR:-/var/backups/portal}}
KEEP_DAYS=${PORTAL_BACKUP_KEEP_DAYS:-30}
STAMP=$(date +%Y%m%d-%H%M%S)
BASE=$DIR/portal-$STAMP
umask 077
mkdir -p "$DIR"

# The newest pg_dump installed: it must be at least the server's version.
PG_BIN=${PG_BIN:-$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n 1)}
PG_DUMP=${PG_BIN:+$PG_BIN/}pg_dump
PG_RESTORE=${PG_BIN:+$PG_BIN/}pg_restore

# Connection parameters as PG* variables: the password never appears on a command line (ps).
eval "$("$PY" - <<'PY'
import os, shlex
from urllib.parse import unquote, urlsplit
url = urlsplit(os.environ["DATABASE_URL"])
for name, value in (("PGHOST", url.hostname), ("PGPORT", url.port), ("PGUSER", url.username),
                    ("PGPASSWORD", url.password), ("PGDATABASE", url.path.lstrip("/"))):
    if value:
        print(f"export {name}={shlex.quote(unquote(str(value)))}")
PY
)"

started=$(date +%s)
echo "backup: dumping $PGDATABASE on ${PGHOST:-local}:${PGPORT:-5432} to $BASE.dump"
"$PG_DUMP" --format=custom --compress=6 --no-owner --no-privileges --file="$BASE.dump.partial"
"$PG_RESTORE" --list "$BASE.dump.partial" >/dev/null # a truncated or corrupt dump fails here
mv "$BASE.dump.partial" "$BASE.dump"
files=("$BASE.dump")

if [ "${PORTAL_BACKUP_JSON:-1}" != 0 ]; then
    echo "backup: exporting the application data to $BASE.json.gz"
    (cd "$ROOT" && "$PY" manage.py export_data "$BASE.json.gz")
    files+=("$BASE.json.gz")
fi

(cd "$DIR" && sha256sum "${files[@]##*/}" >"$BASE.sha256")
find "$DIR" -maxdepth 1 -type f -name 'portal-*' -mtime +"$KEEP_DAYS" -print -delete | sed 's/^/backup: deleted old /'
echo "backup: done in $(($(date +%s) - started))s: $(du -ch "${files[@]}" | tail -n 1 | cut -f1) in ${#files[@]} files"

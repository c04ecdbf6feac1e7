#!/usr/bin/env bash
# `make stack`: the production stack on this machine, in one command (docs/operations.md).
# Caddy on http://127.0.0.1:$STACK_PORT in front of gunicorn (3 processes), two task workers and the
# scheduler, against PostgreSQL and Redis, with DEBUG off, from the Procfile run by honcho.
# Environment: STACK_PORT (8100), DATABASE_URL (postgres://postgres@127.0.0.1:5432/coopsip_stack),
# REDIS_URL (redis://127.0.0.1:6379/2), STACK_DIR (var/stack), STACK_DEMO=1 to load the demo data.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${STACK_PORT:-8100}
dir=$(realpath -m "${STACK_DIR:-var/stack}")
mkdir -p "$dir"
set -a
# shellcheck source=/dev/null
. deploy/stack.env
set +a
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/coopsip_stack}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/2}
export DATA_DIR=$dir STATIC_ROOT=$dir/static MEDIA_ROOT=$dir/media COOPSIP_BACKUP_DIR=$dir/backups
export SITE_ADDRESS=http://127.0.0.1:$port SITE_URL=https://127.0.0.1:$port WEB_BIND=127.0.0.1:$((port + 1))
export EMAIL_BACKEND=${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}
export XDG_DATA_HOME=$dir/caddy XDG_CONFIG_HOME=$dir/caddy   # Caddy keeps its state in the stack's folder
[ -s "$dir/secret_key" ] || head -c 48 /dev/urandom | base64 | tr -d '/+=\n' >"$dir/secret_key"
SECRET_KEY=$(cat "$dir/secret_key")
export SECRET_KEY

command -v caddy >/dev/null || { echo "make stack needs Caddy, the documented reverse proxy: apt-get install caddy"; exit 1; }
.venv/bin/python - <<'PY'
# Create the database when it does not exist yet (the role needs CREATEDB).
import os, sys
import dj_database_url, psycopg
from psycopg import sql
db = dj_database_url.parse(os.environ["DATABASE_URL"])
try:
    conn = psycopg.connect(host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"] or None,
                           password=db["PASSWORD"] or None, dbname="postgres", autocommit=True)
except psycopg.OperationalError as error:
    sys.exit(f"make stack needs PostgreSQL ({os.environ['DATABASE_URL']}): {error}")
if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
    print(f"Created the database {db['NAME']}.")
PY
.venv/bin/python -c 'import os, redis; redis.Redis.from_url(os.environ["REDIS_URL"]).ping()' 2>/dev/null \
  || { echo "make stack needs Redis at $REDIS_URL"; exit 1; }

.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py collectstatic --no-input -v0
if [ "${STACK_DEMO:-0}" = 1 ]; then .venv/bin/python manage.py load_demo --force; fi
# The environment of the stack, for a command run beside it: `set -a; . var/stack/environment; set +a`.
env | grep -E '^(DEBUG|TASKS_BACKEND|ALLOWED_HOSTS|SECURE_|SILENCED_SYSTEM_CHECKS|PROXY_COUNT|DATABASE_URL|REDIS_URL|DATA_DIR|STATIC_ROOT|MEDIA_ROOT|COOPSIP_BACKUP_DIR|SITE_URL|EMAIL_BACKEND|SECRET_KEY)=' \
  | sed "s/=\(.*\)/='\1'/" >"$dir/environment"
echo "coopsip on http://127.0.0.1:$port/ (Ctrl+C stops every process)."
exec .venv/bin/honcho start --procfile Procfile --app-root . --env deploy/stack.env --concurrency worker=2

#!/bin/sh
# One image, several roles: docker-compose.yml (or any orchestrator) picks one.
#   web          gunicorn serving Django (platform/gunicorn.conf.py)
#   worker       Celery worker
#   beat         Celery beat, the single scheduler (run exactly one)
#   migrate      apply migrations, then exit; run it as the database owner role
#   healthcheck  exit 0 when the web process answers /health/
#   manage ...   any manage.py command, e.g. `manage createsuperuser`
set -eu
cd "$(dirname "$0")/.."

role="${1:-web}"
[ "$#" -gt 0 ] && shift

case "$role" in
  web)
    exec gunicorn --config platform/gunicorn.conf.py config.wsgi:application "$@"
    ;;
  worker)
    exec celery -A config worker \
      --loglevel="${LOG_LEVEL:-INFO}" \
      --concurrency="${CELERY_WORKER_CONCURRENCY:-$(( $(nproc) * 2 ))}" \
      --max-tasks-per-child="${CELERY_WORKER_MAX_TASKS_PER_CHILD:-1000}" \
      "$@"
    ;;
  beat)
    exec celery -A config beat --loglevel="${LOG_LEVEL:-INFO}" "$@"
    ;;
  migrate)
    exec python manage.py migrate --noinput "$@"
    ;;
  healthcheck)
    # Ask for /health/ the way the proxy would: a known host and the HTTPS marker,
    # so neither ALLOWED_HOSTS nor the HTTPS redirect gets in the way.
    exec python - <<'PY'
import os
import sys
import urllib.request

host = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip(".")
if host in ("", "*"):
    host = "localhost"
request = urllib.request.Request(
    f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/health/",
    headers={"Host": host, "X-Forwarded-Proto": "https"},
)
try:
    with urllib.request.urlopen(request, timeout=5) as response:
        sys.exit(0 if response.status == 200 else 1)
except OSError as exc:
    print(f"health check failed: {exc}", file=sys.stderr)
    sys.exit(1)
PY
    ;;
  manage)
    exec python manage.py "$@"
    ;;
  *)
    exec "$role" "$@"
    ;;
esac

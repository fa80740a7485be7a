"""Gunicorn settings for the web role (platform/entrypoint.sh web).

Every value comes from the environment, so one image fits every machine.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(
            f"Environment variable {name} must be a positive whole number, not {raw!r}."
        )
    return int(raw)


bind = f"0.0.0.0:{_int('PORT', 8000)}"
# Web processes are stateless: scale by adding workers here, or containers behind the balancer.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Recycle workers now and then so a slow leak never becomes an outage.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10
# Heartbeat files on tmpfs: a container's overlay filesystem can stall them.
_TMPFS = "/dev/shm"  # noqa: S108 - gunicorn keeps only its own heartbeat files there
worker_tmp_dir = _TMPFS if os.path.isdir(_TMPFS) else None

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()
# Who, what, status, size, referrer, agent and the time taken in milliseconds.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'

"""gunicorn's settings for coopsip (the stack and the systemd unit use this file).

Environment: WEB_BIND (127.0.0.1:8001), WEB_CONCURRENCY (3 processes), WEB_TIMEOUT (30 s).
"""

import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
# The queue in front of the processes: the proxy stamps each request (X-Request-Start) and a request that
# waited too long is answered 503 at once by ops/overload.py, so this backlog only has to hold a burst.
backlog = int(os.environ.get("WEB_BACKLOG", "2048"))
graceful_timeout = 20
# Restart each process after a while, so that slow growth of memory never adds up.
max_requests = 2000
max_requests_jitter = 200
# Only the reverse proxy on this machine talks to gunicorn; it sets X-Forwarded-For/-Proto.
forwarded_allow_ips = "127.0.0.1"
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
# No control socket in $HOME: systemd (or honcho) manages the processes, and two stacks on one
# machine would fight over the same socket.
control_socket_disable = True

# Load Django and every page's code once, before the processes fork: they start at once, share that
# memory, and the first request of each process does not pay for the imports (seconds on a busy machine).
preload_app = True


def when_ready(server):  # type: ignore[no-untyped-def]
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view)

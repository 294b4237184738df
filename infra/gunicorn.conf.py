"""gunicorn settings for production: ``gunicorn -c infra/gunicorn.conf.py portal.wsgi:app``.

Put it behind a reverse proxy that terminates TLS; it binds to loopback by default.
"""

import multiprocessing
import os

bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PORTAL_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("PORTAL_WEB_THREADS", "2"))
worker_class = "gthread"
timeout = 60
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
# The proxy in front sets X-Forwarded-*; trust it only from the local machine.
forwarded_allow_ips = os.environ.get("PORTAL_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'

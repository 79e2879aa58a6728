"""gunicorn settings for KBO: `gunicorn -c deploy/gunicorn.conf.py kbo_site.wsgi`.

Used by deploy/kbo-web.service and by CI's smoke test (.ci/smoke), so the tested command is
the deployed one. The bind address comes from KBO_BIND; nginx (TLS) sits in front.
"""

import os

bind = os.environ.get("KBO_BIND", "127.0.0.1:8000")
# 4 processes × 4 threads: a thread waits on PostgreSQL while another renders. On a 2-core
# machine this served the load bench's 200 browsing + 50 scoring users (make bench).
workers = int(os.environ.get("KBO_WORKERS", "4"))
worker_class = "gthread"
threads = int(os.environ.get("KBO_THREADS", "4"))
# The longest request is a large .xlsx export or a PDF; imports run in the task worker.
timeout = 120
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak can never grow without bound.
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
# Only the local proxy may say the request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = "127.0.0.1"

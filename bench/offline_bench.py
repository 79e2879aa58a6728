"""Offline scoring figures (issue 14 §2), in Chromium on a phone profile (390 × 844, touch)
against gunicorn as deployed (DEBUG off, compressed static files), through a byte-counting
proxy on 127.0.0.1:

- the scoring page: bytes transferred on a first load (nothing on the phone yet) and on a cached
  load (after the member opened the round: the service worker has the page's files and images;
  the page itself is still asked from the network first);
- time to the first score input on a first load under slow 3G (Chromium's emulation through
  CDP Network.emulateNetworkConditions: 400 kbit/s each way, 400 ms round trip);
- 30 scores entered offline (6 criteria × 5 products, walking the products from the phone's
  copies): seconds from reconnecting until all 30 are on the server (target < 5 s);
- forced retries: every save post is sent to the server 3 more times and the first answer of
  each is dropped (the phone sends it again with its key): duplicates stored (target 0).

The scoring page carries a product photo once issue 14 §1 adds it; the bytes are then the
page's with its photo.

By itself, against a database that holds the demo registry (manage.py build_demo --stage registry):

    DATABASE_URL=postgres://… DJANGO_SETTINGS_MODULE=kbo_site.settings .venv/bin/python -c \
      "import django; django.setup(); from bench.common import run_standalone; \
       from bench.offline_bench import offline_figures; run_standalone(offline_figures, 'the demo registry')"
"""

import os
import shutil
import socket
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from kbo_site.models import Action, ActionLog
from selection.models import RoundState, Score, ScoreSaveKey

from .common import Row, free_port, not_available, seconds, session_for, stop_gunicorn
from .load_bench import HOST, start_gunicorn
from .selection_bench import _committee, _round

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True,
         "locale": "th-TH"}
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400 * 1000 / 8, "uploadThroughput": 400 * 1000 / 8}
PRODUCTS = 5
SCORES = 30
RECONNECT_TARGET = 5.0
FORCED_RETRIES = 3


class CountingProxy:
    """A TCP proxy from a port of its own to gunicorn that counts the bytes each way."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.port = free_port(HOST)
        self.down = 0
        self.up = 0
        self.lock = threading.Lock()
        self.server = socket.create_server((HOST, self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection((HOST, self.target_port))
            threading.Thread(target=self._pipe, args=(client, upstream, "up"), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, "down"), daemon=True).start()

    def _pipe(self, source, sink, direction):
        try:
            while data := source.recv(65536):
                with self.lock:
                    setattr(self, direction, getattr(self, direction) + len(data))
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def reset(self):
        with self.lock:
            self.down = self.up = 0

    def close(self):
        self.server.close()


def _kib(value):
    return f"{value / 1024:.1f} KiB"


def _wait(predicate, timeout, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def _settle(proxy, quiet=1.0, timeout=30):
    """Wait until no byte has moved for `quiet` seconds (the page and its worker are done)."""
    last, since = -1, time.monotonic()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = proxy.down + proxy.up
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.1)


def offline_figures(ctx):
    label = "Offline scoring (Chromium, phone profile)"
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return [not_available(label, "", "needs PostgreSQL")]
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        return [not_available(label, "", "gunicorn is not installed")]
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return [not_available(label, "", "playwright is not installed")]

    # Playwright's sync API runs an event loop in this thread; the ORM calls between its steps
    # are synchronous and safe (as in tests/browser/conftest.py).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    tag = f"offline-{int(time.time())}"  # a second run by itself against the same database
    committee, members = _committee(tag)
    round, criteria = _round(committee, tag, PRODUCTS, RoundState.SCORING)
    submissions = list(round.submissions.order_by("product__code").values_list("pk", flat=True))
    member, retry_member = members[1], members[2]
    sessions = {m.pk: session_for(m.user) for m in (member, retry_member)}

    static_root = ctx.tmp / "offline-static"
    _collect_compressed(static_root)
    connection.close()  # gunicorn's workers and this process must not share a connection
    port = free_port(HOST)
    process = start_gunicorn(port, static_root, workers=2, threads=4)
    proxy = CountingProxy(port)
    base = f"http://{HOST}:{proxy.port}"
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"])
            try:
                rows += _bytes_and_first_input(browser, base, proxy, round, submissions, sessions[member.pk])
                rows += _offline_path(browser, base, round, submissions, criteria, member, sessions[member.pk])
                rows += _forced_retries(browser, base, round, submissions, criteria, retry_member,
                                        sessions[retry_member.pk])
            finally:
                browser.close()
    finally:
        proxy.close()
        stop_gunicorn(process)
    return rows


def _collect_compressed(static_root):
    """The production storage (hashed names, gzip and Brotli copies): the bytes a phone gets."""
    from django.core.management import call_command
    from django.test.utils import override_settings

    storage = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    with override_settings(STATIC_ROOT=static_root, STORAGES={**settings.STORAGES, "staticfiles": storage}):
        call_command("collectstatic", interactive=False, verbosity=0)


def _context(browser, base, session_key, **options):
    context = browser.new_context(**PHONE, **options)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": base}])
    return context


def _bytes_and_first_input(browser, base, proxy, round, submissions, session_key):
    form_url = f"{base}/selection/{round.pk}/score/{submissions[0]}/"
    list_url = f"{base}/selection/{round.pk}/score/"

    context = _context(browser, base, session_key)
    page = context.new_page()
    proxy.reset()
    page.goto(form_url, wait_until="load")
    _settle(proxy)
    first = proxy.down + proxy.up
    # The member opens the round: the worker keeps its pages, their images and the static files.
    page.goto(list_url, wait_until="load")
    page.wait_for_selector("#kbo-offline[data-kept='1']", state="attached", timeout=60_000)
    _settle(proxy)
    proxy.reset()
    page.goto(form_url, wait_until="load")
    _settle(proxy)
    cached = proxy.down + proxy.up
    controlled = page.evaluate("!!navigator.serviceWorker.controller")
    context.close()

    context = _context(browser, base, session_key)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    page.goto(form_url, wait_until="commit", timeout=120_000)
    # The input is there, laid out, and styled (every stylesheet of the page has loaded).
    first_input_ms = page.wait_for_function(
        "() => { const e = document.querySelector('.score-input');"
        " const styled = [...document.querySelectorAll('link[rel=stylesheet]')].every(l => l.sheet);"
        " return e && styled && e.getBoundingClientRect().height > 0 && !e.disabled && performance.now(); }",
        timeout=120_000, polling=50).json_value()
    context.close()

    return [
        Row("Scoring page, phone: bytes on a first load (page, files, worker)", _kib(first), "reference", None),
        Row("Scoring page, phone: bytes on a cached load (service worker)",
            f"{_kib(cached)} ({cached / first:.0%} of the first)" + ("" if controlled else " · NOT controlled"),
            "less than the first", cached < first and controlled),
        Row("Scoring page: time to the first score input, slow 3G (400 kbit/s, 400 ms RTT)",
            seconds(first_input_ms / 1000), "reference", None),
    ]


def _entered(page, criterion_pk):
    page.wait_for_function(f"() => document.getElementById('status-{criterion_pk}').textContent === 'รอส่ง'",
                           timeout=15_000)


def _offline_path(browser, base, round, submissions, criteria, member, session_key):
    context = _context(browser, base, session_key)
    page = context.new_page()
    page.goto(f"{base}/selection/{round.pk}/score/", wait_until="load")
    page.wait_for_selector("#kbo-offline[data-kept='1']", state="attached", timeout=60_000)
    page.evaluate("navigator.serviceWorker.ready")
    page.goto(f"{base}/selection/{round.pk}/score/{submissions[0]}/", wait_until="load")
    context.set_offline(True)
    entered = 0
    for position, submission in enumerate(submissions):
        if position:
            page.goto(f"{base}/selection/{round.pk}/score/{submission}/", wait_until="load")
        for i, criterion in enumerate(criteria):
            field = page.locator(f"#value-{criterion.pk}")
            field.fill(str(10 + (position + i) % 10))
            field.blur()
            _entered(page, criterion.pk)
            entered += 1
    stored_offline = Score.objects.filter(submission__round=round, member=member).count()

    started = time.perf_counter()
    context.set_offline(False)  # the browser's own `online` event starts the sending
    arrived = _wait(lambda: Score.objects.filter(submission__round=round, member=member).count() >= SCORES, 30)
    elapsed = time.perf_counter() - started
    connection.close()
    context.close()
    figure = f"{entered} scores entered offline: on the server after reconnecting"
    if not arrived or stored_offline:
        count = Score.objects.filter(submission__round=round, member=member).count()
        return [Row(figure, f"{count} of {SCORES} arrived in 30 s ({stored_offline} before reconnecting)",
                    f"< {RECONNECT_TARGET:.0f} s", False)]
    return [Row(figure, seconds(elapsed), f"< {RECONNECT_TARGET:.0f} s", elapsed < RECONNECT_TARGET)]


def _forced_retries(browser, base, round, submissions, criteria, member, session_key):
    """Every save post reaches the server FORCED_RETRIES more times, and the first answer for each
    key is dropped, so the phone sends it again by itself."""
    # Routing sees the page's own requests only when no service worker is in the way.
    context = _context(browser, base, session_key, service_workers="block")
    page = context.new_page()
    posts, dropped = {"count": 0}, set()

    def replay(route):
        body = route.request.post_data or ""
        key = next((part for part in body.split("&") if part.startswith("key=")), "")
        response = None
        for _ in range(1 + FORCED_RETRIES):
            response = route.fetch()
            posts["count"] += 1
        if key not in dropped:
            dropped.add(key)
            route.abort("connectionreset")
        else:
            route.fulfill(response=response)

    page.route("**/sync/", replay)
    for position, submission in enumerate(submissions):
        page.goto(f"{base}/selection/{round.pk}/score/{submission}/", wait_until="load")
        for i, criterion in enumerate(criteria):
            field = page.locator(f"#value-{criterion.pk}")
            field.fill(str(10 + (position + i) % 10))
            field.blur()
        page.wait_for_function(
            "() => [...document.querySelectorAll('[id^=status-]')].filter(e => e.id !== 'status-comment')"
            ".every(e => e.textContent.includes('✓'))", timeout=60_000)
    context.close()

    scores = Score.objects.filter(submission__round=round, member=member)
    # A save stored twice would bump the score's version and write a second log row.
    saved = ActionLog.objects.filter(action=Action.SCORE_SAVED, actor=member.user).count()
    extra_versions = sum(version - 1 for version in scores.values_list("version", flat=True))
    duplicates = extra_versions + max(0, saved - SCORES)
    keys = ScoreSaveKey.objects.filter(member=member).count()
    connection.close()
    measured = (f"{duplicates} duplicates · {scores.count()} scores · {posts['count']} posts received for "
                f"{keys} keys, each first answer dropped")
    return [Row(f"Forced retries ({FORCED_RETRIES} extra per post, lost answers): duplicates stored",
                measured, "0", duplicates == 0 and scores.count() == SCORES)]


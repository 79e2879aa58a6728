"""Load figures (issue 5): a national morning against gunicorn on PostgreSQL.

The app runs under gunicorn (4 workers × 4 threads, DEBUG off, collected static files) on
127.0.0.1. For 60 s, 200 registry users browse (dashboard, the product list filtered and
searched in Thai, its later pages, the producer list searched, producer pages; the national
users search one province or the whole country) and 50
committee members score a round (their score list, a score form, then an htmx autosave POST
with the page's CSRF token per criterion). Every user is a distinct account with a session
of its own, created in the session store up front (no password hashing, no login throttle).
Users think between requests, as people do; the figures are per page: requests, throughput,
median and p95 of the round trip, errors (anything but 200, or a save the server refused).

Then, against the same gunicorn, the ceiling: /healthz (a minimal view: one SELECT 1) as
fast as a few keep-alive clients can ask. Client and server share the machine's CPUs.

The bench uses whatever registry is in the database (the Chiang Mai demo, and the national
registry when it is there) and creates its own users, committee and round, named by the run.

Standalone, against a database that already holds a registry:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kbo_h3 .venv/bin/python -m bench.load_bench
"""

import http.client
import os
import random
import re
import resource
import shutil
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse

from .common import Row, free_port, median, ms, not_available, percentile, run_standalone, session_for, stop_gunicorn
from .common import start_gunicorn as _gunicorn

HOST = "127.0.0.1"  # the only host this script will ever talk to

BROWSERS = 200
SCORERS = 50
DURATION = float(os.environ.get("LOAD_BENCH_SECONDS", "60"))  # shorter only to try the script
WORKERS = 4
THREADS = 4
# People read a page (50 products) before the next click, and weigh a score before typing it.
BROWSE_THINK = (5.0, 15.0)
SCORE_THINK = (2.0, 6.0)
# A hard bound on what the script may send, whatever the timings.
MAX_REQUESTS = 25_000
SUBMISSIONS = 42
CRITERIA = 6
CEILING_SECONDS = 5.0
CEILING_CLIENTS = 8
SEARCH_TERMS = ("ผ้า", "น้ำพริก", "ข้าว", "ชา", "กาแฟ", "ไม้", "สมุนไพร", "ปักม้ง")
PRODUCER_TERMS = ("กลุ่มแม่บ้าน", "วิสาหกิจ", "ผ้า", "บ้าน")

# Page labels, in the order the table prints them.
DASHBOARD = "dashboard"
PRODUCT_SEARCH = "product list, filtered + Thai search"
PRODUCT_PAGE = "product list, page 2–20"
PRODUCER_SEARCH = "producer list, Thai search"
PRODUCER_PAGE = "producer page"
SCORE_LIST = "score list"
SCORE_FORM = "score form"
AUTOSAVE = "autosave POST (htmx, CSRF)"
PAGES = (DASHBOARD, PRODUCT_SEARCH, PRODUCT_PAGE, PRODUCER_SEARCH, PRODUCER_PAGE, SCORE_LIST, SCORE_FORM, AUTOSAVE)

CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')
VERSION = re.compile(r'name="version_(\d+)" value="(\d+)"')


def _log(message):
    print(f"load: {message}", file=sys.stderr, flush=True)


# The world: accounts, sessions, a committee and a round in scoring -------------------------------


def _users(tag, count, prefix):
    """`count` distinct accounts, unusable passwords: they sign in through their sessions."""
    from django.contrib.auth.models import User

    User.objects.bulk_create(
        User(username=f"load-{tag}-{prefix}{i:03d}", first_name=f"ผู้ใช้{i}", last_name="ทดสอบโหลด", password="!")
        for i in range(count))
    return list(User.objects.filter(username__startswith=f"load-{tag}-{prefix}").order_by("username"))


@transaction.atomic
def build_world(tag):
    """200 registry users (viewers and officers of Chiang Mai, national viewers), a committee
    of 50 and a round of 42 submissions open for scoring. Returns what the clients need."""
    from django.contrib.auth.models import Group, User

    from producers.models import Affiliation, District, Producer, Product
    from selection.models import (
        Committee,
        CommitteeMember,
        CommitteeRole,
        Criterion,
        RoundState,
        SelectionRound,
        Submission,
    )

    home = settings.KBO_PROVINCE_CODE
    browsers = _users(tag, BROWSERS, "b")
    groups = {name: Group.objects.get(name=name) for name in ("viewer", "officer")}
    Membership = User.groups.through
    profiles = []
    for i, user in enumerate(browsers):
        # 3 in 5 provincial viewers, 1 in 5 provincial officers (they see personal data, so
        # their list and producer pages also write the PDPA access log), 1 in 5 national viewers.
        kind = ("viewer", "viewer", "officer", "viewer", "national")[i % 5]
        profiles.append((user, kind))
    Membership.objects.bulk_create(
        Membership(user_id=user.pk, group_id=groups["officer" if kind == "officer" else "viewer"].pk)
        for user, kind in profiles)
    Affiliation.objects.bulk_create(Affiliation(user=user, province=None) for user, kind in profiles
                                    if kind == "national")

    committee = Committee.objects.create(name=f"คณะกรรมการทดสอบโหลด {tag}")
    scorers = _users(tag, SCORERS, "m")
    CommitteeMember.objects.bulk_create(
        CommitteeMember(committee=committee, user=user, role=CommitteeRole.CHAIR if i == 0 else CommitteeRole.MEMBER,
                        order=i) for i, user in enumerate(scorers))
    round = SelectionRound.objects.create(committee=committee, name=f"รอบทดสอบโหลด {tag}", fiscal_year=2569,
                                          number=1, quota=20, reserves=3, state=RoundState.SCORING, min_scorers=10)
    Criterion.objects.bulk_create(Criterion(round=round, name=f"เกณฑ์ {i + 1}", max_score=20, order=i)
                                  for i in range(CRITERIA))
    products = list(Product.objects.filter(producer__province_id=home).order_by("code")
                    .values_list("pk", flat=True)[:SUBMISSIONS])
    if len(products) < SUBMISSIONS:
        raise RuntimeError(f"the database holds {len(products)} products of province {home}; build the demo first")
    Submission.objects.bulk_create(Submission(round=round, product_id=pk, eligible=True) for pk in products)

    rng = random.Random(2569)
    home_producers = list(Producer.objects.filter(province_id=home).values_list("pk", flat=True))
    all_producers = list(Producer.objects.values_list("pk", flat=True))
    home_count = Product.objects.filter(producer__province_id=home).count()
    return {
        "browsers": [(session_for(user), kind) for user, kind in profiles],
        "scorers": [session_for(user) for user in scorers],
        "round": round.pk,
        "submissions": list(round.submissions.values_list("pk", flat=True)),
        "districts": list(District.objects.filter(province_id=home).values_list("code", flat=True)),
        "home_producers": rng.sample(home_producers, min(2000, len(home_producers))),
        "all_producers": rng.sample(all_producers, min(2000, len(all_producers))),
        "last_page": max(2, min(20, home_count // 50)),
        "province_codes": list(Producer.objects.order_by().values_list("province_id", flat=True).distinct()),
        "producers": len(all_producers),
    }


# gunicorn ------------------------------------------------------------------------------------------


def _server_env(static_root):
    """Production settings, as the README's recipe sets them, but plain HTTP on loopback."""
    return {**os.environ, "DEBUG": "False", "SECURE_SSL_REDIRECT": "False", "ALLOWED_HOSTS": HOST,
            "CONN_MAX_AGE": "60", "STATIC_ROOT": str(static_root), "LOG_LEVEL": "ERROR"}


def collect_static(static_root):
    """The manifest the pages' {% static %} tags need with DEBUG off. The production recipe
    also compresses every file (WhiteNoise, half a minute of CPU); the load clients fetch no
    static files, so the bench collects without compressing: the same staticfiles.json."""
    from django.core.management import call_command
    from django.test.utils import override_settings

    manifest = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    with override_settings(STATIC_ROOT=static_root, STORAGES={**settings.STORAGES, "staticfiles": manifest}):
        call_command("collectstatic", interactive=False, verbosity=0)


def start_gunicorn(port, static_root, workers=WORKERS, threads=THREADS):
    """The deployed command (deploy/gunicorn.conf.py: gthread workers), on a port of our own;
    workers or threads None: the configuration's own number."""
    env = {**_server_env(static_root), "KBO_BIND": f"{HOST}:{port}"}
    if workers is not None:
        env["KBO_WORKERS"] = str(workers)
    if threads is not None:
        env["KBO_THREADS"] = str(threads)
    return _gunicorn(["-c", "deploy/gunicorn.conf.py", "--log-level", "warning", "kbo_site.wsgi"], env, port,
                     host=HOST)


# The clients ---------------------------------------------------------------------------------------


class Budget:
    """The run's bound: a deadline and a maximum number of requests, shared by every client."""

    def __init__(self, seconds, limit):
        self.deadline = time.monotonic() + seconds
        self.left = limit
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            if self.left <= 0 or time.monotonic() >= self.deadline:
                return False
            self.left -= 1
            return True

    def sleep(self, seconds):
        """Think, but not past the deadline. False when the run is over."""
        remaining = self.deadline - time.monotonic()
        time.sleep(max(0.0, min(seconds, remaining)))
        return remaining > seconds


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.durations = defaultdict(list)
        self.errors = defaultdict(list)

    def record(self, page, seconds, error=None):
        with self.lock:
            self.durations[page].append(seconds)
            if error:
                self.errors[page].append(error)


class Session:
    """One person's browser: its cookies, and requests to 127.0.0.1 only. Each request on a
    new connection, as nginx makes them to gunicorn; keep_alive=True reuses one connection."""

    def __init__(self, port, session_key, results, host=HOST, keep_alive=False):
        if host != HOST:
            raise ValueError(f"the load script talks to {HOST} only, not {host}")
        self.port = port
        self.cookies = {settings.SESSION_COOKIE_NAME: session_key} if session_key else {}
        self.results = results
        self.keep_alive = keep_alive
        self.conn = http.client.HTTPConnection(host, port, timeout=30)

    def request(self, page, method, path, body=None, headers=None, expect=200):
        """Send, read the whole answer, time it and record it under `page`. Returns the text, or
        None on an error (anything but `expect`, or an exception)."""
        headers = {"Host": f"{HOST}:{self.port}", "Accept-Language": "th", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.results.record(page, time.perf_counter() - start, f"{type(error).__name__}: {error}")
            self.conn.close()
            return None
        finally:
            if not self.keep_alive:
                self.conn.close()
        elapsed = time.perf_counter() - start
        for header in response.msg.get_all("Set-Cookie") or ():
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.status != expect:
            self.results.record(page, elapsed, f"{method} {path}: {response.status}")
            return None
        self.results.record(page, elapsed)
        return data.decode("utf-8", "replace")

    def close(self):
        self.conn.close()


def registry_path(page, kind, world, rng):
    """The path a registry user of `kind` asks for `page` (one of the registry labels): a
    provincial user searches and mostly filters by a district of the province, a national
    user mostly looks into one province, sometimes the whole country."""
    if page == DASHBOARD:
        return reverse("producers:dashboard")
    if page == PRODUCT_SEARCH:
        query = {"q": rng.choice(SEARCH_TERMS)}
        if kind != "national" and rng.random() < 0.7:
            query["district"] = rng.choice(world["districts"])
        elif kind == "national" and rng.random() < 0.6:
            query["province"] = rng.choice(world["province_codes"])
        return f"{reverse('producers:product_list')}?{urlencode(query, quote_via=quote)}"
    if page == PRODUCT_PAGE:
        return f"{reverse('producers:product_list')}?page={rng.randint(2, world['last_page'])}"
    if page == PRODUCER_SEARCH:
        return f"{reverse('producers:producer_list')}?q={quote(rng.choice(PRODUCER_TERMS))}"
    if page == PRODUCER_PAGE:
        producers = world["all_producers"] if kind == "national" else world["home_producers"]
        return reverse("producers:producer_detail", kwargs={"pk": rng.choice(producers)})
    raise ValueError(f"not a registry page: {page}")


def browse(port, session_key, kind, world, budget, results, rng):
    """A registry user's morning: look at the dashboard, search and filter the product list,
    leaf through its pages, search producers, open producers; think between clicks."""
    client = Session(port, session_key, results)
    try:
        if not budget.sleep(rng.uniform(0, BROWSE_THINK[1])):
            return
        while budget.take():
            roll = rng.random()
            page = (DASHBOARD if roll < 0.15 else PRODUCT_SEARCH if roll < 0.45 else PRODUCT_PAGE if roll < 0.65
                    else PRODUCER_SEARCH if roll < 0.75 else PRODUCER_PAGE)
            client.request(page, "GET", registry_path(page, kind, world, rng))
            if not budget.sleep(rng.uniform(*BROWSE_THINK)):
                return
    finally:
        client.close()


def score(port, session_key, world, budget, results, rng, saved):
    """A committee member's morning: the score list, then one submission after another: its
    form, then each criterion typed and autosaved (htmx POST with the page's CSRF token and
    the version the page showed), back to the list."""
    client = Session(port, session_key, results)
    round_pk = world["round"]
    score_list = reverse("selection:score_list", kwargs={"pk": round_pk})
    order = list(world["submissions"])
    rng.shuffle(order)
    try:
        if not budget.sleep(rng.uniform(0, SCORE_THINK[1])):
            return
        for sid in order:
            if not budget.take() or client.request(SCORE_LIST, "GET", score_list) is None:
                return
            if not budget.sleep(rng.uniform(*SCORE_THINK)) or not budget.take():
                return
            page = client.request(SCORE_FORM, "GET", reverse("selection:score_form",
                                                              kwargs={"pk": round_pk, "sid": sid}))
            token = CSRF_HEADER.search(page or "")
            versions = {int(c): int(v) for c, v in VERSION.findall(page or "")}
            if token is None or not versions:
                if page is not None:
                    results.record(SCORE_FORM, 0.0, "no CSRF token or score fields in the form")
                return
            save = reverse("selection:score_save", kwargs={"pk": round_pk, "sid": sid})
            for criterion, version in versions.items():
                if not budget.sleep(rng.uniform(*SCORE_THINK)) or not budget.take():
                    return
                body = f"value_{criterion}={rng.randint(8, 20)}&version_{criterion}={version}"
                answer = client.request(AUTOSAVE, "POST", save, body=body, headers={
                    "X-CSRFToken": token.group(1), "HX-Request": "true", "HX-Trigger": f"value-{criterion}",
                    "Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://{HOST}:{port}",
                    "Referer": f"http://{HOST}:{port}{save}"})
                if answer is not None:
                    found = VERSION.search(answer)
                    if found is None or "text-danger" in answer:
                        results.record(AUTOSAVE, 0.0, f"save refused: {answer[:100]!r}")
                    else:
                        with results.lock:
                            saved.append((sid, criterion))
            if not budget.sleep(rng.uniform(*SCORE_THINK)):
                return
    finally:
        client.close()


def warm(port, pages, parallel):
    """Every worker imports, compiles its templates and connects before the clock starts:
    each (session key, path) of `pages` once from each of `parallel` connections at a time."""
    results = Results()

    def visit():
        for key, path in pages:
            Session(port, key, results).request("warm", "GET", path)  # each on a new connection

    threads = [threading.Thread(target=visit) for _ in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if results.errors:
        raise RuntimeError(f"warm-up failed: {results.errors['warm'][0]}")


def warm_up(port, world):
    """Each page of the morning a few times, from as many parallel connections as the server
    has threads."""
    round_pk, sid = world["round"], world["submissions"][0]
    pages = [(world["browsers"][0][0], reverse("producers:dashboard")),
             (world["browsers"][0][0], reverse("producers:product_list") + "?q=" + quote("ผ้า")),
             (world["browsers"][0][0], reverse("producers:product_list") + "?page=2"),
             (world["browsers"][0][0], reverse("producers:producer_list") + "?q=" + quote("กลุ่มแม่บ้าน")),
             (world["browsers"][0][0], reverse("producers:producer_detail", kwargs={"pk": world["home_producers"][0]})),
             (world["scorers"][0], reverse("selection:score_list", kwargs={"pk": round_pk})),
             (world["scorers"][0], reverse("selection:score_form", kwargs={"pk": round_pk, "sid": sid}))]
    warm(port, pages, WORKERS * 2)


def morning(port, world):
    """The 60 s run: every user in a thread of its own. Returns (results, wall seconds, saves)."""
    threading.stack_size(512 * 1024)
    results, saved = Results(), []
    budget = Budget(DURATION, MAX_REQUESTS)
    threads = [threading.Thread(target=browse, args=(port, key, kind, world, budget, results, random.Random(i)))
               for i, (key, kind) in enumerate(world["browsers"])]
    threads += [threading.Thread(target=score, args=(port, key, world, budget, results, random.Random(1000 + i),
                                                     saved))
                for i, key in enumerate(world["scorers"])]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started, saved


def ceiling(port):
    """/healthz as fast as CEILING_CLIENTS keep-alive clients can ask, for CEILING_SECONDS."""
    results = Results()
    budget = Budget(CEILING_SECONDS, MAX_REQUESTS)
    path = reverse("healthz")

    def hammer():
        client = Session(port, None, results, keep_alive=True)
        while budget.take():
            client.request("healthz", "GET", path)
        client.close()

    threads = [threading.Thread(target=hammer) for _ in range(CEILING_CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


# The figures ---------------------------------------------------------------------------------------


def timing(durations):
    return f"median {ms(median(durations))} · p95 {ms(percentile(durations, 0.95))}"


def page_rows(results, pages, wall):
    """One row per page: requests, throughput, median and p95, errors (with the first one)."""
    rows = []
    for page in pages:
        durations = results.durations[page]
        if not durations:
            rows.append(Row(f"  {page}", "no requests", "0 errors", False))
            continue
        failed = results.errors[page]
        measured = (f"{len(durations):,} req · {len(durations) / wall:.1f} req/s · {timing(durations)} · "
                    f"{len(failed)} errors")
        if failed:
            measured += f" (first: {failed[0]})"[:80]
        rows.append(Row(f"  {page}", measured, "0 errors", not failed))
    return rows


def ceiling_row(port, shared):
    """The /healthz ceiling against the running gunicorn, as a reference row."""
    top, top_wall = ceiling(port)
    count = len(top.durations["healthz"])
    return Row(f"Ceiling: minimal view /healthz (SELECT 1), same gunicorn, {CEILING_CLIENTS} keep-alive clients",
               f"{count / top_wall:,.0f} req/s · {timing(top.durations['healthz'])} · "
               f"{len(top.errors['healthz'])} errors" if count else "no requests",
               f"reference; {shared}", None)


def load_figures(ctx):
    cpus = os.cpu_count() or 1
    shared = f"client and server share the {cpus} CPUs"
    label = f"Load: {BROWSERS} browsing + {SCORERS} scoring for {DURATION:.0f} s"
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        return [not_available(label, "0 errors", "gunicorn is not installed")]
    tag = time.strftime("%H%M%S")
    started = time.perf_counter()
    world = build_world(tag)
    static_root = ctx.tmp / "load-static"
    collect_static(static_root)
    connection.close()  # gunicorn's workers and this process must not share a connection
    _log(f"{BROWSERS + SCORERS} accounts, their sessions, a round of {SUBMISSIONS} and static files: "
         f"{time.perf_counter() - started:.1f} s")

    port = free_port(HOST)
    process = start_gunicorn(port, static_root)
    try:
        warm_up(port, world)
        _log(f"gunicorn on {HOST}:{port} warm ({time.perf_counter() - started:.1f} s); {DURATION:.0f} s of morning …")
        before = resource.getrusage(resource.RUSAGE_SELF)
        results, wall, saved = morning(port, world)
        after = resource.getrusage(resource.RUSAGE_SELF)
        client_cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        _log(f"the clients used {client_cpu:.1f} s of CPU in {wall:.0f} s")
        top = ceiling_row(port, shared)
    finally:
        stop_gunicorn(process)
    _log(f"done ({time.perf_counter() - started:.1f} s)")

    from selection.models import Score

    stored = Score.objects.filter(submission__round_id=world["round"], value__isnull=False).count()
    rows = []
    total = sum(len(results.durations[p]) for p in PAGES)
    errors = sum(len(results.errors[p]) for p in PAGES)
    everything = [d for p in PAGES for d in results.durations[p]]
    provinces = len(world["province_codes"])
    registry = f"{world['producers']:,} producers in {provinces} {'province' if provinces == 1 else 'provinces'}"
    rows.append(Row(f"{label}, gunicorn {WORKERS} workers × {THREADS} threads ({registry})",
                    f"{total:,} requests · {total / wall:.1f} req/s · {timing(everything)} · {errors} errors"
                    if everything else "no requests",
                    f"0 errors; think {BROWSE_THINK[0]:.0f}–{BROWSE_THINK[1]:.0f} s / "
                    f"{SCORE_THINK[0]:.0f}–{SCORE_THINK[1]:.0f} s; {shared}", errors == 0 and total > 0))
    rows += page_rows(results, PAGES, wall)
    rows.append(Row("  autosaves confirmed / scores stored", f"{len(saved):,} / {stored:,}",
                    "equal", stored == len(saved) > 0))
    rows.append(top)
    return rows


def main():
    run_standalone(load_figures, "a registry (e.g. the demo)")


if __name__ == "__main__":
    main()

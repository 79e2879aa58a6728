"""Saturation figures (issue 10): 50 clients with no think time against gunicorn as deployed.

The Chiang Mai demo as `build_demo --stage minuted` leaves it (2,531 producers, 7,192 products,
round 1/2565 approved, its meeting), with load_bench's accounts and a round of 42 submissions
in scoring beside it. gunicorn runs with deploy/gunicorn.conf.py's own workers and threads,
DEBUG off, on 127.0.0.1. For SATURATION_SECONDS, 50 clients each send one request after
another (a closed loop: the next as soon as the answer is read, every request on a new
connection, as nginx makes them), picking each page from a fixed mix:

- as a registry user (viewers, officers who also write the PDPA access log, national viewers):
  the dashboard, the product list searched and filtered, a later page of it, the producer
  list searched, a producer page;
- as a committee member of the round in scoring: the score list, a score form, an htmx
  autosave POST with the form's CSRF token and the version the last answer gave;
- as the secretary of round 1/2565: the round, its ranking, the meeting.

Per page: requests, throughput, median and p95 of the round trip, errors (anything but 200,
or a save the server refused); the CPU the server spent per request (gunicorn's processes and
the PostgreSQL backends, read from /proc: it holds even while other work shares the CPUs, and
tells what a quiet machine's 2 CPUs can serve). Then /healthz's ceiling against the same
gunicorn. Client and server share the machine's CPUs; the throughput holds for a quiet
machine only, so the load average is printed beside it.

A closed loop without think time keeps all 50 requests in the system: the mean round trip is
50 / throughput (Little's law), whatever the server's own time. 100 req/s means a mean of
500 ms; a p95 under 300 ms needs well over 167 req/s.

Standalone, against a database built with `manage.py build_demo --stage minuted`:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kbo_sat .venv/bin/python -m bench.saturation_bench
"""

import os
import random
import resource
import runpy
import shutil
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.urls import reverse

from .common import Row, free_port, ms, not_available, percentile, run_standalone, session_for, stop_gunicorn
from .load_bench import (
    CSRF_HEADER,
    DASHBOARD,
    HOST,
    PRODUCER_PAGE,
    PRODUCER_SEARCH,
    PRODUCT_PAGE,
    PRODUCT_SEARCH,
    SCORE_FORM,
    SCORE_LIST,
    VERSION,
    Budget,
    Results,
    Session,
    build_world,
    ceiling_row,
    collect_static,
    page_rows,
    registry_path,
    start_gunicorn,
    timing,
    warm,
)

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 50
DURATION = float(os.environ.get("SATURATION_SECONDS", "30"))
# A hard bound on what the script may send, whatever the timings: 30 s at 1,000 req/s.
MAX_REQUESTS = 30_000
TARGET_RPS = 100
TARGET_P95 = 0.300

AUTOSAVE = "autosave POST (htmx, CSRF)"
ROUND_DETAIL = "round detail (secretary)"
RANKING = "ranking (secretary)"
MEETING = "meeting detail (secretary)"
# The mix: how many in 20 requests ask for each page.
MIX = {DASHBOARD: 2, PRODUCT_SEARCH: 3, PRODUCT_PAGE: 2, PRODUCER_SEARCH: 1, PRODUCER_PAGE: 2,
       ROUND_DETAIL: 1, SCORE_LIST: 2, SCORE_FORM: 2, AUTOSAVE: 3, RANKING: 1, MEETING: 1}
PAGES = tuple(MIX)


def _log(message):
    print(f"saturation: {message}", file=sys.stderr, flush=True)


def deployed_threads():
    """(workers, threads) as deploy/gunicorn.conf.py sets them in this environment."""
    conf = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    return conf["workers"], conf["threads"]


def secretary_world():
    """The approved round of the home province that has a meeting (round 1/2565 of the demo),
    its secretary and the meeting; None when the database holds no such round."""
    from meetings.models import Meeting
    from selection.models import CommitteeMember, CommitteeRole, RoundState

    meeting = (Meeting.objects.filter(round__state=RoundState.APPROVED,
                                      round__committee__province_id=settings.KBO_PROVINCE_CODE)
               .select_related("round").order_by("-pk").first())
    if meeting is None:
        return None
    secretary = CommitteeMember.objects.filter(committee_id=meeting.round.committee_id,
                                               role=CommitteeRole.SECRETARY).select_related("user").first()
    if secretary is None:
        return None
    return {"round": meeting.round_id, "meeting": meeting.pk, "user": secretary.user}


def _cpu_ticks(pid):
    """utime + stime of a live process, in clock ticks (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def server_processes(master):
    """(gunicorn's master and workers, the PostgreSQL backends connected to this database other
    than the bench's own): the pids that serve the pages."""
    workers = {master.pid}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master.pid:
                workers.add(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid()")
        backends = {pid for (pid,) in cursor.fetchall()}
    connection.close()
    return workers, backends


def server_cpu(master):
    """({pid: CPU seconds so far} of gunicorn, the same of PostgreSQL); the difference of two
    readings is what the server spent in between, whatever else shares the machine."""
    tick = os.sysconf("SC_CLK_TCK")
    return tuple({pid: _cpu_ticks(pid) / tick for pid in pids} for pids in server_processes(master))


def spent(before, after):
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


class Client:
    """One client of the closed loop: a registry user, a committee member and the secretary,
    each a browser of its own (session and CSRF cookies), and the score form it last opened."""

    def __init__(self, port, index, world, secretary, budget, results):
        self.port, self.world, self.budget, self.results = port, world, budget, results
        browser, self.kind = world["browsers"][index]
        self.browser = Session(port, browser, results)
        self.scorer = Session(port, world["scorers"][index], results)
        self.secretary = Session(port, secretary["session"], results)
        self.places = secretary
        self.rng = random.Random(10_000 + index)
        self.form = None  # (save path, CSRF token, {criterion: version})

    def run(self):
        pages, weights = list(MIX), list(MIX.values())
        while self.budget.take():
            page = self.rng.choices(pages, weights)[0]
            if page == AUTOSAVE and self.form is None:
                page = SCORE_FORM
            self.ask(page)

    def ask(self, page):
        world, rng, places = self.world, self.rng, self.places
        if page in (DASHBOARD, PRODUCT_SEARCH, PRODUCT_PAGE, PRODUCER_SEARCH, PRODUCER_PAGE):
            self.browser.request(page, "GET", registry_path(page, self.kind, world, rng))
        elif page == SCORE_LIST:
            self.scorer.request(page, "GET", reverse("selection:score_list", kwargs={"pk": world["round"]}))
        elif page == SCORE_FORM:
            self.open_form(rng.choice(world["submissions"]))
        elif page == AUTOSAVE:
            self.autosave()
        elif page == ROUND_DETAIL:
            self.secretary.request(page, "GET", reverse("selection:round_detail", kwargs={"pk": places["round"]}))
        elif page == RANKING:
            self.secretary.request(page, "GET", reverse("selection:ranking", kwargs={"pk": places["round"]}))
        elif page == MEETING:
            self.secretary.request(page, "GET", reverse("meetings:detail", kwargs={"pk": places["meeting"]}))

    def open_form(self, sid):
        round_pk = self.world["round"]
        text = self.scorer.request(SCORE_FORM, "GET", reverse("selection:score_form", kwargs={"pk": round_pk, "sid": sid}))
        if text is None:
            return
        token = CSRF_HEADER.search(text)
        versions = {int(c): int(v) for c, v in VERSION.findall(text)}
        if token is None or not versions:
            self.results.record(SCORE_FORM, 0.0, "no CSRF token or score fields in the form")
            return
        self.form = (reverse("selection:score_save", kwargs={"pk": round_pk, "sid": sid}), token.group(1), versions)

    def autosave(self):
        """One criterion of the open form typed and saved, with the version the page (or the
        previous save's answer) showed, as the htmx field does."""
        save, token, versions = self.form
        criterion = self.rng.choice(sorted(versions))
        body = f"value_{criterion}={self.rng.randint(8, 20)}&version_{criterion}={versions[criterion]}"
        answer = self.scorer.request(AUTOSAVE, "POST", save, body=body, headers={
            "X-CSRFToken": token, "HX-Request": "true", "HX-Trigger": f"value-{criterion}",
            "Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://{HOST}:{self.port}",
            "Referer": f"http://{HOST}:{self.port}{save}"})
        if answer is None:
            self.form = None
            return
        found = VERSION.search(answer)
        if found is None or "text-danger" in answer:
            self.results.record(AUTOSAVE, 0.0, f"save refused: {answer[:100]!r}")
            self.form = None
            return
        versions[int(found.group(1))] = int(found.group(2))


def saturate(port, world, secretary, clients=CLIENTS, seconds=DURATION):
    """The closed loop: `clients` threads for `seconds`. Returns (results, wall seconds)."""
    threading.stack_size(512 * 1024)
    results = Results()
    budget = Budget(seconds, MAX_REQUESTS)
    threads = [threading.Thread(target=Client(port, i, world, secretary, budget, results).run)
               for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def warm_up(port, world, secretary, parallel):
    browser, scorer = world["browsers"][0][0], world["scorers"][0]
    rng = random.Random(0)
    pages = [(browser, registry_path(page, "viewer", world, rng))
             for page in (DASHBOARD, PRODUCT_SEARCH, PRODUCT_PAGE, PRODUCER_SEARCH, PRODUCER_PAGE)]
    pages += [(scorer, reverse("selection:score_list", kwargs={"pk": world["round"]})),
              (scorer, reverse("selection:score_form", kwargs={"pk": world["round"], "sid": world["submissions"][0]})),
              (secretary["session"], reverse("selection:round_detail", kwargs={"pk": secretary["round"]})),
              (secretary["session"], reverse("selection:ranking", kwargs={"pk": secretary["round"]})),
              (secretary["session"], reverse("meetings:detail", kwargs={"pk": secretary["meeting"]}))]
    warm(port, pages, parallel)


def saturation_figures(ctx):
    shared = f"client and server share the {os.cpu_count() or 1} CPUs"
    label = f"Saturation: {CLIENTS} clients, no think time, mixed pages for {DURATION:.0f} s"
    target = f"≥ {TARGET_RPS} req/s · p95 < {TARGET_P95 * 1000:.0f} ms · 0 errors"
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        return [not_available(label, target, "gunicorn is not installed")]
    secretary = secretary_world()
    if secretary is None:
        return [not_available(label, target, "no approved round with a meeting: build the minuted demo")]
    started = time.perf_counter()
    world = build_world(time.strftime("s%H%M%S"))
    with connection.cursor() as cursor:
        # The planner's statistics, as autovacuum would have them by the time the office works
        # (a database just built by build_demo has none where autovacuum is off).
        cursor.execute("ANALYZE")
    secretary["session"] = session_for(secretary["user"])
    static_root = ctx.tmp / "saturation-static"
    collect_static(static_root)
    connection.close()  # gunicorn's workers and this process must not share a connection
    workers, threads = deployed_threads()
    _log(f"accounts, sessions, a round in scoring and static files: {time.perf_counter() - started:.1f} s")

    port = free_port(HOST)
    process = start_gunicorn(port, static_root, workers=None, threads=None)
    try:
        warm_up(port, world, secretary, workers * threads)
        load_before = os.getloadavg()[0]
        _log(f"gunicorn {workers} × {threads} on {HOST}:{port} warm (load average {load_before:.1f}); "
             f"{DURATION:.0f} s of {CLIENTS} clients …")
        before, server_before = resource.getrusage(resource.RUSAGE_SELF), server_cpu(process)
        results, wall = saturate(port, world, secretary)
        after, server_after = resource.getrusage(resource.RUSAGE_SELF), server_cpu(process)
        load_after = os.getloadavg()[0]
        client_cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        _log(f"the clients used {client_cpu:.1f} s of CPU in {wall:.0f} s")
        top = ceiling_row(port, shared)
    finally:
        stop_gunicorn(process)

    everything = [d for p in PAGES for d in results.durations[p]]
    total = len(everything)
    errors = sum(len(results.errors[p]) for p in PAGES)
    rate = total / wall
    ok = total > 0 and errors == 0 and rate >= TARGET_RPS and percentile(everything, 0.95) < TARGET_P95
    rows = [Row(f"{label}, gunicorn {workers} workers × {threads} threads (minuted demo, "
                f"{world['producers']:,} producers)",
                f"{total:,} requests · {rate:.1f} req/s · {timing(everything)} · {errors} errors · "
                f"load average {load_before:.1f} → {load_after:.1f}" if total else "no requests",
                f"{target}; {shared}", ok)]
    rows += page_rows(results, PAGES, wall)
    if total:
        python, database = (spent(b, a) for b, a in zip(server_before, server_after))
        rows.append(Row("  server CPU per request: gunicorn + PostgreSQL",
                        f"{ms((python + database) / total)} = {ms(python / total)} + {ms(database / total)}",
                        f"reference: 2 CPUs give {2000 / TARGET_RPS:.0f} ms per request at {TARGET_RPS} req/s",
                        None))
    rows.append(top)
    return rows


def main():
    run_standalone(saturation_figures, "the demo built with build_demo --stage minuted")


if __name__ == "__main__":
    main()

"""Selection figures (issue 3):

- ranking a round of 200 submissions × 15 members × 6 criteria: time of compute_ranking and its
  number of queries, the same at 20 submissions (the count must not grow);
- autosave latency: 15 members saving scores at once from parallel clients against gunicorn on
  127.0.0.1 (a bounded number of requests), p95 of the round trip.
"""

import http.client
import os
import random
import re
import secrets
import shutil
import string
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from producers.models import Product
from selection.models import (
    Committee,
    CommitteeMember,
    CommitteeRole,
    Criterion,
    RoundState,
    Score,
    SelectionRound,
    Submission,
)
from selection.ranking import compute_ranking

from .common import Row, free_port, median, ms, not_available, percentile, session_for, start_gunicorn, stop_gunicorn

ROOT = Path(__file__).resolve().parent.parent
MEMBERS = 15
CRITERIA = 6
SUBMISSIONS = 200
SMALL_SUBMISSIONS = 20
RANKING_RUNS = 15
RANKING_TARGET = 0.200
SAVES_PER_MEMBER = 40
BARRIER_TIMEOUT = 60
AUTOSAVE_TARGET = 0.100


def _committee(tag):
    committee = Committee.objects.create(name=f"คณะกรรมการทดสอบสมรรถนะ {tag}")
    password = "!"  # unusable: the bench logs in through sessions it creates
    members = []
    for i in range(MEMBERS):
        user = User.objects.create(username=f"bench-{tag}-{i}", first_name=f"กรรมการ{i}", last_name="ทดสอบ",
                                   password=password)
        role = CommitteeRole.CHAIR if i == 0 else CommitteeRole.MEMBER
        members.append(CommitteeMember.objects.create(committee=committee, user=user, role=role, order=i))
    return committee, members


def _round(committee, tag, submissions, state):
    round = SelectionRound.objects.create(committee=committee, name=f"รอบทดสอบสมรรถนะ {tag}", fiscal_year=2565,
                                          number=1, quota=20, reserves=3, state=state, min_scorers=10)
    criteria = Criterion.objects.bulk_create(
        Criterion(round=round, name=f"เกณฑ์ {i + 1}", max_score=20, order=i) for i in range(CRITERIA))
    products = Product.objects.order_by("pk").values_list("pk", flat=True)[:submissions]
    Submission.objects.bulk_create(Submission(round=round, product_id=pk, eligible=True) for pk in products)
    round.tie_break_criterion = criteria[0]
    round.save()
    return round, criteria


def _fill_scores(round, members, criteria, rng):
    submissions = list(round.submissions.values_list("pk", flat=True))
    Score.objects.bulk_create(
        (Score(submission_id=s, member=m, criterion=c, value=Decimal(rng.randint(8, 20)), max_score=c.max_score)
         for s in submissions for m in members for c in criteria), batch_size=5000)


def _time_ranking(round):
    compute_ranking(round)  # warm-up
    durations = []
    for _ in range(RANKING_RUNS):
        start = time.perf_counter()
        compute_ranking(round)
        durations.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as queries:
        compute_ranking(round)
    return durations, len(queries)


def ranking_figures(ctx):
    rng = random.Random(2565)
    committee, members = _committee("ranking")
    big, criteria = _round(committee, "200", SUBMISSIONS, RoundState.RANKING)
    _fill_scores(big, members, criteria, rng)
    small_committee, small_members = _committee("ranking-small")
    small, small_criteria = _round(small_committee, "20", SMALL_SUBMISSIONS, RoundState.RANKING)
    _fill_scores(small, small_members, small_criteria, rng)

    durations, queries = _time_ranking(big)
    _small_durations, small_queries = _time_ranking(small)
    p95 = percentile(durations, 0.95)
    scores = SUBMISSIONS * MEMBERS * CRITERIA
    return [
        Row(f"Ranking {SUBMISSIONS} submissions × {MEMBERS} members × {CRITERIA} criteria ({scores:,} scores)",
            f"median {ms(median(durations))} · p95 {ms(p95)} over {RANKING_RUNS} runs",
            f"< {RANKING_TARGET * 1000:.0f} ms", p95 < RANKING_TARGET),
        Row("Ranking: queries at 200 and at 20 submissions", f"{queries} and {small_queries}", "fixed",
            queries == small_queries),
    ]


# Autosave against gunicorn --------------------------------------------------------------------


def _start_gunicorn(port):
    workers = max(2, (os.cpu_count() or 1) * 2)
    env = {**os.environ, "DEBUG": "False", "SECURE_SSL_REDIRECT": "False", "CONN_MAX_AGE": "60",
           "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "ERROR"}
    return start_gunicorn(
        ["kbo_site.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--worker-class", "gthread", "--threads", "4", "--keep-alive", "30", "--log-level", "warning"], env, port)


VERSION = re.compile(r'name="version_(\d+)" value="(\d+)"')


def _member_client(port, session_key, path_for, cells, barrier, durations, failures):
    """One member's device: saves each of its cells twice (a first value, then a correction).
    Every save waits at the barrier, so the members' saves arrive together, 15 at once. A
    failure is recorded and breaks the barrier, so the other devices stop instead of waiting."""
    token = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    cookie = f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={token}"
    headers = {"Cookie": cookie, "X-CSRFToken": token, "HX-Request": "true",
               "Content-Type": "application/x-www-form-urlencoded", "Host": "127.0.0.1"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    versions = {}
    try:
        for value in (12, 15):
            for submission_id, criterion_id in cells:
                body = (f"value_{criterion_id}={value}&version_{criterion_id}="
                        f"{versions.get((submission_id, criterion_id), 0)}")
                barrier.wait(timeout=BARRIER_TIMEOUT)
                start = time.perf_counter()
                conn.request("POST", path_for(submission_id), body=body, headers=headers)
                response = conn.getresponse()
                text = response.read().decode()
                durations.append(time.perf_counter() - start)
                found = VERSION.search(text)
                if response.status != 200 or not found or "text-danger" in text:
                    failures.append(f"{response.status} {text[:120]!r}")
                else:
                    versions[(submission_id, criterion_id)] = int(found.group(2))
    except threading.BrokenBarrierError:
        failures.append("another device failed")
    except Exception as error:  # recorded in the table, never a hung bench
        failures.append(f"{type(error).__name__}: {error}")
        barrier.abort()
    finally:
        conn.close()


def autosave_figures(ctx):
    target = f"p95 < {AUTOSAVE_TARGET * 1000:.0f} ms"
    label = f"Autosave: {MEMBERS} members saving at once against gunicorn (127.0.0.1)"
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        return [not_available(label, target, "gunicorn is not installed")]
    committee, members = _committee("autosave")
    round, criteria = _round(committee, "autosave", SUBMISSIONS // 4, RoundState.SCORING)
    submissions = list(round.submissions.values_list("pk", flat=True))
    per_member = SAVES_PER_MEMBER // 2
    rng = random.Random(2565)
    plans = []
    for member in members:
        cells = rng.sample([(s, c.pk) for s in submissions for c in criteria], per_member)
        plans.append((session_for(member.user), cells))
    taken = set(plans[0][1])
    cells_left = [cell for cell in ((s, c.pk) for s in submissions for c in criteria) if cell not in taken]
    cells_left = cells_left[:per_member]
    connection.close()  # gunicorn's workers and this process must not share a connection

    port = free_port()
    process = _start_gunicorn(port)
    durations, failures = [], []
    try:
        def path_for(submission_id):
            return reverse("selection:score_save", kwargs={"pk": round.pk, "sid": submission_id})

        # Warm the workers (imports, first connections) before timing.
        warm = threading.Barrier(1)
        for session, cells in plans[:4]:
            _member_client(port, session, path_for, cells[:2], warm, [], [])
        Score.objects.filter(submission__round=round).delete()
        barrier = threading.Barrier(len(plans))
        threads = [threading.Thread(target=_member_client,
                                    args=(port, session, path_for, cells, barrier, durations, failures))
                   for session, cells in plans]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        saved = Score.objects.filter(submission__round=round).count()
        # Reference: one member alone, the same saves one after another (the server's own cost).
        alone, alone_failures = [], []
        _member_client(port, plans[0][0], path_for, [c for c in cells_left], threading.Barrier(1), alone,
                       alone_failures)
    finally:
        stop_gunicorn(process)
    real = [f for f in failures if f != "another device failed"] or failures
    if failures:
        return [Row(label, f"{len(failures)} devices or saves failed: {real[0]}"[:100], target, False)]
    p95 = percentile(durations, 0.95)
    rows = [Row(label, f"median {ms(median(durations))} · p95 {ms(p95)} · {len(durations)} saves in bursts of "
                       f"{MEMBERS}, {wall:.1f} s · {saved} scores stored", target, p95 < AUTOSAVE_TARGET)]
    if alone and not alone_failures:
        rows.append(Row("Autosave: one member alone (server cost per save)",
                        f"median {ms(median(alone))} · p95 {ms(percentile(alone, 0.95))} · {len(alone)} saves",
                        "reference", None))
    return rows

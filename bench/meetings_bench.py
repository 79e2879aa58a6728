"""Meeting figures (issue 4): the PDF documents of the demo meeting 1/2565.

- the minutes (with their attachments: the 20 selected, the reserves, the ineligible) and the
  agenda, median of several renders, against the floor: a one-page document with the same
  stylesheet, fonts and Thai line breaking;
- per page, the documents may cost at most 3× the floor;
- the queries of a render do not grow with the round: live minutes of a meeting linked to
  the demo round (42 submissions) and to the largest round in the database.
"""

import datetime
import random
import statistics

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from bench.common import Row, not_available, seconds, timed
from meetings import pdf, services
from meetings.models import Meeting, RoundFacts
from selection.models import SelectionRound

RUNS = 5
FLOOR_RUNS = 10
MINUTES_TARGET = 2.0
YEAR_TARGET = 2.0
PER_PAGE_FACTOR = 3.0


def _pages(data):
    import io

    return len(PdfReader(io.BytesIO(data)).pages)


def _median_render(fn, meeting, runs):
    fn(meeting)  # the first render loads fonts and dictionaries
    times = []
    for _ in range(runs):
        elapsed, data = timed(fn, Meeting.objects.get(pk=meeting.pk))
        times.append(elapsed)
    return statistics.median(times), data


def _demo_meeting(ctx):
    from meetings import demo as meetings_demo
    from selection import demo as selection_demo

    selection_round = selection_demo.build(random.Random(2565), stage="selected", users=ctx.users)
    return meetings_demo.build(random.Random(2565), users=ctx.users, selection_round=selection_round)


def _live_queries(selection_round, officer, number):
    meeting = services.create_meeting(selection_round.committee, by=officer, date=datetime.date(2022, 2, 1),
                                      start_time=datetime.time(9, 0), venue="ห้องประชุม", number=number,
                                      year_be=2599, round=selection_round, headings=False)
    services.add_item(meeting, by=officer, title="ผลการคัดเลือก", facts=[kind.value for kind in RoundFacts])
    pdf.render_minutes(Meeting.objects.get(pk=meeting.pk))
    with CaptureQueriesContext(connection) as queries:
        pdf.render_minutes(Meeting.objects.get(pk=meeting.pk))
    return len(queries)


def pdf_figures(ctx):
    if not ctx.users:
        return [not_available("Minutes PDF of meeting 1/2565", f"< {MINUTES_TARGET:.0f} s", "no demo users")]
    meeting = _demo_meeting(ctx)
    floor_times = []
    pdf.render_floor()
    for _ in range(FLOOR_RUNS):
        elapsed, _data = timed(pdf.render_floor)
        floor_times.append(elapsed)
    floor = statistics.median(floor_times)
    minutes_s, minutes = _median_render(pdf.render_minutes, meeting, RUNS)
    agenda_s, agenda = _median_render(pdf.render_agenda, meeting, RUNS)
    minutes_pages, agenda_pages = _pages(minutes), _pages(agenda)
    rows = [
        Row("Floor: one-page document, same stylesheet (WeasyPrint)", seconds(floor), "reference", None),
        Row(f"Minutes PDF of meeting 1/2565 with attachments ({minutes_pages} pages)",
            f"{seconds(minutes_s)} (median of {RUNS})", f"< {MINUTES_TARGET:.0f} s", minutes_s < MINUTES_TARGET),
        Row("Minutes PDF per page against the floor", f"{minutes_s / minutes_pages / floor:.1f}×",
            f"≤ {PER_PAGE_FACTOR:.0f}×", minutes_s / minutes_pages <= PER_PAGE_FACTOR * floor),
        Row(f"Agenda PDF of meeting 1/2565 ({agenda_pages} pages)", f"{seconds(agenda_s)} (median of {RUNS})",
            f"per page ≤ {PER_PAGE_FACTOR:.0f}× floor", agenda_s / agenda_pages <= PER_PAGE_FACTOR * floor),
    ]
    # Same state, different sizes: an approved round reads its snapshot, an open one ranks live.
    rounds = list(SelectionRound.objects.annotate(n=Count("submissions")).order_by("-n"))
    officer = ctx.users.get("officer")
    pair = next(((big, small) for big in rounds for small in reversed(rounds)
                 if small.state == big.state and small.n < big.n), None)
    if pair is None or officer is None:
        rows.append(not_available("Minutes render queries", "fixed", "no two rounds of one state"))
        return rows
    big, small = pair
    small_queries = _live_queries(small, officer, 90)
    big_queries = _live_queries(big, officer, 91)
    rows.append(Row(f"Minutes render queries, live facts of a round with {small.n} and {big.n} submissions",
                    f"{small_queries} and {big_queries}", "fixed", small_queries == big_queries))
    return rows


def year_figures(ctx):
    """Issue 12: the year's summary of Chiang Mai 2565 as PDF (< 2 s), read from the rows and
    rendered as the download view does it, median of RUNS, against the one-page floor. Builds
    the demo year on the round and meeting of pdf_figures: the workshop, the development of
    the 20 (plans, visits with photos, before and after), the June showcase round."""
    from meetings import demo as meetings_demo
    from meetings import year_documents, year_report
    from selection import demo as selection_demo
    from selection import demo_year, development_demo

    if not ctx.users:
        return [not_available("Year summary PDF, Chiang Mai 2565", f"< {YEAR_TARGET:.0f} s", "no demo users")]
    round_ = (SelectionRound.objects.filter(name=selection_demo.ROUND_NAME, committee__name=selection_demo.COMMITTEE_NAME)
              .order_by("pk").first())
    if round_ is None:
        return [not_available("Year summary PDF, Chiang Mai 2565", f"< {YEAR_TARGET:.0f} s", "no demo round")]
    meetings_demo.build_workshop(random.Random(2565), users=ctx.users)
    development_demo.build(random.Random(2565), round=round_, users=ctx.users)
    demo_year.build_showcase(random.Random(2565), users=ctx.users)

    def render():
        return year_documents.render_pdf(year_report.summary(2565, "50"))

    render()  # fonts and dictionaries
    floor_times = [timed(pdf.render_floor)[0] for _ in range(FLOOR_RUNS)]
    times, data = [], None
    for _ in range(RUNS):
        elapsed, data = timed(render)
        times.append(elapsed)
    year_s, pages = statistics.median(times), _pages(data)
    return [
        Row("Floor: one-page document, same stylesheet (WeasyPrint)", seconds(statistics.median(floor_times)),
            "reference", None),
        Row(f"Year summary PDF, Chiang Mai 2565, read from the rows ({pages} pages)",
            f"{seconds(year_s)} (median of {RUNS})", f"< {YEAR_TARGET:.0f} s", year_s < YEAR_TARGET),
    ]

"""The ranking, the cut and its approval, the live results page, the export and the history."""

import statistics

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kbo_site.actions import log_for

from . import exporting, facts, rules, services
from .forms import DecisionForm, ReopenForm
from .models import ROUND_ACTIONS, Approval, ChairDecision, CommitteeMember, Conflict, RoundState, Score, ScoreSheet
from .ranking import SELECTED, MemberSpread, compute_ranking, tie_text

HISTORY_PAGE = 50
# A member whose mean is this many standard deviations from the mean of all totals is shown as
# scoring harshly or leniently.
LEAN = 0.5
# Lines per column of the projector board. Two columns of 14 at 1920×1080 hold the top 20, the
# cut line, a few reserves and the line after them, in type of at least 28 px.
BOARD_ROWS = 14


def _viewer_conflicts(user, round):
    member = rules.membership(user, round)
    if member is None:
        return set()
    return set(Conflict.objects.filter(member=member, submission__round=round).values_list("submission_id", flat=True))


def _comparison(round, current):
    """Rows whose rank or status differ from the last frozen approval, when it was superseded."""
    approval = Approval.objects.filter(round=round).select_related("approved_by").first()
    if approval is None or approval.superseded_at is None:
        return None, []
    frozen = {r["product_code"]: r for r in approval.snapshot["rows"]}
    changes = []
    for row in current.rows:
        before = frozen.pop(row.submission.product.code, None)
        now = facts.ranking_row(row, round)
        if before is None or before["status"] != now["status"] or before["rank"] != now["rank"] \
                or before["score"] != now["score"]:
            changes.append({"before": before, "now": now})
    for before in frozen.values():
        changes.append({"before": before, "now": None})
    return approval, changes


def ranking(request, pk):
    round = rules.get_round_for(request.user, pk)
    if not rules.scoring_is_closed(round):
        return render(request, "selection/ranking_pending.html", {
            "round": round, "can_project": rules.can_project_results(request.user, round)})
    current = compute_ranking(round)
    hidden = _viewer_conflicts(request.user, round)
    approval, changes = _comparison(round, current)
    is_chair = rules.is_chair(request.user, round)
    member_scores = []
    for row in current.rows:
        member_scores.append({
            "row": row, "hidden": row.pk in hidden,
            "cells": [None if m.pk in row.conflicted else row.totals.get(m.pk) for m in current.members],
            "conflicted": [m.pk in row.conflicted for m in current.members],
        })
    return render(request, "selection/ranking.html", {
        "round": round, "ranking": current, "hidden": hidden, "is_chair": is_chair,
        "spreads": _spreads(current, hidden),
        "editable": is_chair and round.state == RoundState.RANKING,
        "member_scores": member_scores,
        "approval": facts.current_approval(round) if round.state == RoundState.APPROVED else None,
        "superseded": approval, "changes": changes,
        "decisions": ChairDecision.objects.filter(round=round).select_related("submission__product", "decided_by"),
        "can_project": rules.can_project_results(request.user, round),
    })


def _spreads(current, hidden=frozenset()):
    """Each member's mean against the mean of all totals: who scores harshly or leniently.
    For a viewer with conflicts, the means leave out the submissions hidden from them: a
    member's mean over the rest must not give away a score the viewer may not see."""
    spreads, grand_mean, grand_stdev = current.member_spreads, current.grand_mean, current.grand_stdev
    if hidden:
        spreads, grand_mean, grand_stdev = _visible_spreads(current, hidden)
    out = []
    for spread in spreads:
        lean = ""
        if spread.mean is not None and grand_stdev:
            diff = spread.mean - grand_mean
            if diff < -LEAN * grand_stdev:
                lean = "harsh"
            elif diff > LEAN * grand_stdev:
                lean = "lenient"
        out.append({"spread": spread, "lean": lean,
                    "diff": None if spread.mean is None else spread.mean - grand_mean})
    return out


def _visible_spreads(current, hidden):
    """The members' spreads and the grand mean and deviation over the rows not hidden."""
    by_member = {m.pk: [] for m in current.members}
    for row in current.rows:
        if row.pk in hidden:
            continue
        for member_id, total in row.totals.items():
            if member_id in by_member and total is not None and member_id not in row.conflicted:
                by_member[member_id].append(float(total))
    everything = [v for values in by_member.values() for v in values]
    grand_mean = sum(everything) / len(everything) if everything else None
    grand_stdev = statistics.pstdev(everything) if everything else None
    spreads = []
    for member in current.members:
        values = by_member[member.pk]
        mean = sum(values) / len(values) if values else None
        spreads.append(MemberSpread(member, len(values), mean, statistics.pstdev(values) if values else None))
    return spreads, grand_mean, grand_stdev


@require_POST
def close_scoring(request, pk):
    round = rules.get_round_for(request.user, pk, rules.is_chair)
    try:
        services.close_scoring(round, by=request.user)
    except services.SelectionError as error:
        messages.error(request, error.message)
        return redirect("selection:round_detail", pk=round.pk)
    messages.success(request, _("Scoring is closed. The ranking below is computed from the scores submitted."))
    return redirect("selection:ranking", pk=round.pk)


@require_POST
def decision_add(request, pk):
    round = rules.get_round_for(request.user, pk, rules.is_chair)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the reason for the decision."))
        return redirect("selection:ranking", pk=round.pk)
    submission = get_object_or_404(round.submissions, pk=form.cleaned_data["submission"])
    try:
        services.record_decision(round, submission, kind=form.cleaned_data["kind"],
                                 reason=form.cleaned_data["reason"], by=request.user)
    except services.SelectionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect(f"{reverse('selection:ranking', kwargs={'pk': round.pk})}#r{submission.pk}")


@require_POST
def decision_withdraw(request, pk, did):
    round = rules.get_round_for(request.user, pk, rules.is_chair)
    decision = get_object_or_404(ChairDecision, pk=did, round=round)
    try:
        services.withdraw_decision(decision, by=request.user)
    except services.SelectionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Decision withdrawn."))
    return redirect("selection:ranking", pk=round.pk)


@require_POST
def approve(request, pk):
    round = rules.get_round_for(request.user, pk, rules.is_chair)
    try:
        services.approve(round, by=request.user)
    except services.SelectionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The list is approved and frozen."))
    return redirect("selection:ranking", pk=round.pk)


def reopen(request, pk):
    round = rules.get_round_for(request.user, pk, rules.is_chair)
    if round.state == RoundState.DRAFT:
        messages.error(request, _("A draft round has no earlier state to reopen to."))
        return redirect("selection:round_detail", pk=round.pk)
    form = ReopenForm(request.POST or None, round=round)
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen(round, to_state=form.cleaned_data["to_state"], reason=form.cleaned_data["reason"],
                            by=request.user)
        except services.SelectionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The round is reopened."))
            return redirect("selection:round_detail", pk=round.pk)
    return render(request, "selection/reopen_form.html", {"round": round, "form": form})


def _live_context(request, round):
    """What the live results and the projector board show: the ranking so far (aggregates
    only while scoring is open), each scoring member's progress and who has submitted."""
    current = compute_ranking(round)
    hidden = _viewer_conflicts(request.user, round)
    needed = round.criteria.count()
    members = (CommitteeMember.objects.filter(committee_id=round.committee_id, scores=True)
               .select_related("user")
               .annotate(scored=Count("given_scores", filter=Q(given_scores__submission__round=round,
                                                               given_scores__value__isnull=False))))
    submitted = set(ScoreSheet.objects.filter(round=round, submitted_at__isnull=False).values_list("member_id",
                                                                                                   flat=True))
    eligible = round.submissions.filter(eligible=True).count()
    conflicts = dict(Conflict.objects.filter(submission__round=round).values_list("member_id")
                     .annotate(n=Count("pk")).values_list("member_id", "n"))
    progress = [{"member": m, "scored": m.scored, "needed": (eligible - conflicts.get(m.pk, 0)) * needed,
                 "submitted": m.pk in submitted} for m in members]
    return {
        "round": round, "ranking": current, "hidden": hidden, "progress": progress, "now": timezone.now(),
        "submitted_count": sum(p["submitted"] for p in progress),
        "closed": rules.scoring_is_closed(round), "score_count": Score.objects.filter(
            submission__round=round, value__isnull=False).count(),
    }


def results_live(request, pk):
    """The page the secretary projects: progress and aggregates while members score, the
    ranking once scoring is closed. Polled by htmx every few seconds."""
    round = rules.get_round_for(request.user, pk, rules.can_project_results)
    context = _live_context(request, round)
    if request.htmx:
        return render(request, "selection/_results_live.html", context)
    return render(request, "selection/results_live.html", context)


def board_pages(round, rows, per_column=BOARD_ROWS):
    """The board's pages: two columns of `per_column` lines each, the rows in ranking order with
    a line after the quota (the cut) and after the reserves. With a quota of 20 and a few
    reserves, the first page holds the selected, the cut line and the reserves at once."""
    lines = []
    for row in rows:
        lines.append({"row": row})
        if row.rank == round.quota:
            lines.append({"cut": True})
        elif round.reserves and row.rank == round.quota + round.reserves:
            lines.append({"reserves_end": True})
    per_page = 2 * per_column
    return [[lines[start:start + per_column], lines[start + per_column:start + per_page]]
            for start in range(0, len(lines), per_page)]


def results_board(request, pk):
    """The live results in projector mode: full screen, no menu, large type and high contrast,
    for a meeting room. Who may see it, and what, is as for the live results page. The pages
    turn by themselves (static/js/board.js); htmx refreshes the figures."""
    round = rules.get_round_for(request.user, pk, rules.can_project_results)
    context = _live_context(request, round)
    cut = next((c for c in context["ranking"].cut_ties if c.position == SELECTED), None)
    pages = board_pages(round, context["ranking"].rows)
    # The page on screen, sent by the board's refresh so that new figures do not turn it back.
    page = request.GET.get("page", "")
    current = min(int(page), len(pages)) if page.isascii() and page.isdigit() and int(page) > 0 else 1
    context.update(pages=pages, current_page=current, board_rows=BOARD_ROWS,
                   scoring_members=len(context["progress"]), cut_tie=tie_text(cut.resolved_by) if cut else "")
    if request.htmx:
        return render(request, "selection/_results_board.html", context)
    return render(request, "selection/results_board.html", context)


def export(request, pk):
    round = rules.get_round_for(request.user, pk, rules.can_project_results)
    if not rules.scoring_is_closed(round):
        messages.error(request, _("The results can be exported once the chair has closed scoring."))
        return redirect("selection:round_detail", pk=round.pk)
    content = exporting.write_results(round, compute_ranking(round))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{exporting.filename(round, timezone.localdate())}"'
    return response


def history(request, pk):
    round = rules.get_round_for(request.user, pk)
    entries = rules.visible_history(request.user, round, log_for(round))
    action = request.GET.get("action", "")
    if action:
        entries = entries.filter(action=action)
    page = Paginator(entries, HISTORY_PAGE).get_page(request.GET.get("page"))
    return render(request, "selection/history.html", {
        "round": round, "page": page, "action": action,
        "actions": [(action.value, action.label) for action in ROUND_ACTIONS],
    })

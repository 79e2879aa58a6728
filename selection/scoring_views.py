"""The committee's scoring pages (built for a phone) and conflicts of interest.

Autosave: each score field posts itself with htmx on change, with the version it was showing;
the answer swaps only that field's "saved" state and version (out of band). Without
JavaScript the whole form posts and the page reloads.

Offline (flaky Wi-Fi): static/js/offline.js takes each change before htmx sends it and keeps
it in the phone's IndexedDB until `score_sync` has answered; every save carries a key, so a
save sent again is stored once. The service worker (`offline_worker`, static/js/offline_worker.js)
keeps copies of the pages marked with OFFLINE_HEADER: this member's scoring pages of a round
they can still score, never another page.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kbo_site import i18n, thaidates

from . import development, rules, services
from .entry_views import entry_queryset
from .forms import ConflictForm, OfficerConflictForm, ScoreEntriesForm, WithdrawForm
from .models import Conflict, RoundState, Score, ScoreComment, ScoreSheet, Submission
from .ranking import compute_ranking, member_total
from .templatetags.selection_tags import score as score_label

# The service worker keeps a copy of a page only when its answer carries this header.
OFFLINE_HEADER = "X-KBO-Offline"
OFFLINE_KEEP = "keep"


def _offline_copy(response, keep):
    if keep:
        response[OFFLINE_HEADER] = OFFLINE_KEEP
    return response


def _scoring(request, pk):
    round = rules.get_round_for(request.user, pk, rules.can_score)
    return round, rules.membership(request.user, round)


def _eligible(round):
    return (round.submissions.filter(eligible=True)
            .select_related("product__producer__district").order_by("product__code"))


def score_list(request, pk):
    round, member = _scoring(request, pk)
    needed = round.criteria.count()
    submissions = list(_eligible(round).annotate(
        mine=Count("scores", filter=Q(scores__member=member, scores__value__isnull=False))))
    conflicts = set(Conflict.objects.filter(member=member, submission__round=round)
                    .values_list("submission_id", flat=True))
    sheet = ScoreSheet.objects.filter(round=round, member=member).first()
    submitted = bool(sheet and sheet.submitted_at)
    aggregates = {}
    if rules.can_see_aggregates(member, round):
        aggregates = {row.pk: row for row in compute_ranking(round).rows if row.pk not in conflicts}
    items = []
    for s in submissions:
        conflicted = s.pk in conflicts
        items.append({"submission": s, "conflicted": conflicted, "done": not conflicted and s.mine >= needed,
                      "started": s.mine > 0, "aggregate": aggregates.get(s.pk)})
    to_score = [i for i in items if not i["conflicted"]]
    scoring_open = rules.scoring_is_open(round)
    return _offline_copy(render(request, "selection/score_list.html", {
        "round": round, "member": member, "items": items, "submitted": submitted, "sheet": sheet,
        "done": sum(1 for i in to_score if i["done"]), "to_score": len(to_score),
        "scoring_open": scoring_open, "show_aggregates": bool(aggregates),
        "offline": scoring_open and not submitted,
    }), scoring_open and not submitted)


def _field_states(member, submission, criteria):
    scores = {s.criterion_id: s for s in Score.objects.filter(member=member, submission=submission)}
    return [{"criterion": c, "score": scores.get(c.pk)} for c in criteria]


def score_form(request, pk, sid):
    round, member = _scoring(request, pk)
    # The entry's card: its product's photos, standards and the application's files prefetched.
    submission = get_object_or_404(entry_queryset(), pk=sid, round=round, eligible=True)
    product = submission.product
    criteria = list(round.criteria.all())
    conflict = Conflict.objects.filter(member=member, submission=submission).first()
    order = list(_eligible(round).values_list("pk", flat=True))
    index = order.index(submission.pk)
    submitted = rules.has_submitted(member, round)
    editable = rules.scoring_is_open(round) and not submitted and not conflict
    return _offline_copy(render(request, "selection/score_form.html", {
        "round": round, "member": member, "submission": submission, "product": product,
        "standards": list(product.standards.all()),  # prefetched
        "fields": [] if conflict else _field_states(member, submission, criteria),
        "comment": ScoreComment.objects.filter(member=member, submission=submission).first(),
        "conflict": conflict,
        "total": None if conflict else member_total(member, submission, criteria),
        "editable": editable,
        "previous": order[index - 1] if index > 0 else None,
        "next": order[index + 1] if index + 1 < len(order) else None,
        "position": index + 1, "count": len(order),
        # An entry chosen in an earlier round shows how it was developed since (issue 12).
        "development": development.record_for_entry(submission) if submission.taken_from_id else None,
    }), editable)


@require_POST
def score_save(request, pk, sid):
    round, member = _scoring(request, pk)
    submission = get_object_or_404(Submission, pk=sid, round=round)
    submission.round = round
    criteria = list(round.criteria.all())
    form = ScoreEntriesForm(request.POST, criteria=criteria)
    form.is_valid()  # every problem is an entry's own error; see the form
    states, comment_state = services.save_entries(submission, member, form.entries, form.comment_entry,
                                                  by=request.user)
    if request.htmx:
        return render(request, "selection/_score_status.html", {
            "states": states, "comment_state": comment_state, "submission": submission,
            "total": member_total(member, submission, criteria)})
    errors = [state["error"] for state in [*states, comment_state or {}] if "error" in state]
    for error in errors:
        messages.error(request, error)
    if not errors:
        messages.success(request, _("Saved."))
    return redirect("selection:score_form", pk=round.pk, sid=submission.pk)


@require_POST
def score_sync(request, pk, sid):
    """The offline queue's save: one post as score_save reads it, plus `key`, answered in
    JSON (the queue shows each field's state itself)."""
    round, member = _scoring(request, pk)
    submission = get_object_or_404(Submission, pk=sid, round=round)
    submission.round = round
    try:
        key = uuid.UUID(request.POST.get("key", ""))
    except ValueError:
        return JsonResponse({"error": _("This save has no valid key; reload the page.")}, status=400)
    criteria = list(round.criteria.all())
    form = ScoreEntriesForm(request.POST, criteria=criteria)
    form.is_valid()  # every problem is an entry's own error; see the form
    answer, replayed = services.save_entries_once(submission, member, form.entries, form.comment_entry,
                                                  key=key, by=request.user)
    total = member_total(member, submission, criteria)
    return JsonResponse({
        "fields": [{**field, "saved_label": _saved_label(field["saved_at"])} for field in answer],
        "replayed": replayed,
        "total_label": f"{_('My total')}: {score_label(total) if total is not None else '–'} / 100",
    })


def _saved_label(saved_at):
    """"✓ Saved 19.35 o'clock", as _field_status.html shows it."""
    if not saved_at:
        return ""
    at = thaidates.format_time(parse_datetime(saved_at), language=i18n.reader_language())
    return " ".join(("✓", _("Saved"), at, _("o'clock")))


@login_not_required
@require_GET
def offline_worker(request):
    """The service worker's script. Served from here, not /static/, so that its scope covers
    the scoring pages under /selection/; it holds no data, so it needs no login."""
    with open(finders.find("js/offline_worker.js"), "rb") as source:
        response = HttpResponse(source.read(), content_type="text/javascript; charset=utf-8")
    # The browser checks for a new worker on every visit.
    response["Cache-Control"] = "no-cache"
    return response


@require_POST
def scores_submit(request, pk):
    round, member = _scoring(request, pk)
    try:
        services.submit_scores(round, member, by=request.user)
    except services.SelectionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your scores are submitted. You can now see the others' scores in aggregate."))
    return redirect("selection:score_list", pk=round.pk)


def conflict_declare(request, pk, sid):
    round = rules.get_round_for(request.user, pk, rules.is_on_committee)
    member = rules.membership(request.user, round)
    submission = get_object_or_404(Submission.objects.select_related("product__producer"), pk=sid, round=round,
                                   eligible=True)
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_conflict(submission, member, conflict_type=form.cleaned_data["conflict_type"],
                                      note=form.cleaned_data["note"], by=request.user)
        except services.SelectionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Conflict of interest recorded: you will not see or score %(code)s.") % {
                "code": submission.product.code})
            if member.scores:
                return redirect("selection:score_list", pk=round.pk)
            return redirect("selection:round_detail", pk=round.pk)
    return render(request, "selection/conflict_form.html", {"round": round, "submission": submission, "form": form})


def conflict_list(request, pk):
    round = rules.get_round_for(request.user, pk, rules.can_manage_round)
    form = OfficerConflictForm(request.POST or None, round=round)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_conflict(form.cleaned_data["submission"], form.cleaned_data["member"],
                                      conflict_type=form.cleaned_data["conflict_type"],
                                      note=form.cleaned_data["note"], by=request.user)
        except services.SelectionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Conflict of interest recorded."))
            return redirect("selection:conflict_list", pk=round.pk)
    conflicts = (Conflict.objects.filter(submission__round=round)
                 .select_related("member__user", "submission__product", "declared_by")
                 .order_by("member__order", "submission__product__code"))
    return render(request, "selection/conflict_list.html", {
        "round": round, "form": form, "conflicts": conflicts, "withdraw_form": WithdrawForm(),
        "open": round.state not in (RoundState.RANKING, RoundState.APPROVED)})


@require_POST
def conflict_withdraw(request, pk, cid):
    round = rules.get_round_for(request.user, pk, rules.can_manage_round)
    conflict = get_object_or_404(Conflict.objects.select_related("member__user", "submission"), pk=cid,
                                 submission__round=round)
    form = WithdrawForm(request.POST)
    try:
        services.withdraw_conflict(conflict, reason=form.data.get("reason", ""), by=request.user)
    except services.SelectionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Conflict withdrawn."))
    return redirect("selection:conflict_list", pk=round.pk)

"""Chained rounds and the national contest: taking an earlier round's approved selection in as
entries, and the contest page where each province follows its own entries and their results.

Everything else a chained or national round does (screening, scoring, conflicts, the ranking,
the chair's decisions, approval, the live board) is the ordinary round pages'.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from producers.roles import province_code

from . import facts, rules, services
from .forms import TakeEntriesForm
from .models import SUBMISSIONS_OPEN, RoundState


def _back(request, round):
    """To the page the form was on: a national round's contest page, or the submissions."""
    if round.is_national and request.POST.get("from") != "submissions":
        return redirect("selection:contest", pk=round.pk)
    return redirect("selection:submission_list", pk=round.pk)


@require_POST
def entries_take(request, pk):
    round = rules.get_contest_for(request.user, pk, rules.can_take_entries)
    form = TakeEntriesForm(request.POST, sources=rules.entry_sources(request.user, round))
    if not form.is_valid():
        messages.error(request, _("Choose an approved round to take the entries from."))
        return _back(request, round)
    try:
        added, already = services.take_entries_from(round, form.cleaned_data["source"], by=request.user)
    except services.SelectionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(count)s chosen products entered.") % {"count": len(added)})
        if already:
            messages.warning(request, _("Already entered: %(codes)s") % {"codes": ", ".join(already)})
    return _back(request, round)


def contest(request, pk):
    """A national round as a province follows it: its entries (each province's officers see
    only their own; national users and the national committee every one) and, once the national
    chair has approved the list, each entry's rank, score and outcome from the frozen approval.
    Nothing of the scoring before that, and no member's name or score."""
    round = rules.get_contest_for(request.user, pk)
    every = rules.sees_every_entry(request.user, round)
    entries = (round.submissions.select_related("product__producer__province", "product__producer__district",
                                                "taken_from__round")
               .order_by("product__producer__province_id", "product__code"))
    if not every:
        entries = entries.filter(product__producer__province_id=province_code(request.user))
    results = {}
    approval = facts.current_approval(round) if round.state == RoundState.APPROVED else None
    if approval is not None:
        results = {(row.get("province_code"), row["product_code"]): row for row in approval.snapshot["rows"]}
    rows = [{"submission": s, "result": results.get((s.product.producer.province_id, s.product.code))}
            for s in entries]
    if approval is not None:
        # In the order of the approved ranking; entries not ranked (not eligible) last.
        rows.sort(key=lambda row: row["result"]["rank"] if row["result"] else len(rows) + 1)
    sources = rules.entry_sources(request.user, round)
    can_take = rules.can_take_entries(request.user, round) and round.state in SUBMISSIONS_OPEN
    return render(request, "selection/contest.html", {
        "round": round, "rows": rows, "every": every, "approval": approval,
        "take_form": TakeEntriesForm(sources=sources) if can_take and sources.exists() else None,
        "can_take": can_take,
    })

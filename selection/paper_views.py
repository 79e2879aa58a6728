"""Paper score sheets: printing them for the meeting room, and the secretary typing a filled
one in on the member's behalf (selection/paper.py). For the chair, the secretary and the
officers (rules.can_follow_scoring)."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import paper, rules, services
from .forms import PaperScanForm, ScoreEntriesForm
from .models import CommitteeMember, PaperSheet, Score


def _scoring_member(round, member_pk):
    return get_object_or_404(CommitteeMember.objects.select_related("user"), pk=member_pk,
                             committee_id=round.committee_id, scores=True)


def _pdf(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def sheet_pdf(request, pk, member_pk):
    round = rules.get_round_for(request.user, pk, rules.can_follow_scoring)
    member = _scoring_member(round, member_pk)
    return _pdf(paper.render_sheets(round, [member]), f"score-sheet-{round.pk}-{member.pk}.pdf")


def sheets_pdf(request, pk):
    round = rules.get_round_for(request.user, pk, rules.can_follow_scoring)
    return _pdf(paper.render_sheets(round, paper.scoring_members(round)), f"score-sheets-{round.pk}.pdf")


STALE = gettext_lazy("Not saved: this score was changed elsewhere after this page was opened. "
                     "Check the sheet with the member and enter it again.")


def _cell_key(submission, criterion):
    return f"{submission.pk}_{criterion.pk}"


def _post_for(data, submission, criteria):
    """The part of the sheet's post about one entry, named as the scoring page names it
    (value_<criterion>, version_<criterion>), so forms.ScoreEntriesForm reads it the same way.
    A box left empty is not an entry: what is stored for it is left alone."""
    post = {}
    for criterion in criteria:
        key = _cell_key(submission, criterion)
        raw = data.get(f"value_{key}")
        version = data.get(f"version_{key}", "")
        if raw is None or not raw.strip():
            continue
        post[f"value_{criterion.pk}"], post[f"version_{criterion.pk}"] = raw, version
    return post


def enter(request, pk, member_pk):
    """The secretary types a member's signed paper sheet in, entry by entry in the sheet's
    order, and may submit it on the member's behalf. Saved as on the web (the same parsing,
    version checks and service), logged as entered by the secretary from the paper sheet.
    While scoring is open nobody but the member sees their scores, so the page shows which
    boxes hold a score, never its value; it shows back only what was just typed."""
    round = rules.get_round_for(request.user, pk, rules.can_enter_paper_sheets)
    member = _scoring_member(round, member_pk)
    criteria = list(round.criteria.all())
    sheet = paper.build_sheets(round, [member])[0]
    posted, errors = {}, {}
    if request.method == "POST":
        for _n, submission, conflicted in sheet.rows:
            post = {} if conflicted else _post_for(request.POST, submission, criteria)
            if not post:
                continue
            form = ScoreEntriesForm(post, criteria=criteria)
            form.is_valid()  # every problem is an entry's own error
            submission.round = round
            states, _comment = services.save_entries(submission, member, form.entries, by=request.user, paper=True)
            for state in states:
                key = _cell_key(submission, state["criterion"])
                if "error" in state:
                    # The web's stale message names the stored score: this page never shows one.
                    errors[key] = STALE if state.get("stale") else state["error"]
                    posted[key] = request.POST.get(f"value_{key}", "")
        if errors:
            messages.error(request, _("Some scores were not saved: see the boxes marked in red."))
        elif "submit" in request.POST:
            try:
                services.submit_scores(round, member, by=request.user, paper=True)
            except services.SelectionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("%(name)s's paper sheet is entered and submitted.") % {
                    "name": member.full_name})
                return redirect("selection:progress", pk=round.pk)
        else:
            messages.success(request, _("Saved."))
        if not errors:
            return redirect("selection:paper_enter", pk=round.pk, member_pk=member.pk)
    stored = {(s.submission_id, s.criterion_id): s for s in Score.objects.filter(
        member=member, submission__round=round)}
    rows = []
    for number, submission, conflicted in sheet.rows:
        cells = []
        for criterion in criteria:
            key = _cell_key(submission, criterion)
            score = stored.get((submission.pk, criterion.pk))
            cells.append({"criterion": criterion, "key": key, "score": score, "posted": posted.get(key),
                          "error": errors.get(key)})
        rows.append({"number": number, "submission": submission, "conflicted": conflicted, "cells": cells})
    return render(request, "selection/paper_enter.html", {
        "round": round, "member": member, "criteria": criteria, "rows": rows,
        "submitted": rules.has_submitted(member, round), "scan_form": PaperScanForm(),
        "scans": PaperSheet.objects.filter(round=round, member=member).select_related("uploaded_by"),
    }, status=400 if errors else 200)


@require_POST
def scan_add(request, pk, member_pk):
    """Attach the scan of the member's signed sheet to what was entered from it."""
    round = rules.get_round_for(request.user, pk, rules.can_enter_paper_sheets)
    member = _scoring_member(round, member_pk)
    form = PaperScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach_paper_scan(round, member, upload=form.cleaned_data["file"], kind=form.kind,
                                       by=request.user)
        except services.SelectionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Scan attached."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("selection:paper_enter", pk=round.pk, member_pk=member.pk)


def scan_download(request, pk, scan_pk):
    """A scan shows a member's scores (rules.can_read_paper_scans)."""
    round = rules.get_round_for(request.user, pk, rules.can_read_paper_scans)
    scan = get_object_or_404(PaperSheet, pk=scan_pk, round=round)
    try:
        handle = scan.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=scan.original_name or "scan",
                            content_type=scan.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""Who still has to score: the progress board, the scoring deadline and the reminders
(selection/reminders.py). For the chair, the secretary and the officers (rules.can_follow_scoring);
the board shows statuses only, never a score."""

import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import reminders, rules
from .forms import ScoringDeadlineForm
from .models import CommitteeMember, RoundState
from .services import SelectionError

OUTCOME_MESSAGES = {
    reminders.Outcome.SENT: (messages.SUCCESS, gettext_lazy("Reminder e-mailed to %(names)s.")),
    reminders.Outcome.ALREADY_SENT: (messages.INFO, gettext_lazy("Already reminded for this deadline: %(names)s.")),
    reminders.Outcome.NO_EMAIL: (messages.WARNING, gettext_lazy("No e-mail address, not reminded: %(names)s. Remind them "
                                                     "another way, or add the address on their user page.")),
    reminders.Outcome.SUBMITTED: (messages.INFO, gettext_lazy("Already submitted: %(names)s.")),
    reminders.Outcome.FAILED: (messages.ERROR, gettext_lazy("The mail server did not accept the reminder to %(names)s; "
                                                 "try again later.")),
}


def progress(request, pk, deadline_form=None):
    round = rules.get_round_for(request.user, pk, rules.can_follow_scoring)
    board = reminders.scoring_progress(round)
    can_set_deadline = rules.can_open_scoring(request.user, round) and round.state in reminders.DEADLINE_OPEN
    remind_at = None
    if round.scoring_closes_at and round.remind_before_hours:
        remind_at = round.scoring_closes_at - datetime.timedelta(hours=round.remind_before_hours)
    return render(request, "selection/progress.html", {
        "round": round, "board": board, "pending": board.pending,
        "submitted_count": len(board.rows) - len(board.pending),
        "can_remind": round.state == RoundState.SCORING and round.scoring_closes_at is not None,
        "show_notes": rules.sees_conflict_notes(request.user, round),
        "can_enter_paper": rules.can_enter_paper_sheets(request.user, round),
        "remind_at": remind_at,
        "deadline_form": (deadline_form or ScoringDeadlineForm.for_round(round)) if can_set_deadline else None,
    })


@require_POST
def remind(request, pk):
    """Remind one member (`member`) or everyone who has not submitted."""
    round = rules.get_round_for(request.user, pk, rules.can_follow_scoring)
    chosen = request.POST.get("member", "")
    members = None
    if chosen:
        # Any other text names no member: "²" is a digit to str.isdigit but not to int().
        member_pk = chosen if chosen.isascii() and chosen.isdigit() else None
        members = [get_object_or_404(CommitteeMember, pk=member_pk, committee_id=round.committee_id)]
    try:
        outcomes = reminders.remind_pending(round, by=request.user, members=members)
    except SelectionError as error:
        messages.error(request, error.message)
    else:
        if not outcomes:
            messages.info(request, _("Nobody to remind: every scoring member has submitted."))
        for outcome, people in outcomes.items():
            level, text = OUTCOME_MESSAGES[outcome]
            messages.add_message(request, level, str(text) % {"names": ", ".join(m.full_name for m in people)})
    return redirect("selection:progress", pk=round.pk)


@require_POST
def scoring_deadline(request, pk):
    round = rules.get_round_for(request.user, pk, rules.can_open_scoring)
    form = ScoringDeadlineForm.for_round(round, request.POST)
    if form.is_valid():
        try:
            reminders.set_scoring_deadline(round, closes_at=form.closes_at(),
                                           remind_before_hours=form.cleaned_data["remind_before_hours"],
                                           by=request.user)
        except SelectionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Scoring deadline saved."))
            return redirect("selection:progress", pk=round.pk)
    return progress(request, pk, deadline_form=form)

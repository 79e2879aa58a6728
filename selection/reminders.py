"""Who still has to score: the progress board's figures, the scoring deadline, and the e-mail
reminders to members who have not submitted.

A reminder is sent by hand from the board (the chair, the secretary, an officer) or by
`send_due_reminders`, which the task worker runs every few minutes (selection/tasks.py,
`manage.py send_reminders`, deploy/kbo-reminders.timer): a round in scoring whose deadline is
at most `remind_before_hours` away gets its reminders then. Either way a member gets one
reminder per deadline: the ScoringReminder row is written before the e-mail goes, under the
database's unique constraint, and the e-mail in the same transaction, so a failed send leaves
no row and a second sender finds the row and sends nothing.
"""

import datetime
import logging
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kbo_site.actions import log_action
from kbo_site.models import Action
from kbo_site.thaidates import format_date, format_time

from .models import (
    CommitteeMember,
    Conflict,
    RoundState,
    Score,
    ScoreSheet,
    ScoringReminder,
    SelectionRound,
)
from .services import SelectionError, _lock, audit

logger = logging.getLogger(__name__)

# The states in which the deadline may still be set: until the chair closes scoring.
DEADLINE_OPEN = (RoundState.DRAFT, RoundState.SCREENING, RoundState.SCORING)


class CellStatus:
    SCORED = "scored"
    STARTED = "started"
    NOT_SCORED = "not_scored"
    CONFLICT = "conflict"


@dataclass
class MemberProgress:
    member: CommitteeMember
    cells: list = field(default_factory=list)  # one CellStatus per eligible submission, in board order
    conflicts: list = field(default_factory=list)  # [(submission, Conflict)]
    submitted_at: datetime.datetime | None = None
    reminder: ScoringReminder | None = None

    @property
    def scored(self):
        return self.cells.count(CellStatus.SCORED)

    @property
    def to_score(self):
        return len(self.cells) - len(self.conflicts)

    @property
    def has_email(self):
        return bool(self.member.user.email)

    @property
    def pending(self):
        return self.submitted_at is None


@dataclass
class Progress:
    submissions: list
    rows: list

    @property
    def pending(self):
        return [row for row in self.rows if row.pending]

    @property
    def grid(self):
        """(submission, [CellStatus per member]): the desktop table, entries down, members across."""
        return [(submission, [row.cells[i] for row in self.rows]) for i, submission in enumerate(self.submissions)]


def scoring_progress(round):
    """Each scoring member's state in the round, per eligible submission: scored on every
    criterion, started, not scored, or conflict declared; and whether they submitted and were
    reminded for the current deadline. Statuses only: no score value is read. Seven queries,
    whatever the size of the round."""
    members = list(CommitteeMember.objects.filter(committee_id=round.committee_id, scores=True)
                   .select_related("user"))
    submissions = list(round.submissions.filter(eligible=True).select_related("product").order_by("product__code"))
    needed = round.criteria.count()
    filled = {(row["member_id"], row["submission_id"]): row["n"] for row in
              Score.objects.filter(submission__round=round, submission__eligible=True, value__isnull=False)
              .values("member_id", "submission_id").annotate(n=Count("pk")).order_by()}
    conflicts = {(c.member_id, c.submission_id): c for c in Conflict.objects.filter(submission__round=round)}
    submitted = dict(ScoreSheet.objects.filter(round=round, submitted_at__isnull=False)
                     .values_list("member_id", "submitted_at"))
    reminders = {}
    if round.scoring_closes_at is not None:
        reminders = {r.member_id: r for r in ScoringReminder.objects.filter(
            round=round, deadline=round.scoring_closes_at).select_related("sent_by")}
    rows = []
    for member in members:
        row = MemberProgress(member=member, submitted_at=submitted.get(member.pk), reminder=reminders.get(member.pk))
        for submission in submissions:
            conflict = conflicts.get((member.pk, submission.pk))
            count = filled.get((member.pk, submission.pk), 0)
            if conflict is not None:
                row.cells.append(CellStatus.CONFLICT)
                row.conflicts.append((submission, conflict))
            elif needed and count >= needed:
                row.cells.append(CellStatus.SCORED)
            else:
                row.cells.append(CellStatus.STARTED if count else CellStatus.NOT_SCORED)
        rows.append(row)
    return Progress(submissions=submissions, rows=rows)


def set_scoring_deadline(round, *, closes_at, remind_before_hours, by, now=None):
    """Set (or clear, with None) when scoring closes and how many hours before it the members
    who have not submitted are reminded. Allowed until scoring is closed; the time must be
    ahead. Side effects: the round's two fields, a SETTINGS_CHANGED row. A moved deadline
    lets every member be reminded again."""
    now = now or timezone.now()
    with transaction.atomic():
        round = _lock(round)
        if round.state not in DEADLINE_OPEN:
            raise SelectionError(_("Scoring is closed: there is no deadline to set."))
        if closes_at is not None and closes_at <= now:
            raise SelectionError(_("The closing time has already passed; choose a later time."))
        before = (round.scoring_closes_at, round.remind_before_hours)
        if before == (closes_at, remind_before_hours):
            return round
        round.scoring_closes_at, round.remind_before_hours = closes_at, remind_before_hours
        round.save(update_fields=["scoring_closes_at", "remind_before_hours", "updated_at"])
        audit(round, Action.SETTINGS_CHANGED, by=by, detail="\n".join([
            f"scoring_closes_at: {_deadline_text(before[0]) or '-'} → {_deadline_text(closes_at) or '-'}",
            f"remind_before_hours: {before[1]} → {remind_before_hours}",
        ]))
    return round


def _deadline_text(value):
    """วันที่ 11 มกราคม 2565 เวลา 16.00 น. (the record and the e-mail are Thai)."""
    if value is None:
        return ""
    return f"วันที่ {format_date(value)} เวลา {format_time(value)} น."


def scoring_url(round):
    """The member's scoring page, as an absolute address for an e-mail (KBO_SITE_URL)."""
    return settings.KBO_SITE_URL.rstrip("/") + reverse("selection:score_list", kwargs={"pk": round.pk})


class Outcome:
    SENT = "sent"
    ALREADY_SENT = "already_sent"
    NO_EMAIL = "no_email"
    SUBMITTED = "submitted"
    FAILED = "failed"


def remind(round, member, *, by, progress_row=None):
    """E-mail `member` a reminder to score and submit before the round's deadline, unless they
    have submitted, have no e-mail address, or were reminded for this deadline already (by
    anyone). Returns an Outcome. Raises SelectionError when scoring is not open or no deadline
    is set, and the mail backend's error when the e-mail could not be sent (nothing is then
    recorded, so it can be tried again). Side effects: a ScoringReminder, a REMINDER_SENT row
    (actor None when automatic, subject the member), one e-mail."""
    _require_reminders_possible(round)
    if not member.user.email:
        return Outcome.NO_EMAIL
    deadline = round.scoring_closes_at
    try:
        with transaction.atomic():
            if ScoreSheet.objects.filter(round=round, member=member, submitted_at__isnull=False).exists():
                return Outcome.SUBMITTED
            # Inserted first: a second sender waits on this row's key, then fails on it.
            ScoringReminder.objects.create(round=round, member=member, deadline=deadline, sent_by=by)
            log_action(by, round, Action.REMINDER_SENT, subject=member.user, to_state=_deadline_text(deadline),
                       note=member.full_name, detail={"deadline": deadline.isoformat()})
            _send(round, member, deadline, progress_row)
    except IntegrityError:
        return Outcome.ALREADY_SENT
    return Outcome.SENT


def _require_reminders_possible(round):
    if round.state != RoundState.SCORING:
        raise SelectionError(_("Scoring is not open."))
    if round.scoring_closes_at is None:
        raise SelectionError(_("Set when scoring closes before sending reminders."))


def _send(round, member, deadline, row):
    if row is None:
        row = next(r for r in scoring_progress(round).rows if r.member.pk == member.pk)
    context = {"round": round, "member": member, "deadline": _deadline_text(deadline), "url": scoring_url(round),
               "scored": row.scored, "to_score": row.to_score}
    with translation.override("th"):
        subject = render_to_string("selection/reminder_subject.txt", context).strip()
        body = render_to_string("selection/reminder_email.txt", context)
    send_mail(subject, body, None, [member.user.email])


def remind_pending(round, *, by, members=None):
    """Remind every scoring member who has not submitted (or those of `members`). Returns
    {Outcome: [CommitteeMember]}; the e-mails the mail server refused are under Outcome.FAILED,
    and logged. Raises SelectionError as `remind` does."""
    _require_reminders_possible(round)
    outcomes = {}
    for row in scoring_progress(round).pending:
        if members is not None and row.member not in members:
            continue
        try:
            outcome = remind(round, row.member, by=by, progress_row=row)
        except (smtplib.SMTPException, OSError):  # one refused address or a dropped connection: try the others
            logger.exception("Reminder to %s for round %s could not be sent", row.member.user.email, round.pk)
            outcome = Outcome.FAILED
        outcomes.setdefault(outcome, []).append(row.member)
    return outcomes


def due_rounds(now):
    """The rounds in scoring whose reminder time has come and whose deadline has not passed."""
    rounds = (SelectionRound.objects.filter(state=RoundState.SCORING, scoring_closes_at__gt=now,
                                            remind_before_hours__gt=0)
              .select_related("committee"))
    return [r for r in rounds if r.scoring_closes_at - datetime.timedelta(hours=r.remind_before_hours) <= now]


def send_due_reminders(now=None):
    """The automatic reminders: for each due round, remind the members who have not submitted
    and were not reminded for its deadline. Returns the number of e-mails sent."""
    now = now or timezone.now()
    sent = 0
    for round in due_rounds(now):
        sent += len(remind_pending(round, by=None).get(Outcome.SENT, []))
    return sent

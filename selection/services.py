"""Every workflow step of a selection round, one function each.

Each takes the object and `*, by=user`, checks the state, raises SelectionError with a message a
person can act on, saves inside transaction.atomic() and leaves a row in the round's action log
(kbo_site.actions.log_action). Views only call these.
"""

import re
from decimal import Decimal

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kbo_site import i18n, uploads
from kbo_site.photos import delete_files_on_commit
from kbo_site.actions import log_action
from kbo_site.models import Action
from kbo_site.text import normalise
from kbo_site.thaidates import arabic_digits
from producers.models import Product

from . import ranking as ranking_module
from . import rules, screening
from .models import (
    SETTINGS_OPEN,
    STATE_ORDER,
    SUBMISSIONS_OPEN,
    Approval,
    Action,
    ChairDecision,
    CommitteeMember,
    Conflict,
    ConflictType,
    DecisionKind,
    PaperSheet,
    RoundState,
    Score,
    ScoreComment,
    ScoreSaveKey,
    ScoreSheet,
    ScreeningResult,
    ScreeningRule,
    SelectionRound,
    Submission,
)


class SelectionError(Exception):
    """A step that cannot be done now; the message tells the person what to do."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class StaleScoreError(SelectionError):
    """The score was saved from another device or tab after this page loaded. `current` is the
    stored Score (its value and version), so the page can show it."""

    def __init__(self, message, *, current):
        super().__init__(message)
        self.current = current


# Texts the system writes into the record (audit details, reasons) are Thai, whatever the
# language of the screen the person was using: the record is official.
RECORD_LANGUAGE = "th"


# The log's note on what the secretary typed in from a member's signed paper sheet.
PAPER_NOTE = gettext_lazy("entered from the paper score sheet")


def audit(round, action, *, by, submission=None, member=None, detail="", from_value="", to_value="", reason="",
          paper=False):
    """One row of the round's log. `submission` is kept by its product's code (the history's
    "Product" column) and key; `member` names the committee member whose scores, sheet or
    conflict the row is about (selection.rules.visible_history). `paper`: entered by `by` from
    the member's paper sheet (flagged in the data, and said in the note)."""
    about = {} if submission is None else {"about": submission.product.code, "submission": submission.pk}
    if paper:
        about["paper"] = True
        with translation.override(RECORD_LANGUAGE):
            detail = f"{detail} · {PAPER_NOTE}"
    return log_action(by, round, action, from_state=from_value, to_state=to_value, reason=reason, note=detail,
                      detail=about, subject=None if member is None else member.user)


def _transition(round, to_state, *, by, reason=""):
    from_state = round.state
    round.state = to_state
    round.save(update_fields=["state", "updated_at"])
    audit(round, Action.STATE_CHANGED, by=by, from_value=RoundState(from_state),
          to_value=RoundState(to_state), reason=reason)


def _lock(round):
    """Lock the round's row, so two people acting at once are serialised, and re-read it in
    place: the caller's object then shows the outcome of the step."""
    list(SelectionRound.objects.select_for_update().filter(pk=round.pk).values_list("pk", flat=True))
    round.refresh_from_db()
    return round


def _require_state(round, states, message):
    if round.state not in states:
        raise SelectionError(message)


def _require_chair(round, by):
    if not rules.is_chair(by, round):
        raise SelectionError(_("Only the chair of the committee can do this."))


# Rounds ---------------------------------------------------------------------------------


def create_round(*, committee, name, fiscal_year, by, **settings):
    """Create a round in draft. Side effects: a round, an audit row."""
    with transaction.atomic():
        number = settings.pop("number", None) or (
            SelectionRound.objects.filter(committee=committee, fiscal_year=fiscal_year).count() + 1)
        standards = settings.pop("required_standards", None)
        round = SelectionRound.objects.create(committee=committee, name=name, fiscal_year=fiscal_year,
                                              number=number, created_by=by, **settings)
        if standards:
            round.required_standards.set(standards)
        audit(round, Action.ROUND_CREATED, by=by, to_value=round.name)
    return round


def update_settings(round, *, by, changes, required_standards=None):
    """Change the round's settings before scoring opens. Side effects: the round, an audit row
    listing what changed; submissions already screened must be screened again."""
    with transaction.atomic():
        round = _lock(round)
        _require_state(round, SETTINGS_OPEN, _(
            "The settings are fixed once scoring has opened; the chair must reopen the round to change them."))
        changed = []
        for name, value in changes.items():
            if getattr(round, name) != value:
                changed.append(f"{name}: {getattr(round, name)} → {value}")
                setattr(round, name, value)
        round.save()
        if required_standards is not None:
            before = sorted(s.name for s in round.required_standards.all())
            after = sorted(s.name for s in required_standards)
            if before != after:
                round.required_standards.set(required_standards)
                changed.append(f"required_standards: {', '.join(before) or '-'} → {', '.join(after) or '-'}")
        if changed:
            audit(round, Action.SETTINGS_CHANGED, by=by, detail="\n".join(changed))
    return round


def set_rubric(round, criteria, *, by):
    """Replace the rubric with `criteria` ([{"name", "max_score", "weight", "description"}]).
    Refused once a score has been saved. Side effects: criteria rows, an audit row."""
    from .models import Criterion

    with transaction.atomic():
        round = _lock(round)
        _require_state(round, SETTINGS_OPEN, _("The rubric is locked once scoring has opened."))
        if Score.objects.filter(submission__round=round).exists():
            raise SelectionError(_("The rubric is locked: scores have already been saved."))
        if not criteria:
            raise SelectionError(_("The rubric needs at least one criterion."))
        names = [c["name"].strip() for c in criteria]
        if len(set(names)) != len(names):
            raise SelectionError(_("Two criteria have the same name; give each a different name."))
        before = [f"{c.name} ({c.max_score} × {c.weight})" for c in round.criteria.all()]
        existing = {c.name: c for c in round.criteria.all()}
        keep = []
        for order, data in enumerate(criteria, 1):
            criterion = existing.get(data["name"].strip()) or Criterion(round=round, name=data["name"].strip())
            criterion.max_score = data["max_score"]
            criterion.weight = data.get("weight") or 1
            criterion.description = data.get("description", "")
            criterion.order = order
            criterion.save()
            keep.append(criterion.pk)
        removed = round.criteria.exclude(pk__in=keep)
        if round.tie_break_criterion_id and round.tie_break_criterion_id not in keep:
            round.tie_break_criterion = None
            round.save(update_fields=["tie_break_criterion", "updated_at"])
        removed.delete()
        after = [f"{c.name} ({c.max_score} × {c.weight})" for c in round.criteria.all()]
        audit(round, Action.RUBRIC_CHANGED, by=by, from_value="; ".join(before), to_value="; ".join(after))
    return round


# What a new round takes from an earlier one besides its rubric: the eligibility rules and how it
# scores and breaks ties. Name, number, year, quota and reserves belong to the new round.
COPIED_SETTINGS = (
    "rule_producer_type", "rule_registration", "registration_year_from", "registration_year_to",
    "rule_classification", "max_star_level", "rule_standards", "rule_one_per_producer",
    "min_scorers", "disagreement_threshold", "deciding", "tie_break_median",
)


def copy_round_setup(new_round, source, *, by):
    """Give a round in draft the setup of an earlier round of the same province: its eligibility
    rules (with the required standards), its scoring and tie-break settings, its rubric, and its
    committee's members when the new round sits under another committee (members already there
    keep their role and position). Side effects: the round's settings and required standards,
    its criteria (replacing any), committee member rows, one audit row naming the source."""
    from .models import CommitteeRole, Criterion

    with transaction.atomic():
        new_round = _lock(new_round)
        _require_state(new_round, (RoundState.DRAFT,), _("A setup can be copied only into a round still in draft."))
        if source.pk == new_round.pk:
            raise SelectionError(_("Choose an earlier round to copy from."))
        if source.committee.province_id != new_round.committee.province_id:
            raise SelectionError(_("A setup can be copied only from a round of the same province."))
        for name in COPIED_SETTINGS:
            setattr(new_round, name, getattr(source, name))
        new_round.tie_break_criterion = None
        new_round.save()
        new_round.required_standards.set(source.required_standards.all())

        new_round.criteria.all().delete()
        criteria = Criterion.objects.bulk_create(
            Criterion(round=new_round, name=c.name, description=c.description, max_score=c.max_score,
                      weight=c.weight, order=c.order) for c in source.criteria.all())
        if source.tie_break_criterion_id:
            new_round.tie_break_criterion = next(
                (c for c in new_round.criteria.all() if c.name == source.tie_break_criterion.name), None)
            new_round.save(update_fields=["tie_break_criterion", "updated_at"])

        source_members = list(source.committee.members.all())
        added = []
        if source.committee_id != new_round.committee_id:
            present = list(new_round.committee.members.all())
            taken = {m.user_id for m in present}
            has_chair = any(m.role == CommitteeRole.CHAIR for m in present)
            for member in source_members:
                if member.user_id in taken:
                    continue
                # A committee has one chair: the one it has already stays.
                role = CommitteeRole.MEMBER if member.role == CommitteeRole.CHAIR and has_chair else member.role
                added.append(CommitteeMember(committee=new_round.committee, user_id=member.user_id, role=role,
                                             position=member.position, scores=member.scores, order=member.order))
            CommitteeMember.objects.bulk_create(added)

        with translation.override(RECORD_LANGUAGE):
            parts = [
                _("Setup copied from an earlier round: eligibility rules, scoring and tie-break settings"),
                ngettext("rubric of %(n)s criterion", "rubric of %(n)s criteria", len(criteria)) % {
                    "n": len(criteria)},
            ]
            if source.committee_id == new_round.committee_id:
                parts.append(_("the same committee (%(n)s members)") % {"n": len(source_members)})
            else:
                parts.append(ngettext("%(n)s member added from the earlier round's committee",
                                      "%(n)s members added from the earlier round's committee",
                                      len(added)) % {"n": len(added)})
            detail = "; ".join(parts)
        audit(new_round, Action.SETTINGS_CHANGED, by=by, detail=detail,
              from_value=f"{source.name} ({source.label})")
    return new_round


# Submissions ----------------------------------------------------------------------------


def _require_registry_entries(round):
    if round.takes_chosen_entries:
        raise SelectionError(_("This round takes its entries from an earlier round's approved selection, "
                               "not from the registry."))


def add_submission(round, product, *, by):
    """Submit a product to the round. Refused for a product already submitted. Side effects:
    a submission, an audit row."""
    with transaction.atomic():
        round = _lock(round)
        _require_state(round, SUBMISSIONS_OPEN, _("Submissions are closed once scoring has opened."))
        _require_registry_entries(round)
        if Submission.objects.filter(round=round, product=product).exists():
            raise SelectionError(_("%(code)s %(name)s is already submitted to this round.") % {
                "code": product.code, "name": product.name})
        submission = Submission.objects.create(round=round, product=product, submitted_by=by)
        audit(round, Action.SUBMISSION_ADDED, by=by, submission=submission, to_value=str(product))
    return submission


CODE_SPLIT = re.compile(r"[\s,;]+")


def add_submissions_by_codes(round, text, *, by):
    """Submit every product whose code is in the pasted text (codes separated by spaces, commas
    or new lines). Returns (added, already, unknown) lists of codes. Side effects: submissions,
    one audit row per submission added."""
    # As the registry stores codes: no invisible or bidi characters, Thai digits as arabic.
    text = arabic_digits(normalise(text or ""))
    codes = list(dict.fromkeys(c.strip() for c in CODE_SPLIT.split(text) if c.strip()))
    if not codes:
        raise SelectionError(_("Paste at least one product code."))
    with transaction.atomic():
        round = _lock(round)
        _require_state(round, SUBMISSIONS_OPEN, _("Submissions are closed once scoring has opened."))
        _require_registry_entries(round)
        products = {p.code: p for p in Product.objects.filter(
            code__in=codes, producer__province_id=round.committee.province_id)}
        already_ids = set(Submission.objects.filter(round=round, product__code__in=codes)
                          .values_list("product__code", flat=True))
        added, already, unknown = [], [], []
        for code in codes:
            if code not in products:
                unknown.append(code)
            elif code in already_ids:
                already.append(code)
            else:
                submission = Submission.objects.create(round=round, product=products[code], submitted_by=by)
                audit(round, Action.SUBMISSION_ADDED, by=by, submission=submission, to_value=str(products[code]))
                added.append(code)
    return added, already, unknown


def take_entries_from(round, source, *, by):
    """Enter the products an earlier approved round selected, as its current approval froze
    them: into a chained round from its source round; into a national round, one province's
    chosen products from one of its approved rounds (by a national officer, or by an officer of
    that province nominating their own). The earlier round and its snapshot are only read.
    Products already entered are left as they are. Returns (added, already) lists of product
    codes. Side effects: one submission per product added, each noting the earlier submission
    it was chosen as (taken_from); one audit row per submission added, naming the source."""
    from . import facts

    with transaction.atomic():
        round = _lock(round)
        _require_state(round, SUBMISSIONS_OPEN, _("Submissions are closed once scoring has opened."))
        if round.is_national:
            if source.is_national:
                raise SelectionError(_("A national round takes its entries from the provinces' approved rounds."))
        elif source.pk != round.source_round_id:
            raise SelectionError(_("This round takes no entries from that round: its entries come from the round "
                                   "set in its settings."))
        # Read under the same lock as the round: an approval being reopened waits for us.
        source = SelectionRound.objects.select_for_update().select_related("committee").get(pk=source.pk)
        approval = facts.current_approval(source) if source.state == RoundState.APPROVED else None
        if approval is None:
            raise SelectionError(_("%(round)s has no approved list yet; its entries can be taken once its chair "
                                   "has approved it.") % {"round": f"{source.name} ({source.label})"})
        codes = [row["product_code"] for row in approval.snapshot["rows"]
                 if row["status"] == ranking_module.SELECTED]
        earlier = {s.product.code: s for s in source.submissions.filter(product__code__in=codes)
                   .select_related("product")}
        present = set(round.submissions.values_list("product_id", flat=True))
        added, already = [], []
        with translation.override(RECORD_LANGUAGE):
            note = _("chosen in %(round)s") % {"round": f"{source.name} ({source.label})"}
        for code in codes:
            chosen = earlier[code]
            if chosen.product_id in present:
                already.append(code)
                continue
            submission = Submission.objects.create(round=round, product=chosen.product, submitted_by=by,
                                                   taken_from=chosen)
            audit(round, Action.SUBMISSION_ADDED, by=by, submission=submission, to_value=str(chosen.product),
                  detail=note)
            added.append(code)
    return added, already


def remove_submission(submission, *, by):
    """Withdraw a submission before scoring opens. Side effects: deletes it with the files sent
    with it (once the transaction commits), an audit row."""
    with transaction.atomic():
        round = _lock(submission.round)
        _require_state(round, SUBMISSIONS_OPEN, _("Submissions are closed once scoring has opened."))
        audit(round, Action.SUBMISSION_REMOVED, by=by, from_value=str(submission.product))
        for attachment in submission.attachments.all():
            delete_files_on_commit(attachment.file, attachment.thumbnail)
        submission.delete()


# Screening ------------------------------------------------------------------------------


def screen_round(round, *, by):
    """Run the round's eligibility rules on every submission (moving a draft round to
    screening). Overrides already made are kept. Side effects: screening results, each
    submission's `eligible`, a state change from draft, an audit row with the counts."""
    with transaction.atomic():
        round = _lock(round)
        _require_state(round, SUBMISSIONS_OPEN, _("Screening is done before scoring opens."))
        submissions = list(round.submissions.select_related("product__producer__province")
                           .prefetch_related("product__standards"))
        if not submissions:
            raise SelectionError(_("Add the submitted products before screening."))
        if round.state == RoundState.DRAFT:
            _transition(round, RoundState.SCREENING, by=by)
        context = screening.build_context(round, submissions)
        existing = {(r.submission_id, r.rule): r for r in ScreeningResult.objects.filter(submission__round=round)}
        enabled = set(screening.enabled_rules(round))
        to_create, to_update, seen = [], [], set()
        now = timezone.now()
        for submission in submissions:
            outcomes = screening.check_submission(round, submission, context)
            effective = []
            for rule, passed, reason, message in outcomes:
                result = existing.get((submission.pk, rule))
                if result is None:
                    result = ScreeningResult(submission=submission, rule=rule, passed=passed, reason=reason,
                                             reason_message=message, checked_at=now)
                    to_create.append(result)
                else:
                    result.passed, result.reason, result.reason_message, result.checked_at = (
                        passed, reason, message, now)
                    to_update.append(result)
                seen.add((submission.pk, rule))
                effective.append(result.effective_passed)
            submission.eligible = all(effective)
            submission.screened_at = now
        ScreeningResult.objects.bulk_create(to_create)
        ScreeningResult.objects.bulk_update(to_update, ["passed", "reason", "reason_message", "checked_at"])
        stale = [r.pk for key, r in existing.items() if key not in seen or key[1] not in enabled]
        ScreeningResult.objects.filter(pk__in=stale).delete()
        Submission.objects.bulk_update(submissions, ["eligible", "screened_at"])
        failed = sum(1 for s in submissions if not s.eligible)
        with translation.override(RECORD_LANGUAGE):
            detail = _("%(total)s submitted, %(failed)s not eligible") % {"total": len(submissions), "failed": failed}
        audit(round, Action.SCREENED, by=by, detail=detail)
    return round


def override_result(result, *, passed, reason, by):
    """Override one rule's result with a written reason, or clear the override (passed=None).
    Side effects: the result, the submission's `eligible`, an audit row."""
    reason = (reason or "").strip()
    with transaction.atomic():
        round = _lock(result.submission.round)
        _require_state(round, (RoundState.SCREENING,), _("Results can be overridden only while screening."))
        if passed is not None and not reason:
            raise SelectionError(_("Write the reason for the override."))
        result = ScreeningResult.objects.select_for_update().get(pk=result.pk)
        before = result.effective_passed
        result.override_passed = passed
        result.override_reason = reason if passed is not None else ""
        result.override_by = by if passed is not None else None
        result.override_at = timezone.now() if passed is not None else None
        result.save()
        submission = result.submission
        submission.eligible = all(r.effective_passed for r in submission.results.all())
        submission.save(update_fields=["eligible"])
        audit(round, Action.OVERRIDE, by=by, submission=submission, detail=ScreeningRule(result.rule).label,
              from_value=_pass_label(before), to_value=_pass_label(result.effective_passed), reason=reason)
    return result


def _pass_label(passed):
    return gettext_lazy("passed") if passed else gettext_lazy("failed")


i18n.recorded_labels(_pass_label(True), _pass_label(False))


# Scoring --------------------------------------------------------------------------------


def open_scoring(round, *, by):
    """screening → scoring. Needs every submission screened, an eligible submission, a rubric
    and scoring members. Side effects: a state change; the rubric, settings and tie-break rule
    are fixed from now on."""
    with transaction.atomic():
        round = _lock(round)
        _require_state(round, (RoundState.SCREENING,), _("Scoring opens after screening."))
        if round.submissions.filter(screened_at__isnull=True).exists():
            raise SelectionError(_("Some submissions have not been screened yet: run the screening again."))
        if not round.submissions.filter(eligible=True).exists():
            raise SelectionError(_("No submission passed the screening; there is nothing to score."))
        if not round.criteria.exists():
            raise SelectionError(_("Set the rubric (the scoring criteria) before opening scoring."))
        if not CommitteeMember.objects.filter(committee_id=round.committee_id, scores=True).exists():
            raise SelectionError(_("The committee has no scoring members yet."))
        _transition(round, RoundState.SCORING, by=by)
    return round


def _round_for_scoring(submission, member):
    """The round read afresh (a page may hold it from before scoring closed), with whether the
    member declared a conflict with the submission or submitted their scores: one query."""
    return SelectionRound.objects.annotate(
        member_conflicted=Exists(Conflict.objects.filter(member=member, submission_id=submission.pk)),
        member_submitted=Exists(ScoreSheet.objects.filter(round=OuterRef("pk"), member=member,
                                                          submitted_at__isnull=False)),
    ).get(pk=submission.round_id)


def _scoring_checks(round, submission, member):
    """round comes from _round_for_scoring."""
    if round.state != RoundState.SCORING:
        raise SelectionError(_("Scoring is not open: the chair has closed it or it has not started."))
    if not member.scores:
        raise SelectionError(_("Your role in this committee does not score."))
    if submission.round_id != round.pk or not submission.eligible:
        raise SelectionError(_("This submission is not one to be scored."))
    if round.member_conflicted:
        raise SelectionError(_("You declared a conflict of interest with this submission and cannot score it."))
    if round.member_submitted:
        raise SelectionError(_("You have already submitted your scores; they can no longer be changed."))


def save_score(submission, member, criterion, value, *, version, by, paper=False):
    """Save one score. `version` is the version the page was showing (0 for none yet). A save
    made from a stale copy is refused (StaleScoreError) unless it stores the same value; a
    repeated save of the same value does nothing. `by` is who typed it: the member, or (with
    `paper`) the secretary entering the member's paper sheet. Side effects: the Score row, an
    audit row."""
    round = _round_for_scoring(submission, member)
    if criterion.round_id != round.pk:
        raise SelectionError(_("This criterion belongs to another round."))
    if value is not None and not 0 <= value <= criterion.max_score:
        raise SelectionError(_("Enter a score from 0 to %(max)s.") % {"max": criterion.max_score})
    _scoring_checks(round, submission, member)
    with transaction.atomic():
        current = Score.objects.filter(submission=submission, member=member, criterion=criterion).order_by().first()
        if current is None:
            if version:
                raise StaleScoreError(_("This score was cleared elsewhere; check it and enter it again."),
                                      current=Score(submission=submission, member=member, criterion=criterion,
                                                    max_score=criterion.max_score, version=0))
            try:
                with transaction.atomic():
                    score = Score.objects.create(submission=submission, member=member, criterion=criterion,
                                                 value=value, max_score=criterion.max_score)
            except IntegrityError:
                # Saved at the same moment from another device (or a double click).
                current = Score.objects.get(submission=submission, member=member, criterion=criterion)
                if current.value == value:
                    return current
                raise StaleScoreError(_stale_message(current), current=current) from None
            audit(round, Action.SCORE_SAVED, by=by, submission=submission, member=member,
                  detail=f"{member.full_name} · {criterion.name}", to_value=_number(value), paper=paper)
            return score
        if current.value == value:
            return current
        updated = Score.objects.filter(pk=current.pk, version=version).update(
            value=value, version=F("version") + 1, updated_at=timezone.now())
        if not updated:
            current.refresh_from_db()
            if current.value == value:
                return current
            raise StaleScoreError(_stale_message(current), current=current)
        audit(round, Action.SCORE_SAVED, by=by, submission=submission, member=member,
              detail=f"{member.full_name} · {criterion.name}", from_value=_number(current.value),
              to_value=_number(value), paper=paper)
        # The conditional update succeeded, so the stored row is exactly this.
        current.value, current.version = value, version + 1
        return current


def _number(value):
    """42.0 → "42", 42.5 → "42.5", None → ""."""
    if value is None:
        return ""
    return format(Decimal(str(value)).normalize(), "f")


def _stale_message(current):
    return _("Not saved: this score was changed on another device or tab to %(value)s. "
             "Check it and save again.") % {"value": _number(current.value) or "-"}


def save_comment(submission, member, text, *, version, by):
    """Save the member's comment on a submission, with the same version check as scores."""
    round = _round_for_scoring(submission, member)
    _scoring_checks(round, submission, member)
    text = (text or "").strip()
    with transaction.atomic():
        current = ScoreComment.objects.filter(submission=submission, member=member).order_by().first()
        if current is None:
            try:
                with transaction.atomic():
                    return ScoreComment.objects.create(submission=submission, member=member, text=text)
            except IntegrityError:
                current = ScoreComment.objects.get(submission=submission, member=member)
                if current.text == text:
                    return current
                raise StaleScoreError(_("Not saved: the comment was changed on another device or tab."),
                                      current=current) from None
        if current.text == text:
            return current
        if not ScoreComment.objects.filter(pk=current.pk, version=version).update(
                text=text, version=F("version") + 1, updated_at=timezone.now()):
            current.refresh_from_db()
            raise StaleScoreError(_("Not saved: the comment was changed on another device or tab."), current=current)
        current.refresh_from_db()
        return current


def save_entries(submission, member, entries, comment=None, *, by, paper=False):
    """Save what one post of the scoring page carries: `entries` and `comment` as
    forms.ScoreEntriesForm reads them. Each entry is saved on its own (one refused value never
    loses the others). Returns (states, comment_state): per entry its criterion, the score now
    stored, and either `saved_at` or an `error` (with `stale` when another device won)."""
    states = []
    for entry in entries:
        criterion = entry["criterion"]
        state = {"criterion": criterion}
        show_stored = False  # this value was not saved: show the score still stored
        if "error" in entry:
            state["error"], show_stored = entry["error"], True
        else:
            try:
                state["score"] = save_score(submission, member, criterion, entry["value"],
                                            version=entry["version"], by=by, paper=paper)
                state["saved_at"] = timezone.now()
            except StaleScoreError as stale:
                state["error"], state["score"], state["stale"] = stale.message, stale.current, True
            except SelectionError as failure:
                state["error"] = failure.message
            except DatabaseError:
                # save_score is atomic: the database kept the earlier score.
                state["error"] = _("Not saved: the database could not store this score just now. "
                                   "Your earlier score is kept; please enter it again.")
                show_stored = True
        if show_stored:
            state["score"] = Score.objects.filter(member=member, submission=submission,
                                                  criterion=criterion).first()
        states.append(state)
    comment_state = None
    if comment is not None:
        comment_state = {}
        try:
            comment_state["comment"] = save_comment(submission, member, comment["text"],
                                                    version=comment["version"], by=by)
            comment_state["saved_at"] = timezone.now()
        except StaleScoreError as stale:
            comment_state["error"], comment_state["comment"] = stale.message, stale.current
        except SelectionError as failure:
            comment_state["error"] = failure.message
    return states, comment_state


def save_entries_once(submission, member, entries, comment=None, *, key, by):
    """save_entries for a save from the scoring page's offline queue, which carries a key (a
    UUID the phone made). The first time, the entries are saved and the answer is kept under
    the key; a retry with the same key (the phone did not get the answer) gets the kept answer
    and saves nothing, so a save sent again is never stored twice and never reported as a
    conflict with itself. Returns (answer, replayed): the answer is one dict per field, as
    `_answer` builds it. Side effects: as save_entries, and a ScoreSaveKey row."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = ScoreSaveKey.objects.create(member=member, key=key)
        except IntegrityError:
            # Sent before; on PostgreSQL a retry arriving while the first is being saved waits
            # here until that one is committed.
            return ScoreSaveKey.objects.get(member=member, key=key).answer, True
        states, comment_state = save_entries(submission, member, entries, comment, by=by)
        record.answer = _answer(states, comment_state)
        record.save(update_fields=["answer"])
    return record.answer, False


def _answer(states, comment_state):
    """save_entries' states as JSON-ready dicts: field (the form's name), value and version now
    stored, saved_at (ISO) or error, and stale when another device changed it first."""
    answer = []
    for state in states:
        score = state.get("score")
        answer.append({
            "field": f"value_{state['criterion'].pk}",
            "value": _number(score.value) if score else "",
            "version": score.version if score else 0,
            "saved_at": state["saved_at"].isoformat() if "saved_at" in state else None,
            "error": str(state.get("error", "")),
            "stale": bool(state.get("stale")),
        })
    if comment_state is not None:
        stored = comment_state.get("comment")
        answer.append({
            "field": "comment",
            "value": stored.text if stored else "",
            "version": stored.version if stored else 0,
            "saved_at": comment_state["saved_at"].isoformat() if "saved_at" in comment_state else None,
            "error": str(comment_state.get("error", "")),
            "stale": "error" in comment_state and stored is not None,
        })
    return answer


def unscored_submissions(round, member):
    """The eligible, unconflicted submissions the member has not scored on every criterion."""
    from django.db.models import Count, Q

    needed = round.criteria.count()
    return (round.submissions.filter(eligible=True)
            .exclude(conflicts__member=member)
            .annotate(done=Count("scores", filter=Q(scores__member=member, scores__value__isnull=False)))
            .filter(done__lt=needed)
            .select_related("product"))


def submit_scores(round, member, *, by, paper=False):
    """The member's "submit my scores": needs every unconflicted submission scored. After it
    the member sees the others' scores in aggregate and can no longer change theirs. With
    `paper`, the secretary (`by`) submits the member's signed paper sheet on their behalf.
    Side effects: the member's ScoreSheet, an audit row. Submitting twice does nothing."""
    with transaction.atomic():
        round = _lock(round)
        if round.state != RoundState.SCORING:
            raise SelectionError(_("Scoring is not open."))
        if not member.scores:
            raise SelectionError(_("Your role in this committee does not score."))
        sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(round=round, member=member)
        if sheet.submitted_at:
            return sheet
        missing = list(unscored_submissions(round, member))
        if missing:
            raise SelectionError(_("Score every submission before submitting; still to score: %(codes)s.") % {
                "codes": ", ".join(s.product.code for s in missing[:10]) + (" …" if len(missing) > 10 else "")})
        sheet.submitted_at = timezone.now()
        sheet.save(update_fields=["submitted_at"])
        audit(round, Action.SCORES_SUBMITTED, by=by, member=member, detail=member.full_name, paper=paper)
    return sheet


def attach_paper_scan(round, member, *, upload, kind, by):
    """Keep the scan of a member's signed paper sheet as evidence of what `by` entered on their
    behalf. `kind` is what kbo_site.uploads.sniff found in it (the form checks it is a PDF, PNG
    or JPEG). Side effects: the file under MEDIA_ROOT with a random name, a PaperSheet row, an
    audit row."""
    with transaction.atomic():
        round = _lock(round)
        if round.state != RoundState.SCORING:
            raise SelectionError(_("Scoring is not open."))
        scan = PaperSheet(round=round, member=member, uploaded_by=by, content_type=kind.content_type,
                          original_name=uploads.download_name(upload.name, kind)[:255])
        scan.file.save(f"upload.{kind.extension}", upload, save=False)
        scan.save()
        with translation.override(RECORD_LANGUAGE):
            label = _("scan of the signed paper score sheet")
        note = f"{member.full_name} · {label} {scan.original_name}"
        audit(round, Action.ATTACHMENT, by=by, member=member, detail=note)
    return scan


def declare_conflict(submission, member, *, conflict_type, note, by):
    """Record a conflict of interest of `member` with `submission` (by the member or an
    officer). The member's scores for it are left out of every average. Side effects: a
    Conflict, an audit row."""
    round = submission.round
    with transaction.atomic():
        round = _lock(round)
        if round.state in (RoundState.RANKING, RoundState.APPROVED):
            raise SelectionError(_("Conflicts are declared before scoring closes; ask the chair to reopen scoring."))
        if member.committee_id != round.committee_id:
            raise SelectionError(_("This person is not on the round's committee."))
        if ScoreSheet.objects.filter(round=round, member=member, submitted_at__isnull=False).exists() \
                and by == member.user:
            raise SelectionError(_("You have already submitted your scores; ask an officer to record the conflict."))
        try:
            with transaction.atomic():
                conflict = Conflict.objects.create(submission=submission, member=member, conflict_type=conflict_type,
                                                   note=(note or "").strip(), declared_by=by)
        except IntegrityError:
            raise SelectionError(_("This conflict of interest is already recorded.")) from None
        audit(round, Action.CONFLICT_DECLARED, by=by, submission=submission, member=member,
              detail=member.full_name, to_value=ConflictType(conflict.conflict_type).label, reason=conflict.note)
    return conflict


def withdraw_conflict(conflict, *, reason, by):
    """Remove a conflict recorded by mistake, with a reason, before scoring closes.
    Side effects: deletes the Conflict, an audit row."""
    reason = (reason or "").strip()
    round = conflict.submission.round
    with transaction.atomic():
        round = _lock(round)
        if round.state in (RoundState.RANKING, RoundState.APPROVED):
            raise SelectionError(_("Conflicts are fixed once scoring has closed."))
        if not reason:
            raise SelectionError(_("Write the reason for withdrawing the conflict."))
        audit(round, Action.CONFLICT_WITHDRAWN, by=by, submission=conflict.submission,
              member=conflict.member, detail=conflict.member.full_name,
              from_value=ConflictType(conflict.conflict_type).label, reason=reason)
        conflict.delete()


# Ranking and the cut --------------------------------------------------------------------


def close_scoring(round, *, by):
    """The chair closes scoring: scoring → ranking. Scores can no longer change and the ranking
    is shown in full. Side effects: a state change, recording how many members had submitted."""
    with transaction.atomic():
        round = _lock(round)
        _require_chair(round, by)
        _require_state(round, (RoundState.SCORING,), _("Scoring is not open, so it cannot be closed."))
        scorers = CommitteeMember.objects.filter(committee_id=round.committee_id, scores=True).count()
        submitted = ScoreSheet.objects.filter(round=round, submitted_at__isnull=False).count()
        with translation.override(RECORD_LANGUAGE):
            reason = _("%(submitted)s of %(scorers)s scoring members had submitted") % {
                "submitted": submitted, "scorers": scorers}
        _transition(round, RoundState.RANKING, by=by, reason=reason)
    return round


def record_decision(round, submission, *, kind, reason, by):
    """The chair moves a submission in or out of the list, or decides an exact tie, always with
    a written reason. Side effects: a ChairDecision, an audit row."""
    reason = (reason or "").strip()
    with transaction.atomic():
        round = _lock(round)
        _require_chair(round, by)
        _require_state(round, (RoundState.RANKING,), _("The list can be changed only after scoring is closed and "
                                                        "before it is approved."))
        if not reason:
            raise SelectionError(_("Write the reason for the decision."))
        if submission.round_id != round.pk or not submission.eligible:
            raise SelectionError(_("This submission is not in the ranking."))
        current = ranking_module.compute_ranking(round)
        row = current.row_for(submission.pk)
        if kind == DecisionKind.MOVE_IN:
            if row.status == ranking_module.SELECTED:
                raise SelectionError(_("This submission is already in the selected list."))
            if sum(1 for r in current.rows if r.moved == "in") >= round.quota:
                raise SelectionError(_("As many submissions as the quota have already been moved in."))
        elif kind == DecisionKind.MOVE_OUT:
            if row.status != ranking_module.SELECTED:
                raise SelectionError(_("This submission is not in the selected list."))
        elif kind == DecisionKind.TIE_BREAK:
            if not row.tie_at_cut or row.tie_resolved_by != ranking_module.UNRESOLVED:
                raise SelectionError(_("This submission is not in an unresolved tie at the cut line."))
        else:
            raise SelectionError(_("Unknown decision."))
        # A new move replaces an earlier one for the same submission.
        ChairDecision.objects.filter(round=round, submission=submission, withdrawn_at__isnull=True,
                                     kind__in=(DecisionKind.MOVE_IN, DecisionKind.MOVE_OUT)
                                     ).update(withdrawn_at=timezone.now())
        decision = ChairDecision.objects.create(round=round, submission=submission, kind=kind, reason=reason,
                                                decided_by=by)
        audit(round, Action.DECISION, by=by, submission=submission, detail=DecisionKind(decision.kind).label,
              from_value=_status_label(row.status), reason=reason)
    return decision


def withdraw_decision(decision, *, by):
    """The chair withdraws a move or tie decision before approval. Side effects: the decision
    is marked withdrawn (kept for the record), an audit row."""
    with transaction.atomic():
        round = _lock(decision.round)
        _require_chair(round, by)
        _require_state(round, (RoundState.RANKING,), _("Decisions can be withdrawn only before approval."))
        if decision.withdrawn_at:
            return decision
        decision.withdrawn_at = timezone.now()
        decision.save(update_fields=["withdrawn_at"])
        audit(round, Action.DECISION_WITHDRAWN, by=by, submission=decision.submission,
              detail=DecisionKind(decision.kind).label, reason=decision.reason)
    return decision


def _status_label(status):
    return {
        ranking_module.SELECTED: gettext_lazy("selected"),
        ranking_module.RESERVE: gettext_lazy("reserve"),
        ranking_module.NOT_SELECTED: gettext_lazy("not selected"),
    }[status]


i18n.recorded_labels(*(_status_label(status) for status in (ranking_module.SELECTED, ranking_module.RESERVE,
                                                             ranking_module.NOT_SELECTED)))


def approve(round, *, by):
    """The chair approves the list: ranking → approved. Refused while an exact tie at the cut
    line is undecided. Side effects: an Approval with a frozen snapshot of the ranking and the
    scores, a state change, a development record for each selected product (development.py).
    Scores cannot change afterwards."""
    from . import development, facts

    with transaction.atomic():
        round = _lock(round)
        _require_chair(round, by)
        _require_state(round, (RoundState.RANKING,), _("Only a ranked round can be approved; close scoring first."))
        current = ranking_module.compute_ranking(round)
        if current.unresolved_ties:
            raise SelectionError(_("There is an exact tie at the cut line: decide it, with a reason, before "
                                   "approving."))
        if not current.selected:
            raise SelectionError(_("The list is empty; there is nothing to approve."))
        now = timezone.now()
        Approval.objects.filter(round=round, superseded_at__isnull=True).update(superseded_at=now)
        snapshot = facts.snapshot(round, current)
        approval = Approval.objects.create(round=round, approved_by=by, snapshot=snapshot)
        _transition(round, RoundState.APPROVED, by=by)
        with translation.override(RECORD_LANGUAGE):
            detail = _("%(selected)s selected, %(reserves)s reserves") % {
                "selected": len(current.selected), "reserves": len(current.reserves)}
        audit(round, Action.APPROVED, by=by, detail=detail)
        # Activity 2: each selected product's development record, "before" from the registry.
        development.open_records(round, by=by)
    return approval


def reopen(round, *, to_state, reason, by):
    """The chair moves the round back to an earlier state, with a written reason. Reopening an
    approved round keeps its snapshot, marked superseded, to compare the new result against.
    Side effects: a state change, an audit row."""
    reason = (reason or "").strip()
    with transaction.atomic():
        round = _lock(round)
        _require_chair(round, by)
        if not reason:
            raise SelectionError(_("Write the reason for reopening."))
        if to_state not in STATE_ORDER or STATE_ORDER.index(to_state) >= STATE_ORDER.index(round.state):
            raise SelectionError(_("A round can only be reopened to an earlier state."))
        if to_state == RoundState.DRAFT and Score.objects.filter(submission__round=round).exists():
            raise SelectionError(_("Scores have been saved; the round can be reopened to screening at the earliest."))
        from_state = round.state
        if from_state == RoundState.APPROVED:
            Approval.objects.filter(round=round, superseded_at__isnull=True).update(superseded_at=timezone.now())
        if to_state in (RoundState.SCORING, RoundState.SCREENING, RoundState.DRAFT):
            # Members who had submitted may revise their scores again.
            ScoreSheet.objects.filter(round=round).update(submitted_at=None)
        _transition(round, to_state, by=by, reason=reason)
        audit(round, Action.REOPENED, by=by, from_value=RoundState(from_state).label,
              to_value=RoundState(to_state).label, reason=reason)
    return round

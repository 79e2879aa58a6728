"""Who may do what in a round, decided here and nowhere else.

Officers and admins (registry groups, producers.roles) manage rounds. Committee roles (chair,
member, secretary) come from the round's committee. `get_round_for` is the one access check
per round used by every view: it returns the round or raises 404/403.
"""

from django.db.models import Q

from kbo_site.access import get_for
from kbo_site.models import Action
from producers.roles import in_scope, is_admin, is_national, is_officer, province_code, scoped

from .models import (
    ATTACHMENTS_OPEN,
    CommitteeMember,
    CommitteeRole,
    Conflict,
    DevelopmentState,
    RoundState,
    ScoreSheet,
    SelectionRound,
)


def can_manage_rounds(user):
    """Officers and admins create rounds, add submissions, screen and set the rubric."""
    return is_admin(user) or is_officer(user)


def memberships(user):
    """{committee_id: CommitteeMember} of the user's committees, read once per request and
    cached on the user: the one look-up of committee membership every app uses."""
    if not user.is_authenticated:
        return {}
    cache = getattr(user, "_kbo_memberships", None)
    if cache is None:
        cache = {m.committee_id: m for m in CommitteeMember.objects.filter(user=user).select_related("user")}
        user._kbo_memberships = cache
    return cache


def membership(user, round):
    """The user's CommitteeMember row in the round's committee, or None."""
    return memberships(user).get(round.committee_id)


def is_committee_member(user):
    """Whether the user sits on any committee (for the navigation)."""
    return bool(memberships(user))


def can_view_round(user, round):
    return can_manage_rounds(user) or membership(user, round) is not None


def is_chair(user, round):
    member = membership(user, round)
    return member is not None and member.role == CommitteeRole.CHAIR


def can_score(user, round):
    member = membership(user, round)
    return member is not None and member.scores


def can_project_results(user, round):
    """The live results page and the export: managers, the chair and the secretary. Whoever
    scores in the round sees the live means only once they have submitted their own scores,
    as every member does: a scoring chair (or an officer who sits on the committee) is no
    exception."""
    if not _runs_the_meeting(user, round):
        return False
    member = membership(user, round)
    if member is not None and member.scores and scoring_is_open(round):
        return has_submitted(member, round)
    return True


def _runs_the_meeting(user, round):
    """The officers, and the committee's chair and secretary."""
    member = membership(user, round)
    return can_manage_rounds(user) or (
        member is not None and member.role in (CommitteeRole.CHAIR, CommitteeRole.SECRETARY))


def sees_conflict_notes(user, round):
    """Conflict notes are for the chair, the secretary and the officers (and the member who
    declared them)."""
    return _runs_the_meeting(user, round)


def can_follow_scoring(user, round):
    """The progress board (who has scored, declared a conflict, submitted; never a value) and
    the reminders: the chair and the secretary, and the officers who prepare the meeting.
    Plain members do not see who else is late."""
    return _runs_the_meeting(user, round)


def can_enter_paper_sheets(user, round):
    """Typing a member's signed paper sheet in, while scoring is open: those who run the meeting
    and do not score in it themselves (the secretary, the officers). The page never shows a
    score, but what is typed is the member's, and a scoring chair must not see it."""
    member = membership(user, round)
    return scoring_is_open(round) and _runs_the_meeting(user, round) and not (member is not None and member.scores)


def can_read_paper_scans(user, round):
    """A scanned sheet shows a member's scores: while scoring is open, for those who type the
    sheets in; once it is closed, for whoever runs the meeting."""
    if scoring_is_closed(round):
        return _runs_the_meeting(user, round)
    return can_enter_paper_sheets(user, round)


def can_see_entry(user, submission):
    """The entry's material (its product's photos, the photos and documents sent with the
    application): the officers, at any time; the round's committee once screening has put the
    entry on the scoring list (as the scoring page shows it)."""
    if can_manage_rounds(user):
        return True
    return membership(user, submission.round) is not None and submission.eligible is True


def attachments_are_open(round):
    """Material sent with an application may be added or removed until scoring closes."""
    return round.state in ATTACHMENTS_OPEN


def can_open_scoring(user, round):
    return can_manage_rounds(user) or is_chair(user, round)


def scoring_is_open(round):
    return round.state == RoundState.SCORING


def scoring_is_closed(round):
    return round.state in (RoundState.RANKING, RoundState.APPROVED)


def has_conflict(member, submission):
    return Conflict.objects.filter(member=member, submission=submission).exists()


def has_submitted(member, round):
    return ScoreSheet.objects.filter(round=round, member=member, submitted_at__isnull=False).exists()


def can_see_aggregates(member, round):
    """A member sees the others' scores, in aggregate, only after submitting their own."""
    return scoring_is_closed(round) or (member is not None and has_submitted(member, round))


def can_see_member_scores(user, round):
    """Individual members' scores are shown only once the chair has closed scoring."""
    return scoring_is_closed(round) and can_view_round(user, round)


MEMBER_SCORE_ACTIONS = (Action.SCORE_SAVED,)
CONFLICT_ACTIONS = (Action.CONFLICT_DECLARED, Action.CONFLICT_WITHDRAWN)


def visible_history(user, round, entries):
    """The round's history rows the user may read, by the same rules as the scoring pages:
    - a member's score entries: the member (and whoever entered them) at any time; the others
      only once the chair has closed scoring, and never for a submission they declared a
      conflict with;
    - conflict entries (with their notes): the member concerned, the chair, the secretary and
      the officers;
    - every other entry (settings, screening, state changes, decisions): whoever sees the round.
    """
    own = Q(subject=user) | Q(actor=user)
    if not can_see_member_scores(user, round):
        entries = entries.exclude(Q(action__in=MEMBER_SCORE_ACTIONS) & ~own)
    else:
        member = membership(user, round)
        if member is not None:
            conflicted = list(Conflict.objects.filter(member=member).values_list("submission_id", flat=True))
            entries = entries.exclude(Q(action__in=MEMBER_SCORE_ACTIONS, detail__submission__in=conflicted) & ~own)
    if not sees_conflict_notes(user, round):
        entries = entries.exclude(Q(action__in=CONFLICT_ACTIONS) & ~own)
    return entries


def in_round_scope(user, round):
    """The round's committee sits in the user's province (or the user is national), or the
    user sits on that committee: anyone else is told the round does not exist."""
    return membership(user, round) is not None or in_scope(user, round.committee.province_id)


def visible_rounds(user, queryset=None):
    """The rounds a user's list shows: managers their province's (national: all), committee
    members their committees'."""
    queryset = SelectionRound.objects.all() if queryset is None else queryset
    committees = CommitteeMember.objects.filter(user=user).values_list("committee_id", flat=True)
    if not can_manage_rounds(user):
        return queryset.filter(committee_id__in=committees)
    if is_national(user):
        return queryset
    return queryset.filter(Q(committee__province_id=province_code(user)) | Q(committee_id__in=committees))


def committees_for(user, queryset=None):
    """The committees a manager may put rounds and meetings under."""
    from .models import Committee

    return scoped(Committee.objects.all() if queryset is None else queryset, user)


def can_manage_round(user, round):
    """can_manage_rounds as a predicate of (user, round), for get_round_for."""
    return can_manage_rounds(user)


def is_on_committee(user, round):
    """The user sits on the round's committee, in any role."""
    return membership(user, round) is not None


def get_round_for(user, pk, predicate=can_view_round):
    """The round if `predicate(user, round)`; 404 if it does not exist or belongs to another
    province, 403 otherwise (kbo_site.access)."""
    return get_for(user, SelectionRound.objects.select_related("committee"), pk, predicate,
                   in_scope=in_round_scope)


# The development of the selected products (issue 12) --------------------------------------
# Officers of the round's province plan and edit; national officers read every province's; the
# round's committee reads its round's; a mentor reads the records they mentor and records
# visits on them, and, off the committee, sees nothing else of the round.

def mentored_records(user):
    """The ids of the development records the user mentors, read once per request and cached
    on the user."""
    if not user.is_authenticated:
        return frozenset()
    cache = getattr(user, "_kbo_mentored", None)
    if cache is None:
        from .models import Mentor

        cache = frozenset(Mentor.objects.filter(user=user).values_list("record_id", flat=True))
        user._kbo_mentored = cache
    return cache


def is_mentor(user, record):
    return record.pk in mentored_records(user)


def sees_whole_development(user, round):
    """Every record of the round: those who see the round (its officers and committee)."""
    return can_view_round(user, round)


def can_view_development(user, record):
    return sees_whole_development(user, record.round) or is_mentor(user, record)


def _on_the_list(record):
    """A record kept for a product that left the approved list is read only (development.open_records)."""
    return record.state != DevelopmentState.WITHDRAWN


def can_edit_development(user, record):
    """The plan, the mentors, before and after: the officers of the round's province (the
    getter has checked the province); national officers read only; nobody once the product is
    off the approved list."""
    return _on_the_list(record) and can_manage_rounds(user) and not is_national(user)


def can_record_visit(user, record):
    """Visits and plan items done: the province's officers and the record's mentors, while the
    product is on the approved list."""
    return _on_the_list(record) and (can_edit_development(user, record) or is_mentor(user, record))


def mentors_in_round(user, round):
    """The user mentors a record of the round."""
    if not mentored_records(user):
        return False
    from .models import DevelopmentRecord

    return DevelopmentRecord.objects.filter(round=round, pk__in=mentored_records(user)).exists()


def can_view_development_board(user, round):
    """A round's development board: whoever sees the round; a mentor sees their own rows."""
    return sees_whole_development(user, round) or mentors_in_round(user, round)


def in_development_scope(user, record):
    return is_mentor(user, record) or in_round_scope(user, record.round)


def in_board_scope(user, round):
    return in_round_scope(user, round) or mentors_in_round(user, round)


def visible_developments(user, round, queryset):
    """The round's records the user may read."""
    if sees_whole_development(user, round):
        return queryset
    return queryset.filter(pk__in=mentored_records(user))


def get_development_for(user, pk, predicate=can_view_development, queryset=None):
    """The development record if `predicate(user, record)`; 404 if none or of another province
    (unless the user mentors it); 403 otherwise (kbo_site.access)."""
    from .models import DevelopmentRecord

    queryset = queryset if queryset is not None else DevelopmentRecord.objects.select_related(
        "round__committee", "product__producer")
    return get_for(user, queryset, pk, predicate,
                   in_scope=in_development_scope)


def get_development_round_for(user, pk, predicate=can_view_development_board):
    """The round whose development board the user may read (kbo_site.access)."""
    return get_for(user, SelectionRound.objects.select_related("committee"), pk, predicate,
                   in_scope=in_board_scope)
# Chained rounds and the national contest -------------------------------------------------
# A national round's committee has no province: in_round_scope lets in the national users and
# the national committee's members only, so every page above works for it unchanged. The
# provinces take part through the contest page alone: their own entries, and their results
# once the national chair has approved the list.


def in_contest_scope(user, round):
    """A national round is known to every province (that it exists is nobody's secret; what it
    holds is shown by province); any other round as get_round_for decides."""
    return round.is_national or in_round_scope(user, round)


def can_follow_contest(user, round):
    """The contest page of a national round: the officers of every province (their province's
    entries), the national officers and the national committee (every entry)."""
    return round.is_national and (can_manage_rounds(user) or membership(user, round) is not None)


def sees_every_entry(user, round):
    """On the contest page: national users and the national committee see every province's
    entries; a province's officers only their own."""
    return is_national(user) or membership(user, round) is not None


def can_take_entries(user, round):
    """Taking an earlier round's approved selection in as entries: the officers, into a chained
    round of their province, or into a national round (a province nominating its own chosen
    products, or a national officer for any province)."""
    return can_manage_rounds(user) and round.takes_chosen_entries


def entry_sources(user, round):
    """The approved rounds `user` may take entries from into `round`: a chained round's own
    source; for a national round, the approved provincial rounds of the user's province (every
    province's for national users)."""
    approved = SelectionRound.objects.filter(state=RoundState.APPROVED).select_related("committee__province")
    if not round.is_national:
        return approved.filter(pk=round.source_round_id)
    return scoped(approved.filter(committee__province__isnull=False), user, field="committee__province")


def chain_sources(user):
    """The approved rounds a manager may start a chained round from: their province's."""
    approved = SelectionRound.objects.filter(state=RoundState.APPROVED, committee__province__isnull=False)
    return scoped(approved, user, field="committee__province").select_related("committee")


def visible_contests(user):
    """The national rounds a province's officers follow from their round list (national users
    see them in the list itself)."""
    if not can_manage_rounds(user) or is_national(user):
        return SelectionRound.objects.none()
    return SelectionRound.objects.filter(committee__province__isnull=True)


def get_contest_for(user, pk, predicate=can_follow_contest):
    """A national round for the contest pages, or a chained round for taking its entries; 404
    for another province's round, 403 without the right (kbo_site.access)."""
    return get_for(user, SelectionRound.objects.select_related("committee"), pk, predicate,
                   in_scope=in_contest_scope)

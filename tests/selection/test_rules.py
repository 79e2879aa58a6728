"""selection/rules.py as one table: who may do what with a round, in each state, the way
pretalx's test_rules.py reads. Each row is a person; the set is the predicates that hold for
them. The getter (get_round_for) is checked over the same people: 404 outside the province,
403 inside it when the predicate fails."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from selection import rules
from selection.models import CommitteeRole, RoundState, ScoreSheet
from tests.factories import CommitteeMemberFactory, SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db

PREDICATES = ("can_view_round", "can_manage_round", "is_on_committee", "is_chair", "can_score",
              "can_open_scoring", "can_project_results", "sees_conflict_notes", "can_see_member_scores",
              "can_follow_scoring")
VIEW, MANAGE, ON, CHAIR, SCORE, OPEN, PROJECT, NOTES, SCORES, FOLLOW = PREDICATES

# The progress board shows statuses only, so a scoring chair follows it before submitting.
MANAGER = {VIEW, MANAGE, OPEN, PROJECT, NOTES, FOLLOW}
SCORING = {
    "officer": MANAGER,
    "national officer": MANAGER,
    "viewer": set(),
    "outsider": set(),
    "chair who scores": {VIEW, ON, CHAIR, SCORE, OPEN, NOTES, FOLLOW},  # the live board after submitting only
    "chair who scores, submitted": {VIEW, ON, CHAIR, SCORE, OPEN, NOTES, PROJECT, FOLLOW},
    "chair who does not score": {VIEW, ON, CHAIR, OPEN, NOTES, PROJECT, FOLLOW},
    "member": {VIEW, ON, SCORE},
    "member, submitted": {VIEW, ON, SCORE},
    "secretary": {VIEW, ON, PROJECT, NOTES, FOLLOW},
    "officer who scores on the committee": {VIEW, MANAGE, ON, SCORE, OPEN, NOTES, FOLLOW},
}
# Once the chair has closed scoring, everyone who sees the round sees each member's scores,
# and whoever may project the board may do so whether or not they submitted.
RANKING = {who: allowed | ({SCORES} if VIEW in allowed else set())
           | ({PROJECT} if NOTES in allowed else set()) for who, allowed in SCORING.items()}
DRAFT = {who: allowed - {PROJECT} | ({PROJECT} if NOTES in allowed else set()) for who, allowed in SCORING.items()}


@pytest.fixture
def people(make_user, round_):
    committee = round_.committee

    def member(name, role=CommitteeRole.MEMBER, scores=True, user=None):
        user = user or UserFactory(username=name.replace(" ", "-").replace(",", ""))
        return CommitteeMemberFactory(committee=committee, user=user, role=role, scores=scores).user

    people = {
        "officer": make_user("officer"),
        "national officer": make_user("officer", username="national-officer", province="national"),
        "viewer": make_user("viewer"),
        "outsider": make_user("nobody"),
        "chair who scores": member("chair who scores", CommitteeRole.CHAIR),
        "chair who scores, submitted": member("chair submitted", CommitteeRole.CHAIR),
        "chair who does not score": member("chair not scoring", CommitteeRole.CHAIR, scores=False),
        "member": member("member"),
        "member, submitted": member("member submitted"),
        "secretary": member("secretary", CommitteeRole.SECRETARY, scores=False),
        "officer who scores on the committee": member(
            "officer member", user=make_user("officer", username="officer-member")),
    }
    for name in ("chair who scores, submitted", "member, submitted"):
        sheet_member = rules.membership(people[name], round_)
        ScoreSheet.objects.create(round=round_, member=sheet_member, submitted_at=timezone.now())
    return people


def _allowed(user, round):
    fresh = type(user).objects.get(pk=user.pk)  # no per-request caches carried over
    return {name for name in PREDICATES if getattr(rules, name)(fresh, round)}


@pytest.mark.parametrize(("state", "table"), [(RoundState.SCORING, SCORING), (RoundState.RANKING, RANKING),
                                               (RoundState.DRAFT, DRAFT)])
def test_who_may_do_what_with_a_round(people, round_, state, table):
    round_.state = state
    round_.save()

    assert {who: _allowed(user, round_) for who, user in people.items()} == table


def test_the_getter_answers_404_outside_the_province_and_403_inside_it(people, round_, make_user):
    lamphun = make_user("officer", username="lamphun-officer", province="51")
    with pytest.raises(Http404):
        rules.get_round_for(lamphun, round_.pk, rules.can_view_round)
    with pytest.raises(Http404):
        rules.get_round_for(people["officer"], round_.pk + 1000, rules.can_view_round)
    with pytest.raises(PermissionDenied):
        rules.get_round_for(people["viewer"], round_.pk, rules.can_view_round)
    with pytest.raises(PermissionDenied):
        rules.get_round_for(people["member"], round_.pk, rules.can_manage_round)

    assert rules.get_round_for(people["national officer"], round_.pk, rules.can_manage_round) == round_
    assert rules.get_round_for(people["member"], round_.pk, rules.can_score) == round_


# An entry's material (photos, documents): officers always; the round's committee once screening
# has put the entry on the scoring list.
ENTRY_MATERIAL = {
    "officer": {True: True, None: True, False: True},
    "national officer": {True: True, None: True, False: True},
    "viewer": {True: False, None: False, False: False},
    "outsider": {True: False, None: False, False: False},
    "chair who scores": {True: True, None: False, False: False},
    "chair who does not score": {True: True, None: False, False: False},
    "member": {True: True, None: False, False: False},
    "secretary": {True: True, None: False, False: False},
}


def test_who_may_see_an_entrys_material(people, round_):
    entries = {eligible: SubmissionFactory(round=round_, eligible=eligible) for eligible in (True, None, False)}

    seen = {who: {eligible: rules.can_see_entry(type(people[who]).objects.get(pk=people[who].pk), entry)
                  for eligible, entry in entries.items()} for who in ENTRY_MATERIAL}

    assert seen == ENTRY_MATERIAL


@pytest.mark.parametrize(("state", "open_"), [(RoundState.DRAFT, True), (RoundState.SCREENING, True),
                                              (RoundState.SCORING, True), (RoundState.RANKING, False),
                                              (RoundState.APPROVED, False)])
def test_attachments_are_open_until_scoring_closes(round_, state, open_):
    round_.state = state

    assert rules.attachments_are_open(round_) is open_


# Chained rounds and the national contest ---------------------------------------------------

CONTEST_PREDICATES = ("in_round_scope", "in_contest_scope", "can_view_round", "can_manage_round",
                      "can_follow_contest", "sees_every_entry", "can_take_entries")
R_SCOPE, C_SCOPE, C_VIEW, C_MANAGE, FOLLOW_CONTEST, EVERY, TAKE = CONTEST_PREDICATES
# A national round: its own pages for the national users and its committee; the contest page
# for every province's officers too (their own entries).
NATIONAL_ROUND = {
    "Chiang Mai officer": {C_SCOPE, C_VIEW, C_MANAGE, FOLLOW_CONTEST, TAKE},
    "Lamphun officer": {C_SCOPE, C_VIEW, C_MANAGE, FOLLOW_CONTEST, TAKE},
    "national officer": {R_SCOPE, C_SCOPE, C_VIEW, C_MANAGE, FOLLOW_CONTEST, EVERY, TAKE},
    "viewer": {C_SCOPE},
    "national committee chair": {R_SCOPE, C_SCOPE, C_VIEW, FOLLOW_CONTEST, EVERY},
    "KBO member": {C_SCOPE},
}
# A chained round of Chiang Mai: an ordinary provincial round, whose officers take its entries in.
CHAINED_ROUND = {
    "Chiang Mai officer": {R_SCOPE, C_SCOPE, C_VIEW, C_MANAGE, TAKE},
    "Lamphun officer": {C_VIEW, C_MANAGE, TAKE},
    "national officer": {R_SCOPE, C_SCOPE, C_VIEW, C_MANAGE, EVERY, TAKE},
    "viewer": {R_SCOPE, C_SCOPE},
    "national committee chair": {R_SCOPE, C_SCOPE},
    "KBO member": {R_SCOPE, C_SCOPE, C_VIEW, EVERY},
}


@pytest.fixture
def contest_people(make_user, round_):
    from tests.factories import CommitteeFactory, SelectionRoundFactory

    national_committee = CommitteeFactory(name="คณะกรรมการระดับประเทศ", province=None)
    contest = SelectionRoundFactory(committee=national_committee)
    chained = SelectionRoundFactory(committee=round_.committee, source_round=round_)
    chair = UserFactory(username="national-chair")
    CommitteeMemberFactory(committee=national_committee, user=chair, role=CommitteeRole.CHAIR)
    kbo_member = UserFactory(username="kbo-member")
    CommitteeMemberFactory(committee=round_.committee, user=kbo_member)
    people = {
        "Chiang Mai officer": make_user("officer"),
        "Lamphun officer": make_user("officer", username="lamphun-officer", province="51"),
        "national officer": make_user("officer", username="national-officer", province="national"),
        "viewer": make_user("viewer"),
        "national committee chair": chair,
        "KBO member": kbo_member,
    }
    return contest, chained, people


def _contest_allowed(user, round):
    fresh = type(user).objects.get(pk=user.pk)
    return {name for name in CONTEST_PREDICATES if getattr(rules, name)(fresh, round)}


def test_who_may_do_what_with_a_national_and_a_chained_round(contest_people):
    contest, chained, people = contest_people

    assert {who: _contest_allowed(user, contest) for who, user in people.items()} == NATIONAL_ROUND
    assert {who: _contest_allowed(user, chained) for who, user in people.items()} == CHAINED_ROUND


def test_the_contest_getter_lets_every_province_in_and_the_round_getter_only_the_national_users(contest_people):
    contest, chained, people = contest_people

    assert rules.get_contest_for(people["Lamphun officer"], contest.pk) == contest
    with pytest.raises(Http404):
        rules.get_round_for(people["Lamphun officer"], contest.pk, rules.can_view_round)
    with pytest.raises(Http404):
        rules.get_contest_for(people["Lamphun officer"], chained.pk, rules.can_take_entries)
    with pytest.raises(PermissionDenied):
        rules.get_contest_for(people["KBO member"], contest.pk)
    assert rules.get_round_for(people["national committee chair"], contest.pk, rules.can_score) == contest

"""The development predicates of selection/rules.py as one table (issue 12), the way
tests/selection/test_rules.py reads: each row is a person, the set the predicates that hold for
them on the first product's record; then the getter over the same people (404 outside what they
may know of, 403 when the predicate fails)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from selection import development, rules
from selection.models import CommitteeRole, DevelopmentRecord, DevelopmentState
from tests.factories import CommitteeFactory, CommitteeMemberFactory, ProductFactory, UserFactory
from tests.selection.development_world import approved_round

pytestmark = pytest.mark.django_db

VIEW, EDIT, VISIT = "can_view_development", "can_edit_development", "can_record_visit"
TABLE = {
    "officer": {VIEW, EDIT, VISIT},
    "admin": {VIEW, EDIT, VISIT},
    "national officer": {VIEW},
    "viewer": set(),
    "outsider": set(),
    "committee member": {VIEW},
    "secretary": {VIEW},
    "its mentor": {VIEW, VISIT},
    "another product's mentor": set(),
}
# What the getter answers with can_view_development.
GETTER = {"other province's admin": Http404, "viewer": PermissionDenied, "outsider": PermissionDenied,
          "another product's mentor": PermissionDenied}


@pytest.fixture
def world():
    committee = CommitteeFactory()
    officer = UserFactory(username="rules-dev-officer", groups=["officer"])
    round_ = approved_round(committee=committee, products=[ProductFactory(), ProductFactory()], by=officer)
    first, second = DevelopmentRecord.objects.filter(round=round_).order_by("rank")
    people = {
        "officer": officer,
        "admin": UserFactory(username="rules-dev-admin", groups=["admin"]),
        "national officer": UserFactory(username="rules-dev-national", groups=["officer"], province="national"),
        "other province's admin": UserFactory(username="rules-dev-lamphun", groups=["admin"], province="51"),
        "viewer": UserFactory(username="rules-dev-viewer", groups=["viewer"]),
        "outsider": UserFactory(username="rules-dev-outsider"),
        "committee member": CommitteeMemberFactory(committee=committee).user,
        "secretary": CommitteeMemberFactory(committee=committee, role=CommitteeRole.SECRETARY, scores=False).user,
        "its mentor": UserFactory(username="rules-dev-mentor"),
        "another product's mentor": UserFactory(username="rules-dev-mentor2"),
    }
    development.add_mentor(first, user=people["its mentor"], by=officer)
    development.add_mentor(second, user=people["another product's mentor"], by=officer)
    return people, first


@pytest.mark.parametrize("who", TABLE)
def test_development_predicates_hold_for_the_right_people(who, world):
    people, record = world
    user = people[who]

    holds = {name for name in (VIEW, EDIT, VISIT) if getattr(rules, name)(user, record)}

    assert holds == TABLE[who]


@pytest.mark.parametrize("who", TABLE)
def test_a_record_off_the_approved_list_is_read_only_for_everyone(who, world):
    people, record = world
    record.state = DevelopmentState.WITHDRAWN

    holds = {name for name in (VIEW, EDIT, VISIT) if getattr(rules, name)(people[who], record)}

    assert holds == TABLE[who] & {VIEW}


@pytest.mark.parametrize("who", [*TABLE, "other province's admin"])
def test_get_development_for_answers_by_scope_then_predicate(who, world):
    people, record = world
    expected = GETTER.get(who)

    if expected is None:
        assert rules.get_development_for(people[who], record.pk) == record
    else:
        with pytest.raises(expected):
            rules.get_development_for(people[who], record.pk)

"""meetings/rules.py as one table: who may do what with a meeting, in each state (as pretalx's
test_rules.py reads), and the getter's 404 outside the province, 403 inside it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from meetings import rules
from meetings.models import MeetingState

pytestmark = pytest.mark.django_db

PREDICATES = ("can_read", "can_read_minutes", "can_edit", "is_chair", "can_edit_committee_documents",
              "can_create_meetings")
READ, MINUTES, EDIT, CHAIR, SETTINGS, CREATE = PREDICATES
EDITOR = {READ, MINUTES, EDIT, SETTINGS, CREATE}

BEING_PREPARED = {
    "officer": EDITOR,
    "national officer": EDITOR,
    "viewer": set(),
    "outsider": set(),
    "chair": {READ, MINUTES, CHAIR},
    "member": {READ, MINUTES},
    "secretary": EDITOR,
}
# Approved minutes are also for the registry's viewers; nothing else changes with the state.
APPROVED = {**BEING_PREPARED, "viewer": {MINUTES}}


@pytest.fixture
def people(make_user, chair, committee_members, secretary):
    return {
        "officer": make_user("officer"),
        "national officer": make_user("officer", username="national-officer", province="national"),
        "viewer": make_user("viewer"),
        "outsider": make_user("nobody"),
        "chair": chair.user,
        "member": committee_members[3].user,
        "secretary": secretary.user,
    }


def _allowed(user, meeting):
    user = type(user).objects.get(pk=user.pk)  # no per-request caches carried over
    found = {name for name in (READ, MINUTES, EDIT, CHAIR) if getattr(rules, name)(user, meeting)}
    found |= {SETTINGS} if rules.can_edit_committee_documents(user, meeting.committee) else set()
    return found | ({CREATE} if rules.can_create_meetings(user) else set())


@pytest.mark.parametrize(("state", "table"), [(MeetingState.DRAFT, BEING_PREPARED),
                                               (MeetingState.IN_PROGRESS, BEING_PREPARED),
                                               (MeetingState.MINUTES_APPROVED, APPROVED)])
def test_who_may_do_what_with_a_meeting(people, meeting, state, table):
    meeting.state = state
    meeting.save()

    assert {who: _allowed(user, meeting) for who, user in people.items()} == table


def test_the_getters_answer_404_outside_the_province_and_403_inside_it(people, meeting, make_user):
    lamphun = make_user("officer", username="lamphun-officer", province="51")
    for getter, pk, predicate in ((rules.get_meeting_for, meeting.pk, rules.can_read),
                                  (rules.get_committee_for, meeting.committee_id, rules.can_edit_committee_documents)):
        with pytest.raises(Http404):
            getter(lamphun, pk, predicate)
        with pytest.raises(Http404):
            getter(people["officer"], pk + 1000, predicate)
        with pytest.raises(PermissionDenied):
            getter(people["member"] if getter is rules.get_committee_for else people["viewer"], pk, predicate)
    with pytest.raises(PermissionDenied):
        rules.get_meeting_for(people["member"], meeting.pk, rules.can_edit)

    assert rules.get_meeting_for(people["chair"], meeting.pk, rules.is_chair) == meeting
    assert rules.get_committee_for(people["secretary"], meeting.committee_id).pk == meeting.committee_id

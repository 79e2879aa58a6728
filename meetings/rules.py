"""Who may do what with a meeting, decided here and nowhere else.

- Officers and admins create meetings of their province's committees; a committee's secretary
  creates its committee's meetings.
- Officers, admins and the committee's secretary edit the record.
- The chair approves the minutes and may reopen a closed meeting.
- The committee's members (chair and secretary included) read everything of their committee.
- Viewers read only approved minutes.
"""

from django.db.models import Q

from kbo_site.access import get_for
from producers.roles import VIEWER, group_names, in_scope, is_admin, is_national, is_officer, province_code
from selection.models import CommitteeRole
from selection.rules import memberships

from .models import Meeting, MeetingState


def committee_roles(user):
    """{committee_id: role} for the user's memberships (selection.rules.memberships' cache)."""
    return {committee_id: member.role for committee_id, member in memberships(user).items()}


def is_staff_editor(user):
    return is_admin(user) or is_officer(user)


def secretary_of(user):
    """The ids of the committees whose secretary `user` is."""
    return [pk for pk, role in committee_roles(user).items() if role == CommitteeRole.SECRETARY]


def can_create_meetings(user):
    """Officers and admins create meetings, and so does a committee's secretary (of that committee)."""
    return is_staff_editor(user) or bool(secretary_of(user))


def committees_for_meetings(user):
    """The committees `user` may create meetings for: their province's (every province's for
    national users) for officers and admins, and those they are the secretary of."""
    from selection.models import Committee
    from selection.rules import committees_for

    mine = Committee.objects.filter(pk__in=secretary_of(user))
    if is_staff_editor(user):
        return (committees_for(user) | mine).distinct()
    return mine


def can_edit(user, meeting):
    return can_edit_committee_documents(user, meeting.committee)


def can_edit_committee_documents(user, committee):
    return is_staff_editor(user) or committee_roles(user).get(committee.pk) == CommitteeRole.SECRETARY


def is_chair(user, meeting):
    if meeting.chair_id and meeting.chair.user_id == user.pk:
        return True
    return committee_roles(user).get(meeting.committee_id) == CommitteeRole.CHAIR


def can_read(user, meeting):
    return can_edit(user, meeting) or meeting.committee_id in committee_roles(user)


def can_read_minutes(user, meeting):
    if can_read(user, meeting):
        return True
    return meeting.state == MeetingState.MINUTES_APPROVED and VIEWER in group_names(user)


def in_meeting_scope(user, committee):
    """The committee sits in the user's province (or the user is national), or the user sits
    on it: anyone else is told its meetings do not exist."""
    return committee.pk in committee_roles(user) or in_scope(user, committee.province_id)


def visible_meetings(user, queryset=None):
    """The meetings a user's list shows: their committees' and, for officers and admins,
    their province's (national users: every province's); viewers also the approved minutes
    of their province."""
    queryset = Meeting.objects.all() if queryset is None else queryset
    committees = list(committee_roles(user))
    mine = Q(committee__in=committees)
    if is_staff_editor(user):
        return queryset if is_national(user) else queryset.filter(mine | Q(committee__province_id=province_code(user)))
    if VIEWER in group_names(user):
        approved = Q(state=MeetingState.MINUTES_APPROVED)
        if not is_national(user):
            approved &= Q(committee__province_id=province_code(user))
        return queryset.filter(mine | approved)
    return queryset.filter(mine)


def in_scope_of(user, meeting):
    return in_meeting_scope(user, meeting.committee)


def get_meeting_for(user, pk, predicate=can_read):
    """The meeting if `predicate(user, meeting)` (can_read, can_read_minutes, can_edit, is_chair);
    404 if it does not exist or lies outside the user's scope, 403 otherwise (kbo_site.access)."""
    meetings = Meeting.objects.select_related("committee", "committee__document_settings", "chair", "secretary",
                                              "round")
    return get_for(user, meetings, pk, predicate, in_scope=in_scope_of)


def get_committee_for(user, pk, predicate=can_edit_committee_documents):
    """A committee, for its meeting documents' settings, checked the same way."""
    from selection.models import Committee

    return get_for(user, Committee.objects.select_related("province", "document_settings"), pk, predicate,
                   in_scope=in_meeting_scope)


# ---------------------------------------------------------------- official letters (meetings/letters.py)
#
# Officers, admins and the committee's secretary issue and cancel letters and keep the
# register; the members read the invitations addressed to them and the order that appointed
# them; the memo to the head of office is the office's own paper. Another province's letters
# answer 404.

def can_issue_letters(user, committee):
    return can_edit_committee_documents(user, committee)


def can_keep_register(user):
    return is_staff_editor(user) or bool(secretary_of(user))


def can_read_appointment(user, committee):
    return can_issue_letters(user, committee) or committee.pk in committee_roles(user)


def can_read_letter(user, letter):
    """An invitation: whoever reads its meeting; a memo: those who issue letters."""
    from .models import LetterKind

    if letter.kind == LetterKind.INVITATION and letter.meeting_id:
        return can_read(user, letter.meeting)
    return can_issue_letters(user, letter.committee)


def can_cancel_letter(user, letter):
    return can_issue_letters(user, letter.committee)


def visible_letters(user, queryset):
    """The register rows a user's register shows: their province's (every province's for national
    users) for officers and admins; their committees' for a secretary."""
    mine = Q(committee__in=secretary_of(user))
    if is_staff_editor(user):
        return queryset if is_national(user) else queryset.filter(mine | Q(province_id=province_code(user)))
    return queryset.filter(mine)


def get_letter_for(user, pk, predicate):
    """A register row if `predicate(user, letter)`; 404 outside the user's scope, 403 otherwise."""
    from .models import Letter

    return get_for(user, Letter.objects.select_related("committee", "meeting__committee"), pk, predicate,
                   in_scope=lambda user, letter: in_meeting_scope(user, letter.committee))


# ---------------------------------------------------------------- workshops (meetings/workshops.py)
#
# The officers and admins of the committee's province organise a workshop: its details, its
# participants and the attendance of each day. The committee's chair and secretary follow it
# (the page, the rates, the sign-in sheet); national officers read every province's, and change
# none. Participants' phone numbers are personal data: officers and admins only (national ones
# too). Another province's workshops answer 404.

def can_manage_workshops(user, committee):
    return is_staff_editor(user) and not is_national(user)


def can_manage_workshop(user, workshop):
    return can_manage_workshops(user, workshop.committee)


def can_view_workshops(user, committee):
    return is_staff_editor(user) or committee_roles(user).get(committee.pk) in (
        CommitteeRole.CHAIR, CommitteeRole.SECRETARY)


def can_view_workshop(user, workshop):
    return can_view_workshops(user, workshop.committee)


def can_see_participant_phones(user, workshop):
    return is_staff_editor(user)


def can_create_workshop(user, meeting):
    """From an activity of the meeting's plan, whatever the meeting's state: a workshop is held after it."""
    return can_manage_workshops(user, meeting.committee)


def get_workshop_for(user, pk, predicate=can_view_workshop):
    """A workshop if `predicate(user, workshop)`; 404 outside the user's scope, 403 otherwise."""
    from .models import Workshop

    workshops = Workshop.objects.select_related("committee", "committee__document_settings", "round",
                                                "activity__meeting")
    return get_for(user, workshops, pk, predicate,
                   in_scope=lambda user, workshop: in_meeting_scope(user, workshop.committee))

"""Facts from the selection round: live while the meeting is open, frozen when it closes."""

import datetime

from meetings import record, services
from meetings.models import Meeting, RoundFacts
from selection.models import Submission
from tests.factories import ProducerFactory
from tests.meetings.conftest import in_progress, mark_all_present, round_with_products


def registry_line(meeting):
    doc = record.build(Meeting.objects.get(pk=meeting.pk), record.MINUTES)
    return doc["items"][-1]["facts"]


def linked_meeting(meeting, officer, committee_members):
    selection_round = round_with_products(meeting.committee, committee_members, eligible=3, ineligible=1)
    services.update_meeting(meeting, {"round": selection_round}, by=officer)
    services.add_item(meeting, by=officer, title="จำนวนผู้ผลิต",
                      facts=[RoundFacts.REGISTRY_SUMMARY, RoundFacts.SCREENING_SUMMARY])
    return selection_round


def test_open_meeting_shows_the_round_live(meeting, officer, committee_members):
    selection_round = linked_meeting(meeting, officer, committee_members)
    before = registry_line(meeting)

    ProducerFactory(registration_year=2560)
    Submission.objects.filter(round=selection_round, eligible=True).update(eligible=False)

    assert registry_line(meeting) != before


def test_closed_minutes_keep_the_facts_when_the_round_changes(meeting, officer, committee_members):
    selection_round = linked_meeting(meeting, officer, committee_members)
    in_progress(meeting, officer)
    mark_all_present(meeting, officer)
    services.close_meeting(meeting, by=officer, closed_time=datetime.time(12, 0))
    frozen = registry_line(meeting)
    frozen_doc = record.build(Meeting.objects.get(pk=meeting.pk), record.MINUTES)

    ProducerFactory(registration_year=2560)
    Submission.objects.filter(round=selection_round, eligible=True).update(eligible=False)

    assert registry_line(meeting) == frozen
    assert record.build(Meeting.objects.get(pk=meeting.pk), record.MINUTES)["attachments"] == frozen_doc[
        "attachments"]


def test_reopened_meeting_keeps_the_frozen_facts(meeting, officer, committee_members, chair):
    selection_round = linked_meeting(meeting, officer, committee_members)
    in_progress(meeting, officer)
    mark_all_present(meeting, officer)
    services.close_meeting(meeting, by=officer)
    frozen = registry_line(meeting)
    services.reopen_meeting(meeting, by=chair.user, reason="แก้ไขคำผิด")

    Submission.objects.filter(round=selection_round).delete()

    assert registry_line(meeting) == frozen

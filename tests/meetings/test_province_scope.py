"""Meetings belong to a province through their committee: officers list and open only their
province's meetings, viewers only its approved minutes; national users see every province's."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from meetings import services
from meetings.models import MeetingState
from tests.factories import CommitteeFactory, UserFactory

LAMPHUN = "51"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def lamphun_meeting(db):
    officer = UserFactory(username="lamphun-meeting-officer", groups=["officer"], province=LAMPHUN)
    committee = CommitteeFactory(name="คณะกรรมการ KBO ลำพูน", province_id=LAMPHUN)
    return services.create_meeting(committee, by=officer, date=datetime.date(2022, 1, 12),
                                   start_time=datetime.time(9, 0), venue="ศาลากลางจังหวัดลำพูน")


def test_officers_list_only_their_provinces_meetings(meeting, lamphun_meeting, officer):
    lamphun_officer = UserFactory(username="lamphun-officer", groups=["officer"], province=LAMPHUN)

    assert list(_client(officer).get(reverse("meetings:list")).context["meetings"]) == [meeting]
    assert list(_client(lamphun_officer).get(reverse("meetings:list")).context["meetings"]) == [lamphun_meeting]


def test_a_national_user_lists_every_provinces_meetings(meeting, lamphun_meeting):
    national = UserFactory(username="national-officer", groups=["officer"], province="national")

    meetings = _client(national).get(reverse("meetings:list")).context["meetings"]

    assert set(meetings) == {meeting, lamphun_meeting}


def test_another_provinces_meeting_and_its_documents_answer_404(meeting):
    client = _client(UserFactory(username="lamphun-officer", groups=["officer"], province=LAMPHUN))

    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("meetings:document", args=[meeting.pk, "agenda", "pdf"])).status_code == 404
    assert client.get(reverse("meetings:document_settings", args=[meeting.committee_id])).status_code == 404


def test_viewers_read_approved_minutes_of_their_province_only(meeting, lamphun_meeting):
    type(meeting).objects.filter(pk__in=[meeting.pk, lamphun_meeting.pk]).update(
        state=MeetingState.MINUTES_APPROVED)
    viewer = UserFactory(username="lamphun-viewer", groups=["viewer"], province=LAMPHUN)
    client = _client(viewer)

    assert list(client.get(reverse("meetings:list")).context["meetings"]) == [lamphun_meeting]
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("meetings:detail", args=[lamphun_meeting.pk])).status_code == 200


def test_a_new_meeting_offers_only_the_provinces_committees(meeting, lamphun_meeting, officer):
    response = _client(officer).get(reverse("meetings:create"))

    assert list(response.context["form"].fields["committee"].queryset) == [meeting.committee]

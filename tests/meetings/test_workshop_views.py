"""The workshop pages (meetings/workshop_views.py): from the meeting's activity plan to the
workshop, bad input answered with a Thai message that loses nothing, the phones only for
officers, and the pages' query counts at two sizes."""

import datetime

import pytest
from django.urls import reverse

from meetings import services, workshops
from meetings.models import Meeting, Participant, Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(meeting, officer):
    return services.save_activity(meeting, by=officer, title="การพัฒนาศักยภาพเครือข่ายองค์ความรู้",
                                  start_date=datetime.date(2022, 1, 18), end_date=datetime.date(2022, 1, 19),
                                  venue="โรงแรมฮอลิเดย์การ์เด้น")


@pytest.fixture
def workshop(activity, officer):
    return workshops.create_workshop(activity, by=officer, **workshops.initial_for(activity))


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def _guests(workshop, officer, count, start=0):
    return [workshops.add_participant(workshop, by=officer, kind="guest", name=f"นางสาวทดสอบ {i}",
                                      organisation="วิทยากร", phone=f"08{i:08d}") for i in range(start, start + count)]


def test_the_activity_plan_offers_to_hold_an_activity_as_a_workshop_then_links_it(officer_client, meeting, activity):
    url = reverse("meetings:workshop_create", args=[meeting.pk, activity.pk])
    assert url in officer_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()

    response = officer_client.post(url, {"title": "กิจกรรมที่ 1 อบรม", "start_date": "18/01/2565",
                                         "end_date": "19/01/2565", "venue": "โรงแรม"})

    workshop = Workshop.objects.get()
    assert (response.status_code, response["Location"]) == (302, reverse("meetings:workshop_detail",
                                                                         args=[workshop.pk]))
    assert (workshop.start_date, workshop.end_date) == (datetime.date(2022, 1, 18), datetime.date(2022, 1, 19))
    page = officer_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert reverse("meetings:workshop_detail", args=[workshop.pk]) in page


def test_the_create_form_is_prefilled_from_the_activity(officer_client, meeting, activity):
    page = officer_client.get(reverse("meetings:workshop_create", args=[meeting.pk, activity.pk])).content.decode()

    assert ("กิจกรรมที่ 1 การพัฒนาศักยภาพเครือข่ายองค์ความรู้" in page, 'value="18/01/2565"' in page) == (True, True)


def test_a_last_day_before_the_first_is_refused_on_the_form(officer_client, meeting, activity):
    response = officer_client.post(reverse("meetings:workshop_create", args=[meeting.pk, activity.pk]), {
        "title": "อบรม", "start_date": "19/01/2565", "end_date": "18/01/2565", "venue": "โรงแรม"})

    assert (response.status_code, Workshop.objects.count()) == (200, 0)
    assert "วันสิ้นสุดอยู่ก่อนวันเริ่มต้น" in response.content.decode()


def test_a_participant_without_a_name_is_refused_with_a_message(officer_client, workshop):
    response = officer_client.post(reverse("meetings:workshop_participant_add", args=[workshop.pk]),
                                   {"kind": "guest", "name": "", "organisation": "วิทยากร"}, follow=True)

    assert (response.status_code, workshop.participants.count()) == (200, 0)
    assert "กรุณาระบุชื่อผู้เข้าร่วม" in response.content.decode()


def test_attendance_of_a_participant_not_on_the_list_is_refused_and_changes_nothing(officer_client, workshop,
                                                                                    officer):
    people = _guests(workshop, officer, 2)
    day = workshop.days.first()

    response = officer_client.post(reverse("meetings:workshop_attendance", args=[workshop.pk, day.pk]),
                                   {"present": [str(people[0].pk), "999999"]}, follow=True)

    day.refresh_from_db()
    assert (response.status_code, day.is_recorded, day.presences.count()) == (200, False, 0)
    assert "รายชื่อมีการเปลี่ยนแปลงระหว่างนี้ กรุณาโหลดหน้าใหม่" in response.content.decode()


def test_attendance_is_saved_from_the_checkboxes(officer_client, workshop, officer):
    people = _guests(workshop, officer, 3)
    day = workshop.days.first()

    officer_client.post(reverse("meetings:workshop_attendance", args=[workshop.pk, day.pk]),
                        {"present": [str(people[0].pk), str(people[2].pk)]})

    page = officer_client.get(reverse("meetings:workshop_detail", args=[workshop.pk])).content.decode()
    assert sorted(day.presences.values_list("participant_id", flat=True)) == [people[0].pk, people[2].pk]
    assert "มาร่วม 2 จาก 3 คน (ร้อยละ 66.7)" in page


def test_the_chair_reads_the_workshop_without_phones_or_changes(client, workshop, officer, chair):
    _guests(workshop, officer, 1)
    client.force_login(chair.user)

    page = client.get(reverse("meetings:workshop_detail", args=[workshop.pk])).content.decode()

    assert ("นางสาวทดสอบ 0" in page, "0800000000" in page,
            reverse("meetings:workshop_participant_add", args=[workshop.pk]) in page) == (True, False, False)


def test_the_workshop_page_query_count_does_not_grow_with_participants(officer_client, workshop, officer,
                                                                       django_assert_max_num_queries):
    _guests(workshop, officer, 3)
    url = reverse("meetings:workshop_detail", args=[workshop.pk])
    officer_client.get(url)
    with django_assert_max_num_queries(30) as few:
        officer_client.get(url)
    people = _guests(workshop, officer, 30, start=3)
    workshops.record_attendance(workshop.days.first(), [p.pk for p in people], by=officer)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = officer_client.get(url)

    assert response.content.decode().count('data-testid="participant"') == 33


def test_the_attendance_page_query_count_does_not_grow_with_participants(officer_client, workshop, officer,
                                                                         django_assert_max_num_queries):
    _guests(workshop, officer, 3)
    url = reverse("meetings:workshop_attendance", args=[workshop.pk, workshop.days.first().pk])
    officer_client.get(url)
    with django_assert_max_num_queries(30) as few:
        officer_client.get(url)
    _guests(workshop, officer, 30, start=3)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = officer_client.get(url)

    assert response.content.decode().count('data-testid="present"') == 33


def test_removing_a_participant_recorded_present_says_why(officer_client, workshop, officer):
    person = _guests(workshop, officer, 1)[0]
    workshops.record_attendance(workshop.days.first(), [person.pk], by=officer)

    response = officer_client.post(reverse("meetings:workshop_participant_remove", args=[workshop.pk, person.pk]),
                                   follow=True)

    assert Participant.objects.filter(pk=person.pk).exists() is True
    assert "ได้รับการบันทึกว่ามาร่วมแล้ว" in response.content.decode()


def test_the_rounds_overview_links_its_meeting_and_workshop_to_those_who_may_open_them(
        client, meeting, selection_round, officer, committee_members):
    Meeting.objects.filter(pk=meeting.pk).update(round=selection_round)
    meeting.refresh_from_db()
    activity = services.save_activity(meeting, by=officer, title="การพัฒนาศักยภาพเครือข่ายองค์ความรู้",
                                      start_date=datetime.date(2022, 1, 18), end_date=datetime.date(2022, 1, 19),
                                      venue="โรงแรมฮอลิเดย์การ์เด้น")
    workshop = workshops.create_workshop(activity, by=officer, **workshops.initial_for(activity))
    overview = reverse("selection:round_detail", args=[selection_round.pk])
    meeting_url = reverse("meetings:detail", args=[meeting.pk])
    workshop_url = reverse("meetings:workshop_detail", args=[workshop.pk])

    def links(user):
        client.force_login(user)
        page = client.get(overview).content.decode()
        return meeting_url in page, workshop_url in page, workshop.title in page, "18–19 มกราคม 2565" in page

    # The officer and the chair follow the workshop; a member reads the meeting only (a workshop's
    # page is the organisers' and the chair's and secretary's).
    assert links(officer) == (True, True, True, True)
    assert links(committee_members[0].user) == (True, True, True, True)
    assert links(committee_members[3].user) == (True, False, False, False)
    client.force_login(committee_members[3].user)
    assert "การประชุมครั้งที่ 1/2565" in client.get(overview).content.decode()

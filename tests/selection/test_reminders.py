"""Who still has to score (issue 14 §4): the progress board, the scoring deadline and the
reminders, sent once per deadline by hand or by the worker (selection/reminders.py). The clock
is frozen by passing `now` to the services; the e-mails are read from Django's outbox."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kbo_site.models import Action, ActionLog
from selection import reminders
from selection.models import Conflict, ConflictType, RoundState, ScoreSheet, ScoringReminder
from tests.factories import CommitteeMemberFactory, SubmissionFactory, UserFactory

from .conftest import give

pytestmark = pytest.mark.django_db

BANGKOK = datetime.timezone(datetime.timedelta(hours=7))
# วันอังคารที่ 11 มกราคม 2565 เวลา 16.00 น.
CLOSES = datetime.datetime(2022, 1, 11, 16, 0, tzinfo=BANGKOK)
HOUR = datetime.timedelta(hours=1)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def scoring(round_, rubric, members, submissions, secretary):
    """A round in scoring that closes at CLOSES, reminding 12 hours before. The chair has
    submitted; member1 has scored one submission of three and has an address; member2 has none."""
    chair, member1, member2 = members
    for member, email in ((chair, "chair@kbo.invalid"), (member1, "member1@kbo.invalid"), (member2, "")):
        member.user.email = email
        member.user.save()
    for submission in submissions:
        give(submission, chair, rubric, (40, 20, 25))
    ScoreSheet.objects.create(round=round_, member=chair, submitted_at=CLOSES - 30 * HOUR)
    give(submissions[0], member1, rubric, (37.5, 21, 22))
    give(submissions[1], member1, rubric, (30, None, None))
    round_.state = RoundState.SCORING
    round_.scoring_closes_at = CLOSES
    round_.remind_before_hours = 12
    round_.save()
    return round_


def _reminder_rows(round_):
    return list(ActionLog.objects.filter(action=Action.REMINDER_SENT, object_id=round_.pk)
                .values_list("actor__username", "subject__username", "to_state"))


def test_reminders_fire_once_per_deadline_with_a_frozen_clock(scoring, members):
    assert reminders.send_due_reminders(now=CLOSES - 12 * HOUR - datetime.timedelta(minutes=1)) == 0
    assert mail.outbox == []

    assert reminders.send_due_reminders(now=CLOSES - 12 * HOUR) == 1
    assert [m.to for m in mail.outbox] == [["member1@kbo.invalid"]]
    assert reminders.send_due_reminders(now=CLOSES - 11 * HOUR) == 0
    assert reminders.send_due_reminders(now=CLOSES - HOUR) == 0
    assert len(mail.outbox) == 1
    assert _reminder_rows(scoring) == [(None, "member1", "วันที่ 11 มกราคม 2565 เวลา 16.00 น.")]

    # The chair gives another day: one reminder more, for the new deadline, and again only once.
    moved = CLOSES + 24 * HOUR
    reminders.set_scoring_deadline(scoring, closes_at=moved, remind_before_hours=12, by=members[0].user,
                                   now=CLOSES - HOUR)
    assert reminders.send_due_reminders(now=CLOSES + HOUR) == 0
    assert reminders.send_due_reminders(now=moved - 12 * HOUR) == 1
    assert reminders.send_due_reminders(now=moved - 6 * HOUR) == 0
    assert reminders.send_due_reminders(now=moved + HOUR) == 0
    assert len(mail.outbox) == 2
    assert ScoringReminder.objects.filter(round=scoring).count() == 2


def test_no_automatic_reminder_when_the_hours_are_zero_or_scoring_is_closed(scoring):
    scoring.remind_before_hours = 0
    scoring.save()
    assert reminders.send_due_reminders(now=CLOSES - HOUR) == 0

    scoring.remind_before_hours = 12
    scoring.state = RoundState.RANKING
    scoring.save()
    assert reminders.send_due_reminders(now=CLOSES - HOUR) == 0
    assert mail.outbox == []


def test_the_reminder_names_the_member_the_round_the_deadline_in_be_and_links_to_the_scoring_page(scoring, members):
    outcome = reminders.remind(scoring, members[1], by=None)

    assert outcome == reminders.Outcome.SENT
    message = mail.outbox[0]
    assert message.subject == f"เตือนการให้คะแนน {scoring.name}: ปิดรับคะแนนวันที่ 11 มกราคม 2565 เวลา 16.00 น."
    assert members[1].full_name in message.body
    assert "ขณะนี้ท่านให้คะแนนแล้ว 1 จาก 3 รายการ" in message.body
    assert "การให้คะแนนจะปิดวันที่ 11 มกราคม 2565 เวลา 16.00 น." in message.body
    assert f"{settings.KBO_SITE_URL}/selection/{scoring.pk}/score/\n" in message.body
    assert message.from_email == settings.DEFAULT_FROM_EMAIL


def test_a_reminder_another_sender_recorded_first_is_not_sent_again(scoring, members, secretary):
    # Another worker (or the other click) wrote its row for this deadline first.
    ScoringReminder.objects.create(round=scoring, member=members[1], deadline=CLOSES, sent_by=secretary.user)

    assert reminders.remind(scoring, members[1], by=None) == reminders.Outcome.ALREADY_SENT
    assert reminders.send_due_reminders(now=CLOSES - HOUR) == 0
    assert mail.outbox == []
    assert _reminder_rows(scoring) == []


def test_a_reminder_the_mail_server_refused_is_not_recorded_and_can_be_sent_later(scoring, members, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens

    outcomes = reminders.remind_pending(scoring, by=None)

    assert outcomes == {reminders.Outcome.FAILED: [members[1]], reminders.Outcome.NO_EMAIL: [members[2]]}
    assert ScoringReminder.objects.count() == 0
    assert _reminder_rows(scoring) == []
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert reminders.send_due_reminders(now=CLOSES - HOUR) == 1


def test_no_reminder_without_a_deadline_or_outside_scoring(scoring, members):
    scoring.scoring_closes_at = None
    scoring.save()
    with pytest.raises(reminders.SelectionError, match="Set when scoring closes|กำหนดเวลาปิด"):
        reminders.remind_pending(scoring, by=members[0].user)
    scoring.scoring_closes_at, scoring.state = CLOSES, RoundState.SCREENING
    scoring.save()
    with pytest.raises(reminders.SelectionError):
        reminders.remind(scoring, members[1], by=members[0].user)
    assert mail.outbox == []


def test_the_deadline_cannot_be_set_in_the_past_or_after_scoring_closed(scoring, members):
    with pytest.raises(reminders.SelectionError):
        reminders.set_scoring_deadline(scoring, closes_at=CLOSES - HOUR, remind_before_hours=12,
                                       by=members[0].user, now=CLOSES)
    scoring.state = RoundState.RANKING
    scoring.save()
    with pytest.raises(reminders.SelectionError):
        reminders.set_scoring_deadline(scoring, closes_at=CLOSES + HOUR, remind_before_hours=12,
                                       by=members[0].user, now=CLOSES - HOUR)


def test_send_reminders_command_queues_the_task_that_sends_them(scoring, settings):
    scoring.scoring_closes_at = timezone.now() + HOUR
    scoring.save()

    call_command("send_reminders")  # the test settings run tasks at once (ImmediateBackend)

    assert [m.to for m in mail.outbox] == [["member1@kbo.invalid"]]
    call_command("send_reminders", "--now")
    assert len(mail.outbox) == 1


# The board ---------------------------------------------------------------------------------


def test_the_secretary_reads_who_has_not_submitted_and_no_score(scoring, members, secretary, submissions):
    Conflict.objects.create(member=members[2], submission=submissions[2], conflict_type=ConflictType.FAMILY,
                            note="MKNOTE ญาติกัน", declared_by=members[2].user)

    response = _client(secretary.user).get(reverse("selection:progress", kwargs={"pk": scoring.pk}))

    text = response.content.decode()
    assert response.status_code == 200
    assert "1 จาก 3 คน" in text or "1 of 3" in text
    assert text.count('data-status="pending"') == 2
    assert text.count('data-status="submitted"') == 1
    assert "ให้คะแนนแล้ว 1 จาก 3" in text  # member1: one fully scored, one started
    assert "ให้คะแนนแล้ว 0 จาก 2" in text  # member2: one conflict declared
    assert "MKNOTE ญาติกัน" in text
    assert "ไม่มีที่อยู่อีเมล" in text
    for value in ("37.5", "37,5", "40.0", "30.0"):
        assert value not in text
    assert text.count('data-cell="scored"') == 4 and text.count('data-cell="started"') == 1
    assert text.count('data-cell="conflict"') == 1


def test_a_plain_member_may_not_see_the_board(scoring, members):
    response = _client(members[1].user).get(reverse("selection:progress", kwargs={"pk": scoring.pk}))

    assert response.status_code == 403


@pytest.mark.parametrize("size", [2, 12])
def test_the_board_loads_in_a_fixed_number_of_queries(size, scoring, members, rubric, secretary,
                                                      django_assert_num_queries):
    for _ in range(size):
        submission = SubmissionFactory(round=scoring)
        for member in members:
            give(submission, member, rubric, (30, 15, 20))
    ScoringReminder.objects.create(round=scoring, member=members[1], deadline=CLOSES)
    client = _client(secretary.user)

    with django_assert_num_queries(16):
        response = client.get(reverse("selection:progress", kwargs={"pk": scoring.pk}))

    assert response.status_code == 200


def test_reminding_by_hand_from_the_board_sends_once_and_says_who_has_no_address(scoring, members, secretary):
    client = _client(secretary.user)
    url = reverse("selection:remind", kwargs={"pk": scoring.pk})

    response = client.post(url, follow=True)
    client.post(url, {"member": members[1].pk})

    text = response.content.decode()
    assert [m.to for m in mail.outbox] == [["member1@kbo.invalid"]]
    assert members[2].full_name in text and "ไม่มีที่อยู่อีเมล" in text
    assert _reminder_rows(scoring) == [("secretary", "member1", "วันที่ 11 มกราคม 2565 เวลา 16.00 น.")]
    board = client.get(reverse("selection:progress", kwargs={"pk": scoring.pk})).content.decode()
    assert "เตือนแล้ว" in board


@pytest.mark.parametrize("chosen", ["abc", "²", "999999", "-1"])
def test_reminding_a_member_named_by_bad_input_answers_404(scoring, secretary, chosen):
    response = _client(secretary.user).post(reverse("selection:remind", kwargs={"pk": scoring.pk}),
                                            {"member": chosen})

    assert response.status_code == 404
    assert mail.outbox == []


def test_reminding_a_member_of_another_committee_answers_404(scoring, secretary):
    other = CommitteeMemberFactory(user=UserFactory(username="stranger"))
    response = _client(secretary.user).post(reverse("selection:remind", kwargs={"pk": scoring.pk}),
                                            {"member": other.pk})

    assert response.status_code == 404


def test_the_chair_sets_the_deadline_in_be_with_a_thai_time(scoring, members):
    client = _client(members[0].user)
    url = reverse("selection:scoring_deadline", kwargs={"pk": scoring.pk})
    next_year = timezone.localdate().year + 544

    response = client.post(url, {"date": f"11/01/{next_year}", "time": "๑๖.๓๐", "remind_before_hours": "6"})

    scoring.refresh_from_db()
    assert response.status_code == 302
    assert timezone.localtime(scoring.scoring_closes_at).replace(tzinfo=None) == datetime.datetime(
        next_year - 543, 1, 11, 16, 30)
    assert scoring.remind_before_hours == 6
    assert ActionLog.objects.filter(action=Action.SETTINGS_CHANGED, object_id=scoring.pk).count() == 1


@pytest.mark.parametrize("data,message", [
    ({"date": "11/01/2565", "time": "16.00", "remind_before_hours": "12"}, "ผ่านไปแล้ว"),
    ({"date": "11/01/2599", "time": "25.00", "remind_before_hours": "12"}, "ชั่วโมง.นาที"),
    ({"date": "11/01/2599", "time": "", "remind_before_hours": "12"}, "16.00"),
    ({"date": "31/02/2599", "time": "16.00", "remind_before_hours": "12"}, "11/01/2565"),
    ({"date": "11/01/2599", "time": "16.00", "remind_before_hours": "-3"}, "0"),
])
def test_a_bad_deadline_gets_a_thai_message_and_changes_nothing(scoring, members, data, message):
    response = _client(members[0].user).post(reverse("selection:scoring_deadline", kwargs={"pk": scoring.pk}),
                                             data, follow=True)

    scoring.refresh_from_db()
    assert response.status_code == 200
    assert message in response.content.decode()
    assert scoring.scoring_closes_at == CLOSES


def test_clearing_the_deadline_stops_the_reminders(scoring, members):
    client = _client(members[0].user)
    client.post(reverse("selection:scoring_deadline", kwargs={"pk": scoring.pk}),
                {"date": "", "time": "", "remind_before_hours": "12"})

    scoring.refresh_from_db()
    assert scoring.scoring_closes_at is None
    assert reminders.send_due_reminders(now=CLOSES - HOUR) == 0

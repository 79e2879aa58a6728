"""Scoring on flaky Wi-Fi (issue 14 §2), the server's side: the offline queue's saves carry a key
and are stored once however often they are sent; which pages the service worker may keep."""

import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from kbo_site.models import Action, ActionLog
from selection import services
from selection.models import Conflict, RoundState, Score, ScoreSaveKey
from selection.scoring_views import OFFLINE_HEADER

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def scoring(round_, rubric, members, submissions):
    round_.state = RoundState.SCORING
    round_.save()
    return round_


def _sync(client, round_, submission, data):
    return client.post(reverse("selection:score_sync", kwargs={"pk": round_.pk, "sid": submission.pk}), data)


def _score_saved_rows():
    return ActionLog.objects.filter(action=Action.SCORE_SAVED).count()


def test_sync_saves_and_answers_the_field_with_its_version_and_the_servers_time(scoring, rubric, members,
                                                                                 submissions):
    criterion = rubric[0]

    response = _sync(_client(members[1].user), scoring, submissions[0],
                     {"key": str(uuid.uuid4()), f"value_{criterion.pk}": "40", f"version_{criterion.pk}": "0"})

    answer = response.json()
    field = answer["fields"][0]
    assert response.status_code == 200
    assert (field["field"], field["value"], field["version"], field["error"], field["stale"]) == (
        f"value_{criterion.pk}", "40", 1, "", False)
    assert field["saved_label"].startswith("✓ บันทึกแล้ว ")
    assert field["saved_label"].endswith(" น.")
    assert answer["replayed"] is False
    # The total shows once every criterion is scored.
    assert answer["total_label"] == "คะแนนรวมของฉัน: – / 100"
    assert list(Score.objects.values_list("value", "version")) == [(Decimal("40.0"), 1)]


def test_sync_sent_three_more_times_stores_once_and_answers_the_first_answer(scoring, rubric, members, submissions):
    criterion, client = rubric[0], _client(members[1].user)
    data = {"key": str(uuid.uuid4()), f"value_{criterion.pk}": "40", f"version_{criterion.pk}": "0"}
    first = _sync(client, scoring, submissions[0], data).json()

    replays = [_sync(client, scoring, submissions[0], data).json() for _ in range(3)]

    assert [r["fields"] for r in replays] == [first["fields"]] * 3
    assert [r["replayed"] for r in replays] == [True, True, True]
    assert list(Score.objects.values_list("value", "version")) == [(Decimal("40.0"), 1)]
    assert _score_saved_rows() == 1
    assert ScoreSaveKey.objects.count() == 1


def test_sync_replayed_after_a_later_change_is_not_a_conflict_and_keeps_the_later_value(
        scoring, rubric, members, submissions):
    """The phone sent 40 (version 0), lost the answer, then sent 42 over version 1 and got it;
    the lost one's retry must neither report a conflict nor put 40 back."""
    criterion, client = rubric[0], _client(members[1].user)
    lost = {"key": str(uuid.uuid4()), f"value_{criterion.pk}": "40", f"version_{criterion.pk}": "0"}
    _sync(client, scoring, submissions[0], lost)
    _sync(client, scoring, submissions[0],
          {"key": str(uuid.uuid4()), f"value_{criterion.pk}": "42", f"version_{criterion.pk}": "1"})

    retry = _sync(client, scoring, submissions[0], lost).json()

    assert (retry["fields"][0]["stale"], retry["fields"][0]["error"]) == (False, "")
    assert list(Score.objects.values_list("value", "version")) == [(Decimal("42.0"), 2)]


def test_sync_of_a_value_changed_meanwhile_on_another_device_answers_stale_with_the_stored_value(
        scoring, rubric, members, submissions):
    member, criterion = members[1], rubric[0]
    services.save_score(submissions[0], member, criterion, Decimal("40"), version=0, by=member.user)
    services.save_score(submissions[0], member, criterion, Decimal("44"), version=1, by=member.user)

    answer = _sync(_client(member.user), scoring, submissions[0],
                   {"key": str(uuid.uuid4()), f"value_{criterion.pk}": "30", f"version_{criterion.pk}": "1"}).json()

    field = answer["fields"][0]
    assert (field["stale"], field["value"], field["version"], field["saved_label"]) == (True, "44", 2, "")
    assert field["error"] == ("ยังไม่ได้บันทึก: คะแนนนี้ถูกแก้ไขจากอุปกรณ์หรือแท็บอื่นเป็น 44 "
                              "กรุณาตรวจสอบแล้วบันทึกอีกครั้ง")
    assert list(Score.objects.values_list("value", "version")) == [(Decimal("44.0"), 2)]


def test_sync_of_the_comment_is_kept_by_its_key_too(scoring, rubric, members, submissions):
    client = _client(members[1].user)
    data = {"key": str(uuid.uuid4()), "comment": "บรรจุภัณฑ์ควรปรับปรุง", "comment_version": "0"}

    answers = [_sync(client, scoring, submissions[0], data).json() for _ in range(2)]

    assert [(a["fields"][0]["field"], a["fields"][0]["value"], a["fields"][0]["version"]) for a in answers] == [
        ("comment", "บรรจุภัณฑ์ควรปรับปรุง", 1)] * 2
    assert submissions[0].comments.get().version == 1


def test_sync_key_of_another_member_saves_for_this_member_and_shows_nothing_of_the_other(
        scoring, rubric, members, submissions):
    criterion, key = rubric[0], str(uuid.uuid4())
    _sync(_client(members[1].user), scoring, submissions[0],
          {"key": key, f"value_{criterion.pk}": "41", f"version_{criterion.pk}": "0"})

    answer = _sync(_client(members[2].user), scoring, submissions[0],
                   {"key": key, f"value_{criterion.pk}": "12", f"version_{criterion.pk}": "0"}).json()

    assert (answer["replayed"], answer["fields"][0]["value"]) == (False, "12")
    assert sorted(Score.objects.values_list("member__user__username", "value")) == [
        ("member1", Decimal("41.0")), ("member2", Decimal("12.0"))]


@pytest.mark.parametrize("key", ["", "not-a-uuid"])
def test_sync_without_a_valid_key_saves_nothing_and_says_so(key, scoring, rubric, members, submissions):
    criterion = rubric[0]

    response = _sync(_client(members[1].user), scoring, submissions[0],
                     {"key": key, f"value_{criterion.pk}": "40", f"version_{criterion.pk}": "0"})

    assert response.status_code == 400
    assert response.json() == {"error": "การบันทึกนี้ไม่มีรหัสที่ถูกต้อง กรุณาโหลดหน้านี้ใหม่"}
    assert Score.objects.count() == 0


def test_sync_after_scoring_closed_answers_the_error_and_saves_nothing(scoring, rubric, members, submissions):
    criterion = rubric[0]
    scoring.state = RoundState.RANKING
    scoring.save()

    answer = _sync(_client(members[1].user), scoring, submissions[0],
                   {"key": str(uuid.uuid4()), f"value_{criterion.pk}": "40", f"version_{criterion.pk}": "0"}).json()

    assert (answer["fields"][0]["error"], answer["fields"][0]["stale"]) == (
        "ไม่ได้เปิดให้คะแนน: ประธานปิดการให้คะแนนแล้วหรือยังไม่เริ่ม", False)
    assert Score.objects.count() == 0


def _keeps(client, url):
    return client.get(url).get(OFFLINE_HEADER)


def test_scoring_pages_are_kept_offline_only_while_the_member_can_score(scoring, rubric, members, submissions):
    member = members[1]
    client = _client(member.user)
    list_url = reverse("selection:score_list", kwargs={"pk": scoring.pk})
    form_url = reverse("selection:score_form", kwargs={"pk": scoring.pk, "sid": submissions[0].pk})
    Conflict.objects.create(submission=submissions[1], member=member, conflict_type="family", declared_by=member.user)
    conflicted_url = reverse("selection:score_form", kwargs={"pk": scoring.pk, "sid": submissions[1].pk})

    while_scoring = [_keeps(client, url) for url in (list_url, form_url, conflicted_url)]
    scoring.state = RoundState.RANKING
    scoring.save()
    after_close = [_keeps(client, url) for url in (list_url, form_url)]

    assert while_scoring == ["keep", "keep", None]
    assert after_close == [None, None]


def test_the_service_worker_is_served_to_anyone_with_no_data_and_no_cache(client):
    response = client.get(reverse("selection:offline_worker"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert b'CACHE = "kbo-offline-v1"' in response.content

"""Paper score sheets (selection/paper.py, selection/paper_views.py): the printed sheet and the
secretary entering a filled one on the member's behalf."""

import subprocess
import unicodedata
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kbo_site.models import Action, ActionLog
from selection import rules, services
from selection.models import ConflictType, PaperSheet, RoundState, Score, ScoreSheet
from selection.ranking import compute_ranking
from tests.factories import CriterionFactory, ProductFactory, SelectionRoundFactory, SubmissionFactory
from tests.selection.conftest import RUBRIC, give


def pdf_text(data):
    """The PDF's text as pdftotext reads it, NFKC (Sarabun's sara am reads as its decomposition)."""
    done = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                          check=True)
    return unicodedata.normalize("NFKC", done.stdout.decode())


@pytest.fixture
def scoring(round_, rubric, members, secretary, submissions):
    round_.state = RoundState.SCORING
    round_.save()
    return round_


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_paper_sheet_carries_every_entry_and_criterion_with_its_maximum(client, scoring, members, secretary,
                                                                          submissions, rubric):
    response = _get(client, secretary.user, reverse("selection:paper_sheet",
                                                    kwargs={"pk": scoring.pk, "member_pk": members[1].pk}))

    text = pdf_text(response.content)
    assert response["Content-Type"] == "application/pdf"
    assert [s.product.code for s in submissions if s.product.code in text] == [s.product.code for s in submissions]
    assert [s.product.name for s in submissions if s.product.name in text] == [s.product.name for s in submissions]
    joined = "".join(text.split())  # a column's heading wraps within its cell
    assert [c.name for c in rubric if f"{c.name}({c.max_score})" in joined] == [c.name for c in rubric]
    assert [c.name for c in rubric if f"{c.name} คะแนนเต็ม {c.max_score}" in text] == [c.name for c in rubric]
    assert members[1].full_name in text
    assert "ลงชื่อ" in text


def test_paper_sheet_lists_entries_in_the_scoring_lists_order(client, scoring, members, secretary, submissions):
    response = _get(client, secretary.user, reverse("selection:paper_sheet",
                                                    kwargs={"pk": scoring.pk, "member_pk": members[1].pk}))

    text = pdf_text(response.content)
    codes = sorted(s.product.code for s in submissions)
    assert sorted(codes, key=text.index) == codes


def test_paper_sheet_marks_a_declared_conflict_and_prints_no_contact(client, scoring, members, secretary,
                                                                     submissions):
    services.declare_conflict(submissions[0], members[1], conflict_type=ConflictType.FAMILY, note="",
                              by=secretary.user)

    response = _get(client, secretary.user, reverse("selection:paper_sheet",
                                                    kwargs={"pk": scoring.pk, "member_pk": members[1].pk}))

    text = pdf_text(response.content)
    first_row = text[text.index(submissions[0].product.code):text.index(submissions[1].product.code)]
    assert "มีส่วนได้เสีย – ไม่ให้คะแนน" in first_row
    assert text.count("มีส่วนได้เสีย – ไม่ให้คะแนน") == 1
    producer = submissions[0].product.producer
    assert (producer.contact_name in text, producer.phone in text) == (False, False)


def test_all_sheets_pdf_has_one_sheet_per_scoring_member(client, scoring, members, secretary):
    response = _get(client, secretary.user, reverse("selection:paper_sheets", kwargs={"pk": scoring.pk}))

    text = pdf_text(response.content)
    assert [m.full_name for m in members if f"({m.full_name})" in text] == [m.full_name for m in members]
    assert f"({secretary.full_name})" not in text


def test_paper_sheet_of_a_non_scoring_member_is_not_found(client, scoring, secretary):
    response = _get(client, secretary.user, reverse("selection:paper_sheet",
                                                    kwargs={"pk": scoring.pk, "member_pk": secretary.pk}))

    assert response.status_code == 404


# Entering a paper sheet ----------------------------------------------------------------------

def _enter_url(round_, member):
    return reverse("selection:paper_enter", kwargs={"pk": round_.pk, "member_pk": member.pk})


def _sheet_post(round_, member, values, **extra):
    """The entry page's post: {(submission, criterion): "text"} with the versions shown."""
    stored = {(s.submission_id, s.criterion_id): s.version for s in Score.objects.filter(member=member)}
    post = dict(extra)
    for (submission, criterion), text in values.items():
        key = f"{submission.pk}_{criterion.pk}"
        post[f"value_{key}"] = text
        post[f"version_{key}"] = str(stored.get((submission.pk, criterion.pk), 0))
    return post


def _values(submissions, rubric, member_index):
    """Different scores per member and entry, within each criterion's maximum."""
    return {(s, c): str((c.max_score * (3 + i + member_index)) // 8) for i, s in enumerate(submissions) for c in rubric}


def _score_on_the_web(client, round_, member, values):
    client.force_login(member.user)
    for (submission, criterion), text in values.items():
        client.post(reverse("selection:score_save", kwargs={"pk": round_.pk, "sid": submission.pk}),
                    {f"value_{criterion.pk}": text, f"version_{criterion.pk}": "0"})
    client.post(reverse("selection:scores_submit", kwargs={"pk": round_.pk}))


def _ranking(round_):
    return [(row.submission.product.code, row.score, row.rank) for row in compute_ranking(round_).rows]


def test_paper_entry_gives_the_same_ranking_as_web_entry(client, committee, members, secretary):
    rounds = []
    products = [ProductFactory(code=f"OTOP50P{i}") for i in (1, 2, 3)]
    for _channel in ("web", "paper"):
        round_ = SelectionRoundFactory(committee=committee, quota=2, reserves=0, min_scorers=3,
                                       state=RoundState.SCORING)
        criteria = [CriterionFactory(round=round_, name=name, max_score=top, order=i, weight=weight)
                    for i, ((name, top), weight) in enumerate(zip(RUBRIC, ("1.5", "1", "0.5")))]
        submissions = [SubmissionFactory(round=round_, product=product) for product in products]
        rounds.append((round_, criteria, submissions))
    for channel, (round_, criteria, submissions) in zip(("web", "paper"), rounds):
        for index, member in enumerate(members):
            values = _values(submissions, criteria, index)
            if channel == "paper" and index == 1:
                client.force_login(secretary.user)
                client.post(_enter_url(round_, member), _sheet_post(round_, member, values, submit="1"))
            else:
                _score_on_the_web(client, round_, member, values)

    (web_round, *_), (paper_round, *_) = rounds
    assert ScoreSheet.objects.filter(round=paper_round, submitted_at__isnull=False).count() == len(members)
    assert _ranking(paper_round) == _ranking(web_round)


def test_paper_entry_is_logged_as_the_secretarys_on_the_members_behalf(client, scoring, members, secretary,
                                                                        submissions, rubric):
    client.force_login(secretary.user)

    client.post(_enter_url(scoring, members[1]), _sheet_post(scoring, members[1], _values(submissions, rubric, 1),
                                                             submit="1"))

    rows = ActionLog.objects.filter(action__in=(Action.SCORE_SAVED, Action.SCORES_SUBMITTED))
    assert {(row.actor_id, row.subject_id, row.detail.get("paper")) for row in rows} == {
        (secretary.user_id, members[1].user_id, True)}
    assert rows.count() == len(submissions) * len(rubric) + 1
    assert all("บันทึกจากใบให้คะแนน (กระดาษ)" in row.note for row in rows)
    history = client.get(reverse("selection:history", kwargs={"pk": scoring.pk})).content.decode()
    assert "บันทึกจากใบให้คะแนน (กระดาษ)" in history


def test_paper_entry_refuses_a_bad_value_and_keeps_what_was_typed(client, scoring, members, secretary,
                                                                  submissions, rubric):
    client.force_login(secretary.user)
    values = {(submissions[0], rubric[0]): "๔๐", (submissions[0], rubric[1]): "99"}

    response = client.post(_enter_url(scoring, members[1]), _sheet_post(scoring, members[1], values))

    page = response.content.decode()
    assert response.status_code == 400
    assert f"กรุณาใส่คะแนน 0 ถึง {rubric[1].max_score}" in page
    assert 'value="99"' in page
    assert [(s.criterion_id, s.value) for s in Score.objects.filter(member=members[1])] == [(rubric[0].pk, 40)]


def test_paper_entry_from_a_stale_page_is_refused_without_showing_the_members_score(
        client, scoring, members, secretary, submissions, rubric):
    client.force_login(secretary.user)
    stale = _sheet_post(scoring, members[1], {(submissions[0], rubric[0]): "30"})
    services.save_score(submissions[0], members[1], rubric[0], Decimal("35.5"), version=0, by=members[1].user)

    response = client.post(_enter_url(scoring, members[1]), stale)

    page = response.content.decode()
    assert response.status_code == 400
    assert "ไม่ได้บันทึก: คะแนนนี้ถูกแก้ไขจากที่อื่นหลังจากเปิดหน้านี้" in page
    assert "35.5" not in page
    assert Score.objects.get(member=members[1], criterion=rubric[0], submission=submissions[0]).value == Decimal("35.5")


def test_paper_entry_page_marks_a_stored_score_without_its_value(client, scoring, members, secretary,
                                                                 submissions, rubric):
    services.save_score(submissions[1], members[1], rubric[2], Decimal("27.5"), version=0, by=members[1].user)
    client.force_login(secretary.user)

    page = client.get(_enter_url(scoring, members[1])).content.decode()

    assert "27.5" not in page
    assert page.count('placeholder="✓') == 1


def test_paper_entry_skips_a_conflicted_entry_and_submits(client, scoring, members, secretary, submissions, rubric):
    services.declare_conflict(submissions[0], members[1], conflict_type=ConflictType.FAMILY, note="",
                              by=secretary.user)
    client.force_login(secretary.user)
    values = _values(submissions, rubric, 1)

    response = client.post(_enter_url(scoring, members[1]), _sheet_post(scoring, members[1], values, submit="1"))

    assert response.status_code == 302
    assert Score.objects.filter(member=members[1], submission=submissions[0]).exists() is False
    assert rules.has_submitted(members[1], scoring) is True


def test_paper_scan_is_kept_by_its_content(client, scoring, members, secretary, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(secretary.user)
    url = reverse("selection:paper_scan_add", kwargs={"pk": scoring.pk, "member_pk": members[1].pk})

    client.post(url, {"file": SimpleUploadedFile("sheet.pdf", b"<html><script>x</script></html>")})
    client.post(url, {"file": SimpleUploadedFile("signed.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100)})

    scan = PaperSheet.objects.get()
    assert (scan.member, scan.uploaded_by, scan.content_type, scan.original_name) == (
        members[1], secretary.user, "image/jpeg", "signed.jpg")
    download = client.get(reverse("selection:paper_scan", kwargs={"pk": scoring.pk, "scan_pk": scan.pk}))
    assert b"".join(download.streaming_content).startswith(b"\xff\xd8\xff")


def test_paper_entry_is_closed_to_a_chair_who_scores_even_after_submitting(
        client, scoring, members, submissions, rubric):
    for submission in submissions:
        give(submission, members[0], rubric, [c.max_score for c in rubric])
    services.submit_scores(scoring, members[0], by=members[0].user)
    client.force_login(members[0].user)

    response = client.get(_enter_url(scoring, members[1]))

    assert response.status_code == 403

"""Paper score sheets (selection/paper.py, selection/paper_views.py): the printed sheet and the
secretary entering a filled one on the member's behalf."""

import subprocess
import unicodedata

import pytest
from django.urls import reverse

from selection import services
from selection.models import ConflictType, RoundState


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

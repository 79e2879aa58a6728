"""The selection pages: autosave, what each person may see, and query counts of the lists."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from kbo_site.models import Action
from selection import services
from selection.models import Conflict, RoundState, Score, ScoreSheet, SelectionRound
from tests.factories import SelectionRoundFactory, SubmissionFactory, UserFactory

from .conftest import give

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


def _save_url(round_, submission):
    return reverse("selection:score_save", kwargs={"pk": round_.pk, "sid": submission.pk})


def test_autosave_answers_with_the_saved_state_and_the_new_version(scoring, rubric, members, submissions):
    client = _client(members[1].user)
    criterion = rubric[0]

    response = client.post(_save_url(scoring, submissions[0]),
                           {f"value_{criterion.pk}": "40", f"version_{criterion.pk}": "0"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "✓ บันทึกแล้ว" in html
    assert f'id="version-{criterion.pk}" name="version_{criterion.pk}" value="1" hx-swap-oob="true"' in html
    assert list(Score.objects.values_list("value", "version")) == [(Decimal("40.0"), 1)]


def test_autosave_of_a_stale_version_shows_a_message_and_keeps_the_score(scoring, rubric, members, submissions):
    member, criterion = members[1], rubric[0]
    services.save_score(submissions[0], member, criterion, Decimal("40"), version=0, by=member.user)
    services.save_score(submissions[0], member, criterion, Decimal("44"), version=1, by=member.user)

    response = _client(member.user).post(_save_url(scoring, submissions[0]),
                                         {f"value_{criterion.pk}": "30", f"version_{criterion.pk}": "1"},
                                         HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "คะแนนนี้ถูกแก้ไขจากอุปกรณ์หรือแท็บอื่นเป็น 44" in html
    assert f'name="version_{criterion.pk}" value="2"' in html
    assert list(Score.objects.values_list("value", "version")) == [(Decimal("44.0"), 2)]


def test_autosave_out_of_range_says_so_and_saves_nothing(scoring, rubric, members, submissions):
    criterion = rubric[1]

    response = _client(members[1].user).post(_save_url(scoring, submissions[0]),
                                             {f"value_{criterion.pk}": "26", f"version_{criterion.pk}": "0"},
                                             HTTP_HX_REQUEST="true")

    assert "กรุณาใส่คะแนน 0 ถึง 25" in response.content.decode()
    assert Score.objects.count() == 0


def test_autosave_of_text_that_is_not_a_number_says_so(scoring, rubric, members, submissions):
    criterion = rubric[1]

    response = _client(members[1].user).post(_save_url(scoring, submissions[0]),
                                             {f"value_{criterion.pk}": "ดีมาก", f"version_{criterion.pk}": "0"},
                                             HTTP_HX_REQUEST="true")

    assert "กรุณาใส่ตัวเลข 0 ถึง 25" in response.content.decode()


def test_plain_post_saves_every_field_and_the_comment(scoring, rubric, members, submissions):
    data = {f"value_{c.pk}": v for c, v in zip(rubric, ("40", "20", "25"))}
    data.update({f"version_{c.pk}": "0" for c in rubric})
    data.update({"comment": "บรรจุภัณฑ์ควรปรับปรุง", "comment_version": "0"})

    response = _client(members[1].user).post(_save_url(scoring, submissions[0]), data)

    assert response.status_code == 302
    assert sorted(Score.objects.values_list("value", flat=True)) == [Decimal("20"), Decimal("25"), Decimal("40")]
    assert submissions[0].comments.get().text == "บรรจุภัณฑ์ควรปรับปรุง"


def test_score_list_hides_aggregates_before_the_member_submits(scoring, rubric, members, submissions):
    give(submissions[0], members[0], rubric, (40, 20, 25))

    response = _client(members[1].user).get(reverse("selection:score_list", kwargs={"pk": scoring.pk}))

    assert response.context["show_aggregates"] is False
    assert "ค่าเฉลี่ย 85.00" not in response.content.decode()


def test_score_list_shows_aggregates_after_the_member_submits(scoring, rubric, members, submissions):
    member = members[1]
    give(submissions[0], members[0], rubric, (40, 20, 25))
    for submission in submissions:
        give(submission, member, rubric, (35, 20, 25))
    services.submit_scores(scoring, member, by=member.user)

    response = _client(member.user).get(reverse("selection:score_list", kwargs={"pk": scoring.pk}))

    assert "ค่าเฉลี่ย 82.50 · ผู้ให้คะแนน 2 คน" in response.content.decode()


def test_score_list_never_shows_the_aggregate_of_a_conflicted_submission(scoring, rubric, members, submissions):
    member = members[1]
    Conflict.objects.create(submission=submissions[0], member=member, conflict_type="family", declared_by=member.user)
    give(submissions[0], members[0], rubric, (40, 20, 25))
    for submission in submissions[1:]:
        give(submission, member, rubric, (35, 20, 25))
    services.submit_scores(scoring, member, by=member.user)

    response = _client(member.user).get(reverse("selection:score_list", kwargs={"pk": scoring.pk}))

    items = {i["submission"].pk: i for i in response.context["items"]}
    assert (items[submissions[0].pk]["conflicted"], items[submissions[0].pk]["aggregate"]) == (True, None)


def test_ranking_hides_every_member_score_before_scoring_closes(scoring, rubric, members, submissions):
    give(submissions[0], members[0], rubric, (40, 20, 25))

    response = _client(members[1].user).get(reverse("selection:ranking", kwargs={"pk": scoring.pk}))

    assert response.templates[0].name == "selection/ranking_pending.html"


def test_ranking_hides_a_conflicted_submissions_scores_from_that_member(scoring, rubric, members, submissions):
    member = members[1]
    Conflict.objects.create(submission=submissions[0], member=member, conflict_type="family", declared_by=member.user)
    give(submissions[0], members[0], rubric, (40, 20, 25))
    scoring.state = RoundState.RANKING
    scoring.save()

    response = _client(member.user).get(reverse("selection:ranking", kwargs={"pk": scoring.pk}))

    html = response.content.decode()
    row = html[html.index(f'id="r{submissions[0].pk}"'):]
    row = row[:row.index("</tr>")]
    assert response.context["hidden"] == {submissions[0].pk}
    assert ("มีส่วนได้เสีย: ไม่แสดงคะแนนแก่ท่าน" in row, "85.00" in row) == (True, False)


def test_score_form_of_a_conflicted_submission_shows_no_score_fields(scoring, rubric, members, submissions):
    member = members[1]
    Conflict.objects.create(submission=submissions[0], member=member, conflict_type="family", declared_by=member.user)

    response = _client(member.user).get(reverse("selection:score_form",
                                                kwargs={"pk": scoring.pk, "sid": submissions[0].pk}))

    assert response.context["fields"] == []
    assert 'data-testid="conflict"' in response.content.decode()


def test_results_live_partial_answers_htmx_polls(scoring, rubric, members, submissions, secretary):
    response = _client(secretary.user).get(reverse("selection:results_live", kwargs={"pk": scoring.pk}),
                                       HTTP_HX_REQUEST="true")

    assert [t.name for t in response.templates][0] == "selection/_results_live.html"


def test_export_escapes_formulas_and_lists_the_ranking(scoring, rubric, members, submissions, chair):
    import io

    from openpyxl import load_workbook

    product = submissions[0].product
    product.name = "=HYPERLINK(\"http://x\")"
    product.save()
    for submission in submissions:
        for member in members:
            give(submission, member, rubric, (30, 15, 20))
    scoring.state = RoundState.RANKING
    scoring.save()

    response = _client(chair.user).get(reverse("selection:export", kwargs={"pk": scoring.pk}))

    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["ผลการจัดอันดับ", "คะแนนเฉลี่ยรายเกณฑ์", "คะแนนรวมรายกรรมการ"]
    cell = book["ผลการจัดอันดับ"]["C6"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(\"http://x\")", "s")
    assert [c.value for c in book["คะแนนรวมรายกรรมการ"][2]][2:] == [65, 65, 65]


def test_approve_view_shows_the_error_when_a_tie_is_undecided(round_, rubric, members, chair):
    a = SubmissionFactory(round=round_, product__code="A")
    b = SubmissionFactory(round=round_, product__code="B")
    for member in members:
        give(a, member, rubric, (30, 15, 15))
        give(b, member, rubric, (30, 15, 15))
    round_.quota, round_.state = 1, RoundState.RANKING
    round_.save()

    response = _client(chair.user).post(reverse("selection:approve", kwargs={"pk": round_.pk}), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "มีคะแนนเท่ากันที่เส้นตัด กรุณาตัดสินพร้อมเหตุผลก่อนอนุมัติ"]


def test_history_lists_who_did_what(scoring, chair):
    services.close_scoring(scoring, by=chair.user)

    response = _client(chair.user).get(reverse("selection:history", kwargs={"pk": scoring.pk}))

    entries = list(response.context["page"])
    assert [(e.action, e.actor, e.from_display, e.to_display) for e in entries] == [
        (Action.STATE_CHANGED, chair.user, "ให้คะแนน", "ผลการจัดอันดับ")]


def _history_text(user, round_, query=""):
    url = reverse("selection:history", kwargs={"pk": round_.pk})
    return _client(user).get(f"{url}{query}").content.decode()


@pytest.mark.parametrize("query", ["", "?action=score_saved", "?action=score_saved&page=1"])
def test_history_hides_other_members_scores_from_a_member_who_has_not_submitted(scoring, rubric, members,
                                                                                submissions, query):
    _, first, second = members
    services.save_score(submissions[0], first, rubric[0], Decimal("37.5"), version=0, by=first.user)
    services.save_score(submissions[0], second, rubric[0], Decimal("41.5"), version=0, by=second.user)

    text = _history_text(second.user, scoring, query)

    assert "37.5" not in text
    assert f"{first.full_name} · {rubric[0].name}" not in text
    assert "41.5" in text


def test_history_hides_member_scores_from_the_chair_before_scoring_closes(scoring, rubric, members, submissions):
    chair, first, _ = members
    services.save_score(submissions[0], first, rubric[0], Decimal("37.5"), version=0, by=first.user)

    text = _history_text(chair.user, scoring, "?action=score_saved")

    assert "37.5" not in text


def test_history_shows_member_scores_once_scoring_closes(scoring, rubric, members, submissions):
    chair, first, second = members
    services.save_score(submissions[0], first, rubric[0], Decimal("37.5"), version=0, by=first.user)
    services.close_scoring(scoring, by=chair.user)

    assert "37.5" in _history_text(second.user, scoring)


def test_history_never_shows_a_conflicted_submissions_scores_to_that_member(scoring, rubric, members, submissions):
    chair, first, second = members
    services.save_score(submissions[0], first, rubric[0], Decimal("37.5"), version=0, by=first.user)
    services.declare_conflict(submissions[0], second, conflict_type="family", note="", by=second.user)
    services.close_scoring(scoring, by=chair.user)

    assert "37.5" not in _history_text(second.user, scoring)


def test_history_shows_conflict_notes_to_the_chair_secretary_and_officers_only(scoring, rubric, members,
                                                                              submissions, secretary):
    chair, first, second = members
    services.declare_conflict(submissions[0], first, conflict_type="family", note="บันทึกลับ-พี่สาวเป็นประธานกลุ่ม",
                              by=first.user)
    officer = UserFactory(username="history-officer", groups=["officer"])

    assert "บันทึกลับ-พี่สาวเป็นประธานกลุ่ม" not in _history_text(second.user, scoring)
    for reader in (first.user, chair.user, secretary.user, officer):
        assert "บันทึกลับ-พี่สาวเป็นประธานกลุ่ม" in _history_text(reader, scoring)


def test_results_live_is_closed_to_a_scoring_chair_until_they_submit(scoring, rubric, members, submissions):
    chair = members[0]
    url = reverse("selection:results_live", kwargs={"pk": scoring.pk})

    assert _client(chair.user).get(url).status_code == 403
    for submission in submissions:
        give(submission, chair, rubric, (30, 15, 20))
    services.submit_scores(scoring, chair, by=chair.user)
    assert _client(chair.user).get(url).status_code == 200


def test_ranking_pending_offers_the_live_board_only_to_who_may_see_it(scoring, rubric, members, submissions,
                                                                      secretary):
    live = reverse("selection:results_live", kwargs={"pk": scoring.pk})
    ranking = reverse("selection:ranking", kwargs={"pk": scoring.pk})

    assert live not in _client(members[0].user).get(ranking).content.decode()
    assert live in _client(secretary.user).get(ranking).content.decode()


# Query counts of the lists, at two sizes ---------------------------------------------------


def _grow(round_, members, rubric, count):
    for _ in range(count):
        submission = SubmissionFactory(round=round_)
        for member in members:
            give(submission, member, rubric, (30, 15, 20))
            services.audit(round_, Action.SCORE_SAVED, by=member.user, submission=submission)


def _officer_client():
    return _client(UserFactory(username="qc-officer", groups=["officer"]))


LIST_PAGES = [
    ("selection:round_list", False, 10),  # 9, and the national contests a province follows
    ("selection:submission_list", True, 11),
    ("selection:screening_summary", True, 13),
    ("selection:history", True, 11),
    ("selection:ranking", True, 17),
    ("selection:results_live", True, 21),
    ("selection:results_board", True, 21),
]


@pytest.mark.parametrize("name,with_pk,queries", LIST_PAGES, ids=[p[0] for p in LIST_PAGES])
@pytest.mark.parametrize("size", [2, 12])
def test_list_page_query_count_does_not_grow_with_the_data(name, with_pk, queries, size, round_, rubric, members,
                                                           django_assert_num_queries):
    round_.state = RoundState.RANKING
    round_.save()
    _grow(round_, members, rubric, size)
    SelectionRoundFactory(committee=round_.committee)
    client = _officer_client()
    url = reverse(name, kwargs={"pk": round_.pk} if with_pk else {})

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_score_list_query_count_does_not_grow_with_the_data(size, round_, rubric, members,
                                                            django_assert_num_queries):
    round_.state = RoundState.SCORING
    round_.save()
    _grow(round_, members[:1], rubric, size)
    ScoreSheet.objects.create(round=round_, member=members[1])
    client = _client(members[1].user)

    with django_assert_num_queries(14):
        client.get(reverse("selection:score_list", kwargs={"pk": round_.pk}))


def test_ranking_after_reopening_shows_the_new_result_against_the_frozen_one(round_, rubric, members, submissions,
                                                                              chair):
    for submission, quality in zip(submissions, (40, 30, 20)):
        for member in members:
            give(submission, member, rubric, (quality, 15, 20))
    round_.state = RoundState.RANKING
    round_.save()
    services.approve(round_, by=chair.user)
    services.reopen(round_, to_state=RoundState.RANKING, reason="ทบทวนรายชื่อ", by=chair.user)
    services.record_decision(round_, submissions[2], kind="move_in", reason="ศักยภาพตลาดต่างประเทศ", by=chair.user)

    response = _client(chair.user).get(reverse("selection:ranking", kwargs={"pk": round_.pk}))

    assert [(c["now"]["product_code"], c["before"]["status"], c["now"]["status"])
            for c in response.context["changes"]] == [
        ("OTOP50S2", "selected", "not_selected"), ("OTOP50S3", "not_selected", "selected")]
    assert 'data-testid="comparison"' in response.content.decode()


# Exact ties share the rank shown -----------------------------------------------------------


@pytest.fixture
def tied(round_, rubric, members):
    """a totals 80; b and c total 60 from every member (an exact tie at the cut of 2); d totals 50."""
    round_.quota, round_.state = 2, RoundState.RANKING
    round_.save()
    for code, values in (("A", (40, 20, 20)), ("B", (30, 15, 15)), ("C", (30, 15, 15)), ("D", (25, 10, 15))):
        submission = SubmissionFactory(round=round_, product__code=f"OTOP50{code}")
        for member in members:
            give(submission, member, rubric, values)
    return round_


TIED_RANKS = [("1", "OTOP50A"), ("=2", "OTOP50B"), ("=2", "OTOP50C"), ("4", "OTOP50D")]


def _ranks(content, rows_xpath):
    """(the rank a reader sees, the product code) of each row of a page."""
    import lxml.html

    return [(" ".join(row.xpath("string(.//*[@data-rank])").split()), row.get("data-code"))
            for row in lxml.html.fromstring(content).xpath(rows_xpath)]


def test_ranking_page_shows_an_exact_tie_as_a_shared_rank(tied, chair):
    response = _client(chair.user).get(reverse("selection:ranking", kwargs={"pk": tied.pk}))

    assert _ranks(response.content, '//table[@data-testid="ranking"]/tbody/tr') == TIED_RANKS


def test_live_results_show_an_exact_tie_as_a_shared_rank(tied, secretary):
    response = _client(secretary.user).get(reverse("selection:results_live", kwargs={"pk": tied.pk}))

    assert _ranks(response.content, '//table[contains(@class, "live-table")]/tbody/tr') == TIED_RANKS


def test_export_writes_an_exact_tie_as_a_shared_rank(tied, chair):
    import io

    from openpyxl import load_workbook

    response = _client(chair.user).get(reverse("selection:export", kwargs={"pk": tied.pk}))

    sheet = load_workbook(io.BytesIO(response.content))["ผลการจัดอันดับ"]
    assert [(row[0].value, row[1].value) for row in sheet.iter_rows(min_row=6)] == [
        (1, "OTOP50A"), ("=2", "OTOP50B"), ("=2", "OTOP50C"), (4, "OTOP50D")]
    assert (sheet["A7"].data_type, sheet["A7"].quotePrefix) == ("s", True)


def test_results_board_shows_an_exact_tie_as_a_shared_rank_with_the_cut_after_the_quota(tied, secretary):
    import lxml.html

    response = _client(secretary.user).get(reverse("selection:results_board", kwargs={"pk": tied.pk}))

    assert _ranks(response.content, '//*[@data-testid="board-row"]') == TIED_RANKS
    lines = lxml.html.fromstring(response.content).xpath('//ol[contains(@class, "board-col")]/li[not(@aria-hidden)]')
    assert [line.get("data-code") or line.get("data-testid") for line in lines] == [
        "OTOP50A", "OTOP50B", "cut-line", "OTOP50C", "OTOP50D"]
    assert lxml.html.fromstring(response.content).xpath('string(//*[@data-testid="cut-tie"])') == (
        "คะแนนเท่ากันทุกเกณฑ์ที่เส้นตัด: ประธานต้องตัดสิน")


def test_results_board_counts_the_members_who_have_submitted(scoring, rubric, members, submissions, secretary):
    import lxml.html

    for submission in submissions:
        give(submission, members[1], rubric, (30, 15, 20))
    services.submit_scores(scoring, members[1], by=members[1].user)

    response = _client(secretary.user).get(reverse("selection:results_board", kwargs={"pk": scoring.pk}))

    assert lxml.html.fromstring(response.content).xpath('string(//*[@data-testid="submitted"])') == (
        "กรรมการส่งคะแนนแล้ว 1 จาก 3 คน")
    assert [t.name for t in response.templates][:2] == ["selection/results_board.html",
                                                        "selection/_results_board.html"]
    assert b'class="navbar' not in response.content


def test_results_board_is_closed_to_a_scoring_chair_until_they_submit(scoring, rubric, members, submissions):
    chair = members[0]
    url = reverse("selection:results_board", kwargs={"pk": scoring.pk})

    assert _client(chair.user).get(url).status_code == 403
    assert _client(chair.user).get(url, HTTP_HX_REQUEST="true").status_code == 403
    for submission in submissions:
        give(submission, chair, rubric, (30, 15, 20))
    services.submit_scores(scoring, chair, by=chair.user)
    assert _client(chair.user).get(url).status_code == 200


# Setting up the next round ------------------------------------------------------------------


@pytest.fixture
def earlier_round(round_, rubric, members, secretary):
    round_.name, round_.max_star_level, round_.rule_one_per_producer = "KBO รอบต้นแบบ", 2, True
    round_.save()
    return round_


def _page_text(response, xpath="//main"):
    import lxml.html

    return " ".join(lxml.html.fromstring(response.content).xpath(f"string({xpath})").split())


def test_round_create_offers_the_provinces_earlier_rounds_to_copy(earlier_round):
    from tests.factories import CommitteeFactory

    SelectionRoundFactory(committee=CommitteeFactory(name="คณะกรรมการ KBO ลำพูน", province_id="51"),
                          name="KBO ลำพูน ปี 2565")

    response = _officer_client().get(reverse("selection:round_create"))

    text = _page_text(response, '//*[@data-testid="start-from"]')
    assert "เริ่มจากรอบก่อนหน้า" in text
    assert f"KBO รอบต้นแบบ ({earlier_round.label})" in text
    assert "ลำพูน" not in text


def test_round_create_from_an_earlier_round_shows_what_will_be_copied(earlier_round):
    response = _officer_client().get(reverse("selection:round_create"), {"copy": earlier_round.pk})

    text = _page_text(response, '//*[@data-testid="copying"]')
    assert text.startswith(f"คัดลอกการตั้งค่าของ KBO รอบต้นแบบ ({earlier_round.label})")
    assert "คุณภาพผลิตภัณฑ์ — 45 คะแนน" in text
    assert "วรญาณ บุญณราช (ประธาน)" in text
    assert "ผู้ผลิตละหนึ่งผลิตภัณฑ์" in text
    assert 'name="max_star_level"' not in response.content.decode()


def test_round_create_copies_the_setup_and_the_round_page_shows_it(earlier_round):
    form = {"copy_from": earlier_round.pk, "committee": earlier_round.committee_id, "name": "KBO ปี 2566",
            "number": 1, "fiscal_year": 2566, "quota": 20, "reserves": 3}

    response = _officer_client().post(reverse("selection:round_create"), form, follow=True)

    new = SelectionRound.objects.get(name="KBO ปี 2566")
    assert response.redirect_chain == [(reverse("selection:round_detail", kwargs={"pk": new.pk}), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        f"สร้างรอบแล้วโดยใช้การตั้งค่าของ KBO รอบต้นแบบ ({earlier_round.label}): เงื่อนไขคุณสมบัติ เกณฑ์การให้คะแนน "
        "และคณะกรรมการ ตรวจสอบแล้วจึงเพิ่มผลิตภัณฑ์ที่ส่งเข้าคัดเลือก"]
    text = _page_text(response)
    assert "คุณภาพผลิตภัณฑ์ — 45 คะแนน" in text
    assert "ผู้ผลิตละหนึ่งผลิตภัณฑ์" in text
    assert (new.max_star_level, new.rule_one_per_producer, new.criteria.count()) == (2, True, 3)


def test_round_create_refuses_to_copy_another_provinces_round(earlier_round):
    from tests.factories import CommitteeFactory

    lamphun = SelectionRoundFactory(committee=CommitteeFactory(name="คณะกรรมการ KBO ลำพูน", province_id="51"),
                                    name="KBO ลำพูน ปี 2565")
    client = _officer_client()
    form = {"copy_from": lamphun.pk, "committee": earlier_round.committee_id, "name": "KBO ปี 2566",
            "number": 1, "fiscal_year": 2566, "quota": 20, "reserves": 3}

    assert client.get(reverse("selection:round_create"), {"copy": lamphun.pk}).status_code == 404
    assert client.post(reverse("selection:round_create"), form).status_code == 404
    assert [client.get(reverse("selection:round_create"), {"copy": copy}).status_code
            for copy in ("1 OR 1=1", "²", "9" * 30, "")] == [200, 200, 404, 200]
    assert not SelectionRound.objects.filter(name="KBO ปี 2566").exists()


def test_rubric_page_offers_blank_rows_a_remove_box_and_an_add_button(round_):
    import lxml.html

    response = _officer_client().get(reverse("selection:rubric_edit", kwargs={"pk": round_.pk}))

    page = lxml.html.fromstring(response.content)
    rows = page.xpath('//*[@data-formset-rows]/*[@data-formset-row]')
    assert [row.xpath("string(.//label[contains(@for, '-name')])").strip() for row in rows] == ["เกณฑ์"] * 3
    assert [row.xpath("string(.//label[contains(@for, '-DELETE')])").strip() for row in rows] == ["ลบเกณฑ์นี้"] * 3
    assert page.xpath('string(//button[@data-formset-add])').strip() == "เพิ่มเกณฑ์"
    assert page.xpath("//template[@data-formset-template]//input/@name")[:3] == [
        "form-__prefix__-name", "form-__prefix__-max_score", "form-__prefix__-weight"]


def test_rubric_save_drops_a_removed_criterion_and_adds_rows_beyond_the_blank_ones(round_, rubric):
    data = {"form-TOTAL_FORMS": "6", "form-INITIAL_FORMS": "3"}
    rows = [(c.name, c.max_score, "") for c in rubric] + [("ศักยภาพการส่งออก", 10, ""), ("บรรจุภัณฑ์", 5, ""),
                                                          ("ความยั่งยืน", 5, "")]
    for i, (name, top, _) in enumerate(rows):
        data.update({f"form-{i}-name": name, f"form-{i}-max_score": top, f"form-{i}-weight": "1"})
    data["form-1-DELETE"] = "on"

    response = _officer_client().post(reverse("selection:rubric_edit", kwargs={"pk": round_.pk}), data, follow=True)

    text = _page_text(response)
    assert "ความยั่งยืน — 5 คะแนน" in text
    assert "การตลาดและเรื่องราวของผลิตภัณฑ์" not in text
    assert [(c.name, c.max_score) for c in round_.criteria.all()] == [
        ("คุณภาพผลิตภัณฑ์", 45), ("ความเข้มแข็งของกลุ่มและชุมชน", 30), ("ศักยภาพการส่งออก", 10), ("บรรจุภัณฑ์", 5),
        ("ความยั่งยืน", 5)]


def _screening_buttons(response):
    import lxml.html

    return [" ".join(form.xpath("string(.//button)").split())
            for form in lxml.html.fromstring(response.content).xpath("//main//form[@method='post']")
            if form.get("action", "").endswith("/screening/run/")]


def test_screening_tab_offers_the_screening_to_officers_until_scoring_opens(round_, members):
    SubmissionFactory(round=round_, eligible=None, screened_at=None)
    url = reverse("selection:screening_summary", kwargs={"pk": round_.pk})

    assert _screening_buttons(_officer_client().get(url)) == ["ตรวจคุณสมบัติ"]
    assert _screening_buttons(_client(members[1].user).get(url)) == []
    round_.state = RoundState.SCORING
    round_.save()
    assert _screening_buttons(_officer_client().get(url)) == []


def test_screening_run_answers_on_the_screening_tab(round_):
    response = _officer_client().post(reverse("selection:screening_run", kwargs={"pk": round_.pk}), follow=True)

    assert response.redirect_chain == [(reverse("selection:screening_summary", kwargs={"pk": round_.pk}), 302)]
    assert [str(m) for m in response.context["messages"]] == ["กรุณาเพิ่มผลิตภัณฑ์ที่ส่งเข้าคัดเลือกก่อนตรวจคุณสมบัติ"]


def test_round_create_by_a_national_user_copies_only_into_a_committee_of_the_same_province(earlier_round):
    from tests.factories import CommitteeFactory

    lamphun = CommitteeFactory(name="คณะกรรมการ KBO ลำพูน", province_id="51")
    national = _client(UserFactory(username="national-copier", groups=["officer"], province="national"))
    form = {"copy_from": earlier_round.pk, "committee": lamphun.pk, "name": "KBO ปี 2566", "number": 1,
            "fiscal_year": 2566, "quota": 20, "reserves": 3}

    response = national.post(reverse("selection:round_create"), form)

    assert response.context["form"].errors == {"committee": ["เลือกคณะกรรมการของจังหวัดเดียวกับรอบที่คัดลอก"]}
    assert not SelectionRound.objects.filter(name="KBO ปี 2566").exists()


def test_results_board_refresh_keeps_the_page_on_screen(round_, rubric, members, secretary):
    import lxml.html

    round_.state = RoundState.RANKING
    round_.save()
    _grow(round_, members, rubric, 30)
    client, url = _client(secretary.user), reverse("selection:results_board", kwargs={"pk": round_.pk})

    def shown(query):
        page = lxml.html.fromstring(client.get(f"{url}{query}", HTTP_HX_REQUEST="true").content.decode())
        return [section.get("aria-label") for section in page.xpath('//section[contains(@class, "is-current")]')]

    assert [shown(q) for q in ("", "?page=2", "?page=99", "?page=0", "?page=²", "?page=x")] == [
        ["หน้า 1 จาก 2"], ["หน้า 2 จาก 2"], ["หน้า 2 จาก 2"], ["หน้า 1 จาก 2"], ["หน้า 1 จาก 2"], ["หน้า 1 จาก 2"]]

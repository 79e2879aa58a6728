"""The round's workflow steps, done and refused, each leaving its record."""

from decimal import Decimal

import pytest

from kbo_site.actions import log_for
from kbo_site.models import ActionLog
from selection import services
from selection.models import (
    Approval,
    ChairDecision,
    Conflict,
    ConflictType,
    DecisionKind,
    RoundState,
    Score,
    ScoreSheet,
)
from tests.factories import ProductFactory, SubmissionFactory, UserFactory

from .conftest import give

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(db):
    return UserFactory(username="services-officer", groups=["officer"])


def _in_state(round_, state):
    round_.state = state
    round_.save()
    return round_


@pytest.fixture
def scoring(round_, rubric, members, submissions):
    return _in_state(round_, RoundState.SCORING)


# Submissions -----------------------------------------------------------------------------


def test_add_submission_twice_is_refused(round_, officer):
    product = ProductFactory(code="OTOP-DUP", name="น้ำพริกหนุ่ม")
    services.add_submission(round_, product, by=officer)

    with pytest.raises(services.SelectionError) as error:
        services.add_submission(round_, product, by=officer)

    assert error.value.message == "OTOP-DUP น้ำพริกหนุ่ม ส่งเข้าคัดเลือกในรอบนี้แล้ว"
    assert round_.submissions.count() == 1


def test_add_submissions_by_codes_reports_added_already_and_unknown(round_, officer):
    ProductFactory(code="A1")
    ProductFactory(code="A2")
    services.add_submission(round_, ProductFactory(code="A3"), by=officer)

    result = services.add_submissions_by_codes(round_, "A1, A2\nA3  NOPE\nA1", by=officer)

    assert result == (["A1", "A2"], ["A3"], ["NOPE"])
    assert round_.submissions.count() == 3


def test_add_submission_after_scoring_opened_is_refused(scoring, officer):
    with pytest.raises(services.SelectionError) as error:
        services.add_submission(scoring, ProductFactory(), by=officer)

    assert error.value.message == "เปิดให้คะแนนแล้วจึงเพิ่มหรือถอนผลิตภัณฑ์ไม่ได้"


# Opening scoring --------------------------------------------------------------------------


def test_open_scoring_moves_screening_to_scoring_with_a_record(round_, rubric, members, submissions, officer):
    _in_state(round_, RoundState.SCREENING)

    services.open_scoring(round_, by=officer)

    round_.refresh_from_db()
    assert round_.state == RoundState.SCORING
    assert list(log_for(round_).filter(action="state_changed").order_by("at", "pk").values_list("from_state", "to_state", "actor")) == [
        ("screening", "scoring", officer.pk)]


def test_open_scoring_without_a_rubric_is_refused(round_, members, submissions, officer):
    _in_state(round_, RoundState.SCREENING)

    with pytest.raises(services.SelectionError) as error:
        services.open_scoring(round_, by=officer)

    assert error.value.message == "กรุณากำหนดเกณฑ์การให้คะแนนก่อนเปิดให้คะแนน"


def test_open_scoring_with_an_unscreened_submission_is_refused(round_, rubric, members, officer):
    _in_state(round_, RoundState.SCREENING)
    SubmissionFactory(round=round_, eligible=None, screened_at=None)

    with pytest.raises(services.SelectionError) as error:
        services.open_scoring(round_, by=officer)

    assert error.value.message == "ยังมีผลิตภัณฑ์ที่ไม่ได้ตรวจคุณสมบัติ กรุณาตรวจคุณสมบัติอีกครั้ง"


def test_open_scoring_from_draft_is_refused(round_, rubric, members, submissions, officer):
    with pytest.raises(services.SelectionError) as error:
        services.open_scoring(round_, by=officer)

    assert error.value.message == "เปิดให้คะแนนได้หลังตรวจคุณสมบัติ"


def test_set_rubric_after_a_score_is_saved_is_refused(round_, rubric, members, submissions, officer):
    give(submissions[0], members[0], rubric[:1], (30,))

    with pytest.raises(services.SelectionError) as error:
        services.set_rubric(round_, [{"name": "ใหม่", "max_score": 100}], by=officer)

    assert error.value.message == "แก้ไขเกณฑ์การให้คะแนนไม่ได้ เพราะมีการบันทึกคะแนนแล้ว"


def test_update_settings_after_scoring_opened_is_refused(scoring, officer):
    with pytest.raises(services.SelectionError):
        services.update_settings(scoring, by=officer, changes={"quota": 25})

    scoring.refresh_from_db()
    assert scoring.quota == 2


# Scores ------------------------------------------------------------------------------------


def test_save_score_creates_it_at_version_one_with_an_audit_row(scoring, rubric, members, submissions):
    member = members[1]

    score = services.save_score(submissions[0], member, rubric[0], Decimal("40"), version=0, by=member.user)

    assert (score.value, score.version) == (Decimal("40"), 1)
    assert list(ActionLog.objects.filter(action="score_saved").values_list("note", "from_state", "to_state")) == [
        (f"{member.full_name} · คุณภาพผลิตภัณฑ์", "", "40")]


def test_save_score_from_a_stale_version_is_refused_and_keeps_the_newer(scoring, rubric, members, submissions):
    member = members[1]
    services.save_score(submissions[0], member, rubric[0], Decimal("40"), version=0, by=member.user)
    services.save_score(submissions[0], member, rubric[0], Decimal("42"), version=1, by=member.user)

    with pytest.raises(services.StaleScoreError) as error:
        services.save_score(submissions[0], member, rubric[0], Decimal("30"), version=1, by=member.user)

    assert error.value.message == ("ยังไม่ได้บันทึก: คะแนนนี้ถูกแก้ไขจากอุปกรณ์หรือแท็บอื่นเป็น 42 "
                                   "กรุณาตรวจสอบแล้วบันทึกอีกครั้ง")
    assert list(Score.objects.values_list("value", "version")) == [(Decimal("42"), 2)]


def test_save_score_twice_with_the_same_value_does_nothing(scoring, rubric, members, submissions):
    member = members[1]
    services.save_score(submissions[0], member, rubric[0], Decimal("40"), version=0, by=member.user)

    again = services.save_score(submissions[0], member, rubric[0], Decimal("40"), version=0, by=member.user)

    assert (again.version, Score.objects.count(), ActionLog.objects.filter(action="score_saved").count()) == (1, 1, 1)


def test_save_score_out_of_range_is_refused(scoring, rubric, members, submissions):
    with pytest.raises(services.SelectionError) as error:
        services.save_score(submissions[0], members[1], rubric[0], Decimal("46"), version=0, by=members[1].user)

    assert error.value.message == "กรุณาใส่คะแนน 0 ถึง 45"


def test_save_score_out_of_range_is_refused_by_the_database(scoring, rubric, members, submissions):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(submission=submissions[0], member=members[1], criterion=rubric[0], value=Decimal("46"),
                             max_score=45)


def test_save_score_when_scoring_is_closed_is_refused(round_, rubric, members, submissions):
    _in_state(round_, RoundState.RANKING)

    with pytest.raises(services.SelectionError) as error:
        services.save_score(submissions[0], members[1], rubric[0], Decimal("40"), version=0, by=members[1].user)

    assert error.value.message == "ไม่ได้เปิดให้คะแนน: ประธานปิดการให้คะแนนแล้วหรือยังไม่เริ่ม"


def test_save_score_on_a_conflicted_submission_is_refused(scoring, rubric, members, submissions):
    member = members[1]
    services.declare_conflict(submissions[0], member, conflict_type=ConflictType.FAMILY, note="", by=member.user)

    with pytest.raises(services.SelectionError) as error:
        services.save_score(submissions[0], member, rubric[0], Decimal("40"), version=0, by=member.user)

    assert error.value.message == "ท่านแจ้งส่วนได้เสียกับผลิตภัณฑ์นี้ จึงให้คะแนนไม่ได้"


def test_save_score_by_a_non_scoring_secretary_is_refused(scoring, rubric, secretary, submissions):
    with pytest.raises(services.SelectionError) as error:
        services.save_score(submissions[0], secretary, rubric[0], Decimal("40"), version=0, by=secretary.user)

    assert error.value.message == "บทบาทของท่านในคณะกรรมการไม่ได้ให้คะแนน"


def test_submit_scores_with_submissions_left_is_refused(scoring, rubric, members, submissions):
    member = members[1]
    give(submissions[0], member, rubric, (40, 20, 25))

    with pytest.raises(services.SelectionError) as error:
        services.submit_scores(scoring, member, by=member.user)

    assert error.value.message == "กรุณาให้คะแนนให้ครบก่อนส่ง ยังไม่ได้ให้คะแนน: OTOP50S2, OTOP50S3"


def test_submit_scores_skips_conflicted_submissions_and_locks_the_scores(scoring, rubric, members, submissions):
    member = members[1]
    Conflict.objects.create(submission=submissions[2], member=member, conflict_type="other", declared_by=member.user)
    give(submissions[0], member, rubric, (40, 20, 25))
    give(submissions[1], member, rubric, (30, 20, 25))

    services.submit_scores(scoring, member, by=member.user)

    assert ScoreSheet.objects.get(member=member).submitted_at is not None
    with pytest.raises(services.SelectionError) as error:
        services.save_score(submissions[0], member, rubric[0], Decimal("41"), version=1, by=member.user)
    assert error.value.message == "ท่านส่งคะแนนแล้ว จึงแก้ไขคะแนนไม่ได้"


def test_declare_conflict_twice_is_refused(scoring, members, submissions):
    member = members[1]
    services.declare_conflict(submissions[0], member, conflict_type=ConflictType.BUSINESS, note="คู่ค้า",
                              by=member.user)

    with pytest.raises(services.SelectionError) as error:
        services.declare_conflict(submissions[0], member, conflict_type=ConflictType.OTHER, note="", by=member.user)

    assert error.value.message == "บันทึกส่วนได้เสียนี้ไว้แล้ว"
    assert list(ActionLog.objects.filter(action="conflict_declared").values_list("to_state", "reason")) == [
        ("ความเกี่ยวข้องทางธุรกิจ", "คู่ค้า")]


# Closing, deciding, approving, reopening ---------------------------------------------------


@pytest.fixture
def ranked(scoring, rubric, members, submissions):
    """s1 76.67; s2 and s3 tie at 65 (s2 has the higher median); quota 2."""
    m0, m1, m2 = members
    s1, s2, s3 = submissions
    give(s1, m0, rubric, (40, 20, 25))
    give(s1, m1, rubric, (35, 20, 25))
    give(s1, m2, rubric, (30, 15, 20))
    give(s2, m0, rubric, (30, 20, 20))
    give(s2, m1, rubric, (30, 10, 20))
    give(s2, m2, rubric, (25, 15, 25))
    give(s3, m0, rubric, (40, 25, 25))
    give(s3, m1, rubric, (20, 10, 20))
    give(s3, m2, rubric, (25, 10, 20))
    return scoring


def test_close_scoring_by_the_chair_moves_to_ranking(ranked, chair):
    services.close_scoring(ranked, by=chair.user)

    ranked.refresh_from_db()
    assert ranked.state == RoundState.RANKING
    assert log_for(ranked).get(action="state_changed").reason == "กรรมการส่งคะแนนแล้ว 0 จาก 3 คน"


def test_close_scoring_by_a_member_is_refused(ranked, members):
    with pytest.raises(services.SelectionError) as error:
        services.close_scoring(ranked, by=members[1].user)

    assert error.value.message == "เฉพาะประธานคณะกรรมการเท่านั้นที่ทำขั้นตอนนี้ได้"


def test_close_scoring_twice_is_refused(ranked, chair):
    services.close_scoring(ranked, by=chair.user)

    with pytest.raises(services.SelectionError) as error:
        services.close_scoring(ranked, by=chair.user)

    assert error.value.message == "ไม่ได้เปิดให้คะแนนอยู่ จึงปิดไม่ได้"


def test_approve_freezes_a_snapshot_of_the_list(ranked, chair):
    services.close_scoring(ranked, by=chair.user)

    approval = services.approve(ranked, by=chair.user)

    ranked.refresh_from_db()
    assert ranked.state == RoundState.APPROVED
    assert [(r["product_code"], r["rank"], r["score"], r["status"]) for r in approval.snapshot["rows"]] == [
        ("OTOP50S1", 1, 76.67, "selected"), ("OTOP50S2", 2, 65.0, "selected"), ("OTOP50S3", 3, 65.0, "not_selected")]
    assert len(approval.snapshot["scores"]) == 27


def test_approve_before_closing_is_refused(ranked, chair):
    with pytest.raises(services.SelectionError) as error:
        services.approve(ranked, by=chair.user)

    assert error.value.message == "อนุมัติได้เมื่อจัดอันดับแล้ว กรุณาปิดการให้คะแนนก่อน"


def test_approve_with_an_unresolved_tie_at_the_cut_is_refused(round_, rubric, members, chair):
    a = SubmissionFactory(round=round_, product__code="A")
    b = SubmissionFactory(round=round_, product__code="B")
    for member in members:
        give(a, member, rubric, (30, 15, 15))
        give(b, member, rubric, (30, 15, 15))
    round_.quota = 1
    _in_state(round_, RoundState.RANKING)

    with pytest.raises(services.SelectionError) as error:
        services.approve(round_, by=chair.user)

    assert error.value.message == "มีคะแนนเท่ากันที่เส้นตัด กรุณาตัดสินพร้อมเหตุผลก่อนอนุมัติ"


def test_tie_break_decision_by_the_chair_lets_the_list_be_approved(round_, rubric, members, chair):
    a = SubmissionFactory(round=round_, product__code="A")
    b = SubmissionFactory(round=round_, product__code="B")
    for member in members:
        give(a, member, rubric, (30, 15, 15))
        give(b, member, rubric, (30, 15, 15))
    round_.quota = 1
    _in_state(round_, RoundState.RANKING)

    services.record_decision(round_, b, kind=DecisionKind.TIE_BREAK, reason="กลุ่มมีความพร้อมมากกว่า",
                             by=chair.user)
    approval = services.approve(round_, by=chair.user)

    assert [(r["product_code"], r["status"]) for r in approval.snapshot["rows"]] == [
        ("B", "selected"), ("A", "not_selected")]


def test_record_decision_without_a_reason_is_refused(ranked, chair, submissions):
    services.close_scoring(ranked, by=chair.user)

    with pytest.raises(services.SelectionError) as error:
        services.record_decision(ranked, submissions[2], kind=DecisionKind.MOVE_IN, reason=" ", by=chair.user)

    assert error.value.message == "กรุณาระบุเหตุผลของการตัดสิน"


def test_record_decision_move_in_pushes_the_last_selected_out(ranked, chair, submissions):
    services.close_scoring(ranked, by=chair.user)

    services.record_decision(ranked, submissions[2], kind=DecisionKind.MOVE_IN, reason="ผลิตภัณฑ์มีศักยภาพส่งออก",
                             by=chair.user)
    approval = services.approve(ranked, by=chair.user)

    assert [(r["product_code"], r["status"]) for r in approval.snapshot["rows"]] == [
        ("OTOP50S1", "selected"), ("OTOP50S2", "not_selected"), ("OTOP50S3", "selected")]
    assert list(ActionLog.objects.filter(action="decision").values_list("note", "from_state", "reason")) == [
        ("ย้ายเข้ารายชื่อที่ได้รับการคัดเลือก", "ไม่ได้รับการคัดเลือก", "ผลิตภัณฑ์มีศักยภาพส่งออก")]


def test_scores_cannot_change_after_approval(ranked, chair, members, rubric, submissions):
    services.close_scoring(ranked, by=chair.user)
    services.approve(ranked, by=chair.user)

    with pytest.raises(services.SelectionError):
        services.save_score(submissions[0], members[1], rubric[0], Decimal("1"), version=1, by=members[1].user)


def test_reopen_by_the_chair_supersedes_the_approval_and_keeps_it(ranked, chair):
    services.close_scoring(ranked, by=chair.user)
    services.approve(ranked, by=chair.user)

    services.reopen(ranked, to_state=RoundState.RANKING, reason="ตรวจพบคะแนนผิด", by=chair.user)

    ranked.refresh_from_db()
    assert ranked.state == RoundState.RANKING
    assert Approval.objects.get().superseded_at is not None
    assert list(log_for(ranked).filter(action="state_changed").order_by("at", "pk").values_list("to_state", "reason"))[-1] == ("ranking", "ตรวจพบคะแนนผิด")


def test_reopen_without_a_reason_is_refused(ranked, chair):
    with pytest.raises(services.SelectionError) as error:
        services.reopen(ranked, to_state=RoundState.SCREENING, reason="", by=chair.user)

    assert error.value.message == "กรุณาระบุเหตุผลของการเปิดรอบกลับ"


def test_reopen_by_an_officer_is_refused(ranked, officer):
    with pytest.raises(services.SelectionError) as error:
        services.reopen(ranked, to_state=RoundState.SCREENING, reason="ขอแก้ไข", by=officer)

    assert error.value.message == "เฉพาะประธานคณะกรรมการเท่านั้นที่ทำขั้นตอนนี้ได้"


def test_reopen_to_a_later_state_is_refused(ranked, chair):
    with pytest.raises(services.SelectionError) as error:
        services.reopen(ranked, to_state=RoundState.APPROVED, reason="ขอแก้ไข", by=chair.user)

    assert error.value.message == "เปิดรอบกลับได้เฉพาะขั้นก่อนหน้าเท่านั้น"


def test_withdraw_decision_keeps_it_on_record(ranked, chair, submissions):
    services.close_scoring(ranked, by=chair.user)
    decision = services.record_decision(ranked, submissions[2], kind=DecisionKind.MOVE_IN, reason="ทดสอบ",
                                        by=chair.user)

    services.withdraw_decision(decision, by=chair.user)

    assert ChairDecision.objects.get().withdrawn_at is not None


# Setting up the next round -----------------------------------------------------------------


@pytest.fixture
def earlier(round_, rubric, members, secretary):
    """Round 1 with its own rules: only group D or up to 2 stars, มผช. required, one product per
    producer, a minimum of 5 scorers, ties broken by the quality criterion."""
    from producers.models import Standard

    round_.max_star_level, round_.rule_standards, round_.rule_one_per_producer = 2, True, True
    round_.registration_year_from, round_.min_scorers, round_.tie_break_criterion = 2560, 5, rubric[0]
    round_.save()
    round_.required_standards.set([Standard.objects.get_or_create(name="มผช.")[0]])
    return round_


def _next_round(committee, officer):
    return services.create_round(committee=committee, name="KBO จังหวัดเชียงใหม่ ปี 2566", fiscal_year=2566,
                                 by=officer, quota=15)


def test_copy_round_setup_copies_the_rules_the_rubric_and_the_tie_break(earlier, officer):
    new = _next_round(earlier.committee, officer)

    services.copy_round_setup(new, earlier, by=officer)

    new.refresh_from_db()
    assert [(c.name, c.max_score, c.weight, c.description, c.order) for c in new.criteria.all()] == [
        (c.name, c.max_score, c.weight, c.description, c.order) for c in earlier.criteria.all()]
    assert (new.max_star_level, new.rule_standards, new.rule_one_per_producer, new.registration_year_from,
            new.min_scorers, new.quota) == (2, True, True, 2560, 5, 15)
    assert [s.name for s in new.required_standards.all()] == ["มผช."]
    assert (new.tie_break_criterion.round_id, new.tie_break_criterion.name) == (new.pk, "คุณภาพผลิตภัณฑ์")
    assert [c.round_id for c in earlier.criteria.all()] == [earlier.pk] * 3


def test_copy_round_setup_leaves_a_row_saying_what_was_copied_from_where(earlier, officer):
    new = _next_round(earlier.committee, officer)

    services.copy_round_setup(new, earlier, by=officer)

    entry = log_for(new).first()
    assert (entry.action, entry.actor, entry.from_state) == ("settings_changed", officer,
                                                          f"KBO จังหวัดเชียงใหม่ ปี 2565 ({earlier.label})")
    assert entry.note == (
        "คัดลอกการตั้งค่าจากรอบก่อน: เงื่อนไขคุณสมบัติ การให้คะแนนและการตัดสินคะแนนเท่ากัน; "
        "เกณฑ์การให้คะแนน 3 ข้อ; คณะกรรมการชุดเดียวกัน (4 คน)")


def test_copy_round_setup_into_another_committee_adds_the_members(earlier, officer, members, secretary):
    from tests.factories import CommitteeFactory, CommitteeMemberFactory

    committee = CommitteeFactory(name="คณะกรรมการ KBO ชุดใหม่")
    CommitteeMemberFactory(committee=committee, user=members[1].user, role="member", position="ตำแหน่งใหม่")
    new = _next_round(committee, officer)

    services.copy_round_setup(new, earlier, by=officer)

    assert [(m.user.username, m.role, m.position, m.scores) for m in committee.members.order_by("user__username")] == [
        ("chair", "chair", "รองผู้ว่าราชการจังหวัดเชียงใหม่", True),
        ("member1", "member", "ตำแหน่งใหม่", True),
        ("member2", "member", members[2].position, True),
        ("secretary", "secretary", secretary.position, False)]
    assert log_for(new).first().note.endswith("เพิ่มกรรมการ 3 คนจากคณะของรอบก่อน")


def test_copy_round_setup_is_refused_from_another_province(earlier, officer):
    from tests.factories import CommitteeFactory

    lamphun = CommitteeFactory(name="คณะกรรมการ KBO ลำพูน", province_id="51")
    new = _next_round(lamphun, officer)

    with pytest.raises(services.SelectionError) as error:
        services.copy_round_setup(new, earlier, by=officer)

    assert error.value.message == "คัดลอกได้เฉพาะจากรอบของจังหวัดเดียวกัน"
    assert (new.criteria.count(), lamphun.members.count()) == (0, 0)


def test_copy_round_setup_is_refused_once_the_new_round_has_left_draft(earlier, officer):
    new = _in_state(_next_round(earlier.committee, officer), RoundState.SCREENING)

    with pytest.raises(services.SelectionError) as error:
        services.copy_round_setup(new, earlier, by=officer)

    assert error.value.message == "คัดลอกการตั้งค่าได้เฉพาะรอบที่ยังเป็นร่าง"
    assert new.criteria.count() == 0

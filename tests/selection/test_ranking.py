"""The ranking, checked against values computed by hand (see each test's comment)."""

import pytest

from selection import ranking
from selection.models import ChairDecision, Conflict, DecidingRanking, DecisionKind
from tests.factories import CriterionFactory, SubmissionFactory

from .conftest import give

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(round_, rubric, members, submissions):
    """Totals (quality 45 + marketing 25 + strength 30):
    s1: m0 85, m1 80, m2 65          → mean 76.67, median 80, sd 8.50
    s2: m0 70, m1 60, m2 conflicted  → mean 65,    median 65, sd 5.00 (m2's 100 is left out)
    s3: m0 90, m1 50, m2 55          → mean 65,    median 55, sd 17.80
    """
    m0, m1, m2 = members
    s1, s2, s3 = submissions
    give(s1, m0, rubric, (40, 20, 25))
    give(s1, m1, rubric, (35, 20, 25))
    give(s1, m2, rubric, (30, 15, 20))
    give(s2, m0, rubric, (30, 20, 20))
    give(s2, m1, rubric, (30, 10, 20))
    give(s2, m2, rubric, (45, 25, 30))
    Conflict.objects.create(submission=s2, member=m2, conflict_type="family", declared_by=m2.user)
    give(s3, m0, rubric, (40, 25, 25))
    give(s3, m1, rubric, (20, 10, 20))
    give(s3, m2, rubric, (25, 10, 20))
    return round_


def _by_code(result):
    return {row.submission.product.code: row for row in result.rows}


def test_ranking_mean_median_and_spread_are_computed_by_hand(scored):
    result = ranking.compute_ranking(scored)

    rows = _by_code(result)
    assert [(round(r.score, 2), r.median, round(r.stdev, 2), r.scorers) for r in
            (rows["OTOP50S1"], rows["OTOP50S2"], rows["OTOP50S3"])] == [
        (76.67, 80.0, 8.5, 3), (65.0, 65.0, 5.0, 2), (65.0, 55.0, 17.8, 3)]


def test_ranking_excludes_a_conflicted_members_scores(scored, members):
    result = ranking.compute_ranking(scored)

    row = _by_code(result)["OTOP50S2"]
    assert set(row.totals) == {members[0].pk, members[1].pk}
    assert row.conflicted == {members[2].pk}


def test_ranking_breaks_a_tie_at_the_cut_by_the_higher_median(scored):
    result = ranking.compute_ranking(scored)

    assert [(r.submission.product.code, r.rank, r.status, r.tie) for r in result.rows] == [
        ("OTOP50S1", 1, "selected", False), ("OTOP50S2", 2, "selected", True), ("OTOP50S3", 3, "not_selected", True)]
    assert [(c.above.submission.product.code, c.below.submission.product.code, c.resolved_by)
            for c in result.cut_ties] == [("OTOP50S2", "OTOP50S3", "median")]


def test_ranking_flags_few_scorers_and_disagreement(scored):
    result = ranking.compute_ranking(scored)

    rows = _by_code(result)
    assert [rows[c].flags for c in ("OTOP50S1", "OTOP50S2", "OTOP50S3")] == [[], ["few_scorers"], ["disagreement"]]
    assert ranking.flag_texts(rows["OTOP50S3"], scored)[0] == (
        "คะแนนของกรรมการแตกต่างกันมาก: ส่วนเบี่ยงเบนมาตรฐาน 17.80 เกินเกณฑ์ 15.00")


def test_ranking_calibration_maps_z_scores_back_to_the_grand_scale(scored):
    # All eight totals: mean 69.375, population sd 13.564. m0 mean 81.67 sd 8.50; m1 63.33 sd 12.47;
    # m2 60 sd 5. s1 → (74.70 + 87.50 + 82.94) / 3 = 81.71; s2 → (50.75 + 65.75) / 2 = 58.25;
    # s3 → (82.68 + 54.87 + 55.81) / 3 = 64.45.
    result = ranking.compute_ranking(scored)

    rows = _by_code(result)
    assert (round(result.grand_mean, 3), round(result.grand_stdev, 3)) == (69.375, 13.564)
    assert [round(rows[c].calibrated, 2) for c in ("OTOP50S1", "OTOP50S2", "OTOP50S3")] == [81.71, 58.25, 64.45]
    assert [rows[c].calibrated_rank for c in ("OTOP50S1", "OTOP50S2", "OTOP50S3")] == [1, 3, 2]
    assert [rows[c].crossed_cut for c in ("OTOP50S1", "OTOP50S2", "OTOP50S3")] == [False, True, True]


def test_ranking_by_calibrated_scores_when_the_round_says_so(scored):
    scored.deciding = DecidingRanking.CALIBRATED
    scored.save()

    result = ranking.compute_ranking(scored)

    assert [(r.submission.product.code, r.status) for r in result.rows] == [
        ("OTOP50S1", "selected"), ("OTOP50S3", "selected"), ("OTOP50S2", "not_selected")]


def test_ranking_breaks_a_tie_by_the_named_criterion_when_medians_are_equal(round_, rubric, members):
    # Both total 60 from every member; a has the higher quality mean (40 vs 30).
    round_.tie_break_criterion = rubric[0]
    round_.quota = 1
    round_.save()
    a = SubmissionFactory(round=round_, product__code="OTOP50A")
    b = SubmissionFactory(round=round_, product__code="OTOP50B")
    for member in members:
        give(a, member, rubric, (40, 10, 10))
        give(b, member, rubric, (30, 15, 15))

    result = ranking.compute_ranking(round_)

    assert [r.submission.product.code for r in result.rows] == ["OTOP50A", "OTOP50B"]
    assert [c.resolved_by for c in result.cut_ties] == ["criterion"]


def test_ranking_an_exact_tie_is_unresolved_until_the_chair_decides(round_, rubric, members):
    round_.quota = 1
    round_.save()
    a = SubmissionFactory(round=round_, product__code="OTOP50A")
    b = SubmissionFactory(round=round_, product__code="OTOP50B")
    for member in members:
        give(a, member, rubric, (30, 15, 15))
        give(b, member, rubric, (30, 15, 15))

    before = ranking.compute_ranking(round_)
    ChairDecision.objects.create(round=round_, submission=b, kind=DecisionKind.TIE_BREAK, reason="ชุมชนเข้มแข็งกว่า",
                                 decided_by=members[0].user)
    after = ranking.compute_ranking(round_)

    assert [c.resolved_by for c in before.unresolved_ties] == ["unresolved"]
    assert [(r.submission.product.code, r.status, r.tie_resolved_by) for r in after.rows] == [
        ("OTOP50B", "selected", "chair"), ("OTOP50A", "not_selected", "chair")]


def test_ranking_weights_scale_the_total_to_100(round_, members):
    # Weighted total = 100 × (3 × 8 + 1 × 10) / (3 × 10 + 1 × 20) = 100 × 34 / 50 = 68.
    quality = CriterionFactory(round=round_, max_score=10, weight=3)
    story = CriterionFactory(round=round_, max_score=20, weight=1)
    submission = SubmissionFactory(round=round_)
    give(submission, members[0], (quality, story), (8, 10))

    result = ranking.compute_ranking(round_)

    assert result.rows[0].totals == {members[0].pk: 68.0}


def test_ranking_leaves_out_a_member_who_has_not_scored_every_criterion(round_, rubric, members, submissions):
    give(submissions[0], members[0], rubric, (40, 20, 25))
    give(submissions[0], members[1], rubric[:2], (40, 20))

    result = ranking.compute_ranking(round_)

    assert _by_code(result)["OTOP50S1"].scorers == 1


def test_ranking_moves_fill_the_quota_in_order(scored, members):
    s1, s2, s3 = (_by_code(ranking.compute_ranking(scored))[c].submission for c in ("OTOP50S1", "OTOP50S2", "OTOP50S3"))
    ChairDecision.objects.create(round=scored, submission=s3, kind=DecisionKind.MOVE_IN, reason="ศักยภาพสูง",
                                 decided_by=members[0].user)

    result = ranking.compute_ranking(scored)

    assert [(r.submission.product.code, r.proposed_status, r.status) for r in result.rows] == [
        ("OTOP50S1", "selected", "selected"), ("OTOP50S2", "selected", "not_selected"),
        ("OTOP50S3", "not_selected", "selected")]


def test_ranking_tie_break_rule_is_stated_in_thai(scored, rubric):
    scored.tie_break_criterion = rubric[0]
    scored.save()

    assert ranking.tie_break_text(scored) == (
        "คะแนนเท่ากันให้เรียงลำดับโดย (1) ค่ามัธยฐานที่สูงกว่า (2) คะแนนเฉลี่ยด้าน “คุณภาพผลิตภัณฑ์” ที่สูงกว่า "
        "(3) ประธานตัดสิน โดยบันทึกเหตุผล")


def test_ranking_loads_in_a_fixed_number_of_queries(scored, django_assert_num_queries):
    with django_assert_num_queries(6):
        ranking.compute_ranking(scored)


def test_ranking_rows_with_equal_scores_share_the_rank_shown_whatever_breaks_the_tie(scored):
    # s2 and s3 both score 65: the higher median puts s2 in, and both show "=2".
    result = ranking.compute_ranking(scored)

    assert [(r.submission.product.code, r.rank_label, r.status) for r in result.rows] == [
        ("OTOP50S1", "1", "selected"), ("OTOP50S2", "=2", "selected"), ("OTOP50S3", "=2", "not_selected")]


def test_ranking_an_exact_tie_shares_its_rank_before_and_after_the_chair_decides(round_, rubric, members):
    # a totals 80; b and c total 60 from every member (equal medians too); d totals 50.
    round_.quota = 2
    round_.save()
    a, b, c, d = (SubmissionFactory(round=round_, product__code=f"OTOP50{x}") for x in "ABCD")
    for member in members:
        give(a, member, rubric, (40, 20, 20))
        give(b, member, rubric, (30, 15, 15))
        give(c, member, rubric, (30, 15, 15))
        give(d, member, rubric, (25, 10, 15))

    before = ranking.compute_ranking(round_)
    ChairDecision.objects.create(round=round_, submission=c, kind=DecisionKind.TIE_BREAK, reason="ชุมชนเข้มแข็งกว่า",
                                 decided_by=members[0].user)
    after = ranking.compute_ranking(round_)

    assert [(r.submission.product.code, r.rank_label) for r in before.rows] == [
        ("OTOP50A", "1"), ("OTOP50B", "=2"), ("OTOP50C", "=2"), ("OTOP50D", "4")]
    assert [(r.submission.product.code, r.rank_label, r.status) for r in after.rows] == [
        ("OTOP50A", "1", "selected"), ("OTOP50C", "=2", "selected"), ("OTOP50B", "=2", "not_selected"),
        ("OTOP50D", "4", "not_selected")]

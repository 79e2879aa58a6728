"""The scoring page's post read by one form (selection.forms.ScoreEntriesForm) and every total
computed by one function (selection.ranking.weighted_total): the total a member sees under the
sheet is the one the ranking counts."""

import pytest

from selection import ranking
from selection.forms import ScoreEntriesForm

from .conftest import give

pytestmark = pytest.mark.django_db


def _read(rubric, data):
    form = ScoreEntriesForm(data, criteria=rubric)
    assert form.is_valid()
    return form.entries, form.comment_entry


def test_only_the_fields_posted_are_read_in_the_rubrics_order(rubric):
    quality, marketing, strength = rubric
    entries, comment = _read(rubric, {f"value_{strength.pk}": "๒๕", f"version_{strength.pk}": "3",
                                      f"value_{quality.pk}": "40.5"})

    assert [(e["criterion"], e["value"], e["version"]) for e in entries] == [
        (quality, pytest.approx(40.5), 0), (strength, 25, 3)]
    assert comment is None


def test_a_value_that_does_not_parse_is_that_entrys_error_and_the_others_are_kept(rubric):
    quality, marketing, _ = rubric
    entries, _comment = _read(rubric, {f"value_{quality.pk}": "99", f"value_{marketing.pk}": "20"})

    assert entries[0] == {"criterion": quality, "error": "กรุณาใส่คะแนน 0 ถึง 45"}
    assert (entries[1]["criterion"], entries[1]["value"]) == (marketing, 20)


@pytest.mark.parametrize("version", ["", "abc", "1e9999", "-", "๒"])
def test_an_unreadable_version_reads_as_none_yet_never_as_an_error(rubric, version):
    quality = rubric[0]
    entries, comment = _read(rubric, {f"value_{quality.pk}": "10", f"version_{quality.pk}": version,
                                      "comment": " ดีมาก ", "comment_version": version})

    assert entries[0]["version"] == (2 if version == "๒" else 0)
    assert comment == {"text": " ดีมาก ", "version": 2 if version == "๒" else 0}


def test_the_members_total_is_the_rankings_total(round_, rubric, members, submissions):
    member, submission = members[0], submissions[0]
    give(submission, member, rubric, (40, 20, 25))  # 85 of 100 with weights 1

    assert ranking.member_total(member, submission, rubric) == pytest.approx(85)
    assert ranking.compute_ranking(round_).rows[0].submission == submission
    assert ranking.weighted_total(rubric, {rubric[0].pk: 40}) is None
    assert ranking.weighted_total([], {}) is None

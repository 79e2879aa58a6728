"""A score typed in Thai digits is read as the number it is, by the same field as the form
(selection.forms.parse_score), as every registry field reads them (issue 9, field data)."""

import decimal

import pytest
from django.utils import translation

from selection.forms import parse_score
from tests.factories import CriterionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("typed", "expected"), [("๘๕", decimal.Decimal("85")), ("๔๒.๕", decimal.Decimal("42.5")),
                                                 ("85", decimal.Decimal("85"))])
def test_score_in_thai_digits_is_read_as_digits(typed, expected):
    assert parse_score(CriterionFactory(max_score=100), typed) == (expected, None)


def test_score_in_thai_digits_over_the_maximum_is_refused_in_thai():
    with translation.override("th"):
        value, message = parse_score(CriterionFactory(max_score=45), "๕๐")

    assert (value, message) == (None, "กรุณาใส่คะแนน 0 ถึง 45")

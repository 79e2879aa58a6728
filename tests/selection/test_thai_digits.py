"""Thai digits are digits in selection too, as in every registry field (issue 9, field data): a
score typed in Thai digits (selection.forms.parse_score) and product codes pasted in them."""

import decimal

import pytest
from django.utils import translation

from selection import services
from selection.forms import parse_score
from tests.factories import CriterionFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("typed", "expected"), [("๘๕", decimal.Decimal("85")), ("๔๒.๕", decimal.Decimal("42.5")),
                                                 ("85", decimal.Decimal("85"))])
def test_score_in_thai_digits_is_read_as_digits(typed, expected):
    assert parse_score(CriterionFactory(max_score=100), typed) == (expected, None)


def test_score_in_thai_digits_over_the_maximum_is_refused_in_thai():
    with translation.override("th"):
        value, message = parse_score(CriterionFactory(max_score=45), "๕๐")

    assert (value, message) == (None, "กรุณาใส่คะแนน 0 ถึง 45")


def test_product_codes_pasted_in_thai_digits_or_with_bidi_marks_are_found(round_):
    ProductFactory(code="OTOP50001")
    ProductFactory(code="OTOP50002")
    officer = UserFactory(username="digits-officer", groups=["officer"])

    result = services.add_submissions_by_codes(round_, "OTOP๕๐๐๐๑\n\u200fOTOP50002\u200f, OTOP๙๙", by=officer)

    assert result == (["OTOP50001", "OTOP50002"], [], ["OTOP99"])

"""Fuzz (hypothesis): random cells thrown at the registry import never raise anything but the
documented refusals, and what is written is exactly what the report counts."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from producers.importing import COLUMNS, ImportFailed, WorkbookRefused, import_registry
from producers.models import Producer, Product
from tests.factories import chiang_mai
from tests.producers.workbooks import product_row, registry_sheet, xlsx

FIELDS = [column.key for column in COLUMNS]
# What a person can type or paste into a cell, and what Excel stores for it.
CELLS = st.one_of(
    st.none(),
    # Control characters cannot be stored in an .xlsx at all.
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=60),
    st.text(alphabet="0123456789 ,.-=+@๐๑๒๓๔๕๖๗๘๙", max_size=12),
    st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=datetime.date(1900, 1, 1)),
    st.booleans(),
)
ROWS = st.lists(
    st.tuples(st.integers(min_value=1, max_value=3), st.dictionaries(st.sampled_from(FIELDS), CELLS, max_size=4)),
    min_size=1, max_size=4)
FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])


def _registry():
    return (list(Producer.objects.order_by("pk").values_list()), list(Product.objects.order_by("pk").values_list()))


@pytest.mark.django_db
@FUZZ
@given(rows=ROWS)
def test_import_random_cells_refuse_or_write_what_the_report_counts(rows):
    table = registry_sheet([product_row(**{"product_code": f"OTOP-FUZZ-{n}", **cells}) for n, cells in rows])
    before = _registry()

    try:
        report = import_registry(xlsx(table), province=chiang_mai())
    except (WorkbookRefused, ImportFailed):
        assert _registry() == before
        return

    assert (Producer.objects.count(), Product.objects.count()) == (
        len(before[0]) + report.producers.created, len(before[1]) + report.products.created)
    if report.errors and not (report.producers.created or report.products.created
                              or report.producers.updated or report.products.updated):
        assert _registry() == before


@pytest.fixture
def scoring_member(db):
    from selection.models import RoundState
    from tests.factories import (CommitteeFactory, CommitteeMemberFactory, CriterionFactory, SelectionRoundFactory,
                                 SubmissionFactory, UserFactory)

    committee = CommitteeFactory()
    member = CommitteeMemberFactory(committee=committee, order=1, user=UserFactory(username="member-fuzz"))
    selection_round = SelectionRoundFactory(committee=committee, state=RoundState.SCORING)
    criteria = [CriterionFactory(round=selection_round, name=f"เกณฑ์ {n}", max_score=top, order=n)
                for n, top in enumerate((45, 25))]
    submission = SubmissionFactory(round=selection_round)
    return member, criteria, submission


POST_KEYS = st.sampled_from(["value_{0}", "version_{0}", "value_{1}", "version_{1}", "comment", "comment_version",
                             "value_999999", "version_x", "csrfmiddlewaretoken"])
POST_VALUES = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30),
    st.integers(min_value=-10**20, max_value=10**20).map(str),
    st.floats().map(str),
    st.sampled_from(["", "0", "25", "25.5", "45", "1e3", "NaN", "-0", "๓๐", "1,5", "0x10", "' OR 1=1 --"]),
)


@pytest.mark.django_db
@FUZZ
@given(post=st.dictionaries(POST_KEYS, POST_VALUES, max_size=6))
def test_scoring_save_random_posts_never_fail_and_store_only_valid_scores(scoring_member, post):
    from django.test import Client
    from django.urls import reverse

    from selection.models import Score

    member, criteria, submission = scoring_member
    client = Client()
    client.force_login(member.user)
    data = {key.format(*(c.pk for c in criteria)): value for key, value in post.items()}

    response = client.post(reverse("selection:score_save", kwargs={"pk": submission.round_id, "sid": submission.pk}),
                           data, HTTP_HX_REQUEST="true")

    assert response.status_code < 500
    for score in Score.objects.all():
        assert score.value is None or 0 <= score.value <= score.criterion.max_score
        assert score.version >= 1


def test_scoring_save_fuzz_arrangement_reaches_the_save(scoring_member, client):
    """The fuzz above is only worth something if a good post from this member is saved."""
    from django.urls import reverse

    from selection.models import Score

    member, criteria, submission = scoring_member
    client.force_login(member.user)

    response = client.post(reverse("selection:score_save", kwargs={"pk": submission.round_id, "sid": submission.pk}),
                           {f"value_{criteria[1].pk}": "20", f"version_{criteria[1].pk}": "0"}, HTTP_HX_REQUEST="true")

    assert (response.status_code, list(Score.objects.values_list("value", flat=True))) == (200, [20])

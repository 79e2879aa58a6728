"""Two devices of one member saving the same score at the same moment (PostgreSQL only):
one save wins, the other is refused with a message; nothing is lost or duplicated."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from selection import services
from selection.models import RoundState, Score

from .conftest import give  # noqa: F401  (fixtures below come from conftest)

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions"),
]


def _race(*saves):
    """Run the saves in threads released together; returns each one's value or error."""
    barrier = threading.Barrier(len(saves))
    outcomes = [None] * len(saves)

    def run(i, save):
        try:
            barrier.wait()
            outcomes[i] = save()
        except services.SelectionError as error:
            outcomes[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, save)) for i, save in enumerate(saves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def scoring(round_, rubric, members, submissions):
    round_.state = RoundState.SCORING
    round_.save()
    return round_


def test_two_stale_saves_of_one_score_keep_one_and_refuse_the_other(scoring, rubric, members, submissions):
    member, criterion, submission = members[1], rubric[0], submissions[0]
    services.save_score(submission, member, criterion, Decimal("30"), version=0, by=member.user)

    outcomes = _race(
        lambda: services.save_score(submission, member, criterion, Decimal("40"), version=1, by=member.user),
        lambda: services.save_score(submission, member, criterion, Decimal("41"), version=1, by=member.user),
    )

    stored = Score.objects.get()
    saved = [o for o in outcomes if isinstance(o, Score)]
    refused = [o for o in outcomes if isinstance(o, services.StaleScoreError)]
    assert (len(saved), len(refused)) == (1, 1)
    assert (stored.value, stored.version) == (saved[0].value, 2)
    assert refused[0].current.value == stored.value


def test_two_first_saves_of_one_score_create_a_single_row(scoring, rubric, members, submissions):
    member, criterion, submission = members[1], rubric[0], submissions[0]

    outcomes = _race(
        lambda: services.save_score(submission, member, criterion, Decimal("40"), version=0, by=member.user),
        lambda: services.save_score(submission, member, criterion, Decimal("35"), version=0, by=member.user),
    )

    assert Score.objects.count() == 1
    assert sorted(type(o).__name__ for o in outcomes) == ["Score", "StaleScoreError"]


def test_a_double_click_saving_the_same_value_twice_is_not_an_error(scoring, rubric, members, submissions):
    member, criterion, submission = members[1], rubric[0], submissions[0]

    outcomes = _race(
        lambda: services.save_score(submission, member, criterion, Decimal("40"), version=0, by=member.user),
        lambda: services.save_score(submission, member, criterion, Decimal("40"), version=0, by=member.user),
    )

    assert [type(o).__name__ for o in outcomes] == ["Score", "Score"]
    assert list(Score.objects.values_list("value", "version")) == [(Decimal("40.0"), 1)]


def test_one_offline_save_sent_twice_at_once_is_stored_once_and_both_get_its_answer(scoring, rubric, members,
                                                                                     submissions):
    """The phone sent a save, lost the answer and sent it again while the first was still being
    saved: the second waits for the first and gets its answer (selection.services.save_entries_once)."""
    import uuid

    from kbo_site.models import Action, ActionLog
    from selection.models import ScoreSaveKey

    member, criterion, submission = members[1], rubric[0], submissions[0]
    entries, key = [{"criterion": criterion, "value": Decimal("40"), "version": 0}], uuid.uuid4()

    outcomes = _race(*[lambda: services.save_entries_once(submission, member, entries, key=key, by=member.user)] * 2)

    answers, replayed = [o[0] for o in outcomes], sorted(o[1] for o in outcomes)
    assert answers[0] == answers[1]
    assert replayed == [False, True]
    assert list(Score.objects.values_list("value", "version")) == [(Decimal("40"), 1)]
    assert ActionLog.objects.filter(action=Action.SCORE_SAVED).count() == 1
    assert ScoreSaveKey.objects.count() == 1

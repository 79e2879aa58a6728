"""Arrangements for chained and national rounds: a round run to approval through the services,
as its officers, members and chair would run it (only the scores are stored directly)."""

from decimal import Decimal

from selection import services
from selection.models import CommitteeRole, Criterion, Score
from tests.factories import CommitteeFactory, CommitteeMemberFactory, UserFactory


def committee_with(name, *, province="50", chair, members=(), secretary=None):
    """A committee (province None: national) with a scoring chair, scoring members and a
    non-scoring secretary, all Users given."""
    committee = CommitteeFactory(name=name, province_id=province)
    scorers = [CommitteeMemberFactory(committee=committee, user=chair, role=CommitteeRole.CHAIR, order=0)]
    scorers += [CommitteeMemberFactory(committee=committee, user=user, order=i + 1) for i, user in enumerate(members)]
    if secretary is not None:
        CommitteeMemberFactory(committee=committee, user=secretary, role=CommitteeRole.SECRETARY, scores=False,
                               order=99)
    return committee, scorers


def run_to_approval(round, *, officer, scorers, totals, products=None, source=None):
    """Enter the products (from the registry, or the source round's selection), screen, open,
    score (each scorer gives totals[code] on the round's one 0–100 criterion, unless the round
    has a rubric already), submit, close and approve. Returns the Approval."""
    if source is not None:
        services.take_entries_from(round, source, by=officer)
    for product in products or ():
        services.add_submission(round, product, by=officer)
    if not round.criteria.exists():
        services.set_rubric(round, [{"name": "คะแนนรวม", "max_score": 100}], by=officer)
    services.screen_round(round, by=officer)
    services.open_scoring(round, by=officer)
    criteria = list(Criterion.objects.filter(round=round))
    for submission in round.submissions.filter(eligible=True).select_related("product"):
        for member in scorers:
            for criterion in criteria:
                value = Decimal(str(totals[submission.product.code])) * criterion.max_score / 100
                Score.objects.create(submission=submission, member=member, criterion=criterion,
                                     value=value.quantize(Decimal("0.1")), max_score=criterion.max_score)
    for member in scorers:
        services.submit_scores(round, member, by=member.user)
    chair = scorers[0].user
    services.close_scoring(round, by=chair)
    return services.approve(round, by=chair)


def user(username, **kwargs):
    return UserFactory(username=username, **kwargs)

"""Round 1/2565 for the demo, built on the demo registry from a fixed seed.

Called by `manage.py build_demo` for the stages after `registry`:
- screened: the committee of 9, the round, its rubric, 42 submissions screened (5 fail, each
  for a different reason);
- scored:   scoring open, two declared conflicts, every scoring member's scores (one harsh
  and one lenient scorer), all submitted; a tie at the cut line that the median breaks;
- selected: the chair closes scoring and approves 20 selected and 3 reserves.

Workflow steps go through selection.services, like a person would; only the 888 individual
scores are written in bulk (with their audit rows) to keep the build quick.
"""

from decimal import Decimal
from fractions import Fraction

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from kbo_site.models import Action, ActionLog
from producers.models import Classification, Product, ProducerType

from . import ranking, services
from .models import (
    Committee,
    CommitteeMember,
    CommitteeRole,
    Conflict,
    ConflictType,
    Criterion,
    Score,
    ScoreSheet,
    SelectionRound,
    Submission,
)

COMMITTEE_NAME = "คณะกรรมการเครือข่ายองค์ความรู้ (Knowledge-Based OTOP : KBO) จังหวัดเชียงใหม่"
ROUND_NAME = "KBO จังหวัดเชียงใหม่ ปี 2565"
SUBMITTED = 42
ELIGIBLE = 37
RUBRIC = (
    ("คุณภาพผลิตภัณฑ์", 45, "มาตรฐาน ความปลอดภัย ความสม่ำเสมอของคุณภาพ และบรรจุภัณฑ์"),
    ("การตลาดและเรื่องราวของผลิตภัณฑ์", 25, "ช่องทางจำหน่าย ยอดขาย และเรื่องราว (story) ของผลิตภัณฑ์"),
    ("ความเข้มแข็งของผู้ผลิตและชุมชน", 30, "การบริหารกลุ่ม การมีส่วนร่วมของสมาชิก และประโยชน์ต่อชุมชน"),
)
# Index in users["committee"] of the harsh and the lenient scorer, and their bias in points.
HARSH, LENIENT = 3, 5
BIAS = {HARSH: -11.0, LENIENT: 9.0}
CONFLICTS = (
    (2, ConflictType.FAMILY, "ญาติของกรรมการเป็นประธานกลุ่ม"),
    (6, ConflictType.SAME_GROUP, "กรรมการเป็นสมาชิกกลุ่มผู้ผลิตในชุมชนเดียวกัน"),
)


def build(rng, *, stage, users):
    officer, chair = users["officer"], users["committee"][0]
    round, members = _round(users, officer)
    _submit_and_screen(rng, round, officer)
    _photos_and_descriptions(round, officer)
    if stage == "screened":
        return round
    services.open_scoring(round, by=officer)
    _score(rng, round, members)
    if stage == "scored":
        return round
    services.close_scoring(round, by=chair)
    services.approve(round, by=chair)
    return round


def _round(users, officer):
    committee = Committee.objects.create(name=COMMITTEE_NAME)
    positions = users["positions"]
    members = []
    for index, user in enumerate(users["committee"]):
        role = CommitteeRole.CHAIR if index == 0 else CommitteeRole.SECRETARY if index == 8 else CommitteeRole.MEMBER
        members.append(CommitteeMember.objects.create(
            committee=committee, user=user, role=role, position=positions.get(user.pk, ""),
            scores=role != CommitteeRole.SECRETARY, order=index + 1))
    round = services.create_round(
        committee=committee, name=ROUND_NAME, fiscal_year=2565, number=1, by=officer, quota=20, reserves=3,
        min_scorers=5, disagreement_threshold=Decimal("7"))
    services.set_rubric(round, [{"name": n, "max_score": m, "description": d} for n, m, d in RUBRIC], by=officer)
    quality = round.criteria.get(name=RUBRIC[0][0])
    services.update_settings(round, by=officer, changes={"tie_break_median": True, "tie_break_criterion": quality})
    return SelectionRound.objects.get(pk=round.pk), members


def _pick(rng, queryset, count, taken):
    pks = sorted(set(queryset.values_list("pk", flat=True)) - taken)
    chosen = rng.sample(pks, count)
    taken.update(chosen)
    return chosen


def _submit_and_screen(rng, round, officer):
    """37 eligible products and 5 that each fail a different way."""
    taken = set()
    low = Q(classification=Classification.D) | Q(star_level__gte=1, star_level__lte=3)
    group = Q(producer__producer_type=ProducerType.COMMUNITY_GROUP)
    # One product per producer among the eligible ones, so the list reads like a real call.
    first_of_producer = {}
    for pk, producer_id in Product.objects.filter(group & low).order_by("pk").values_list("pk", "producer_id"):
        first_of_producer.setdefault(producer_id, pk)
    chosen = _pick(rng, Product.objects.filter(pk__in=first_of_producer.values()), ELIGIBLE, taken)
    failing = [
        Product.objects.filter(low, producer__producer_type=ProducerType.SINGLE_OWNER),
        Product.objects.filter(low, producer__producer_type=ProducerType.SME),
        Product.objects.filter(group, classification=Classification.B, star_level=4),
        Product.objects.filter(group, classification=Classification.A, star_level=5),
        Product.objects.filter(group, classification=Classification.C, star_level__isnull=True),
    ]
    for queryset in failing:
        chosen += _pick(rng, queryset, 1, taken)
    rng.shuffle(chosen)
    codes = Product.objects.filter(pk__in=chosen).values_list("code", flat=True)
    services.add_submissions_by_codes(round, "\n".join(codes), by=officer)
    services.screen_round(round, by=officer)


# Entries of the round given a photo and a description (producers.demo_photos): enough for the
# scoring page to show what it shows with real data, few enough to keep the build quick.
WITH_PHOTOS = 8


def _photos_and_descriptions(round, officer):
    from producers import demo_photos

    entries = list(round.submissions.filter(eligible=True).select_related("product").order_by("product__code"))
    demo_photos.add([entry.product for entry in entries[:WITH_PHOTOS]], by=officer)
    for entry in entries[WITH_PHOTOS:]:
        entry.product.description = demo_photos.description(entry.product)
    Product.objects.bulk_update([entry.product for entry in entries[WITH_PHOTOS:]], ["description"])


def _clip(value, top):
    return max(0, min(top, round(value)))


def _sheet(rng, quality, bias, criteria):
    """A member's scores for one submission: the submission's quality, the member's bias, noise."""
    values = []
    for criterion in criteria:
        share = (quality + bias + rng.gauss(0, 4.5)) / 100
        values.append(Decimal(_clip(share * criterion.max_score, criterion.max_score)))
    return values


def _score(rng, round, members):
    criteria = list(Criterion.objects.filter(round=round))
    scorers = [m for m in members if m.scores]
    submissions = list(round.submissions.filter(eligible=True).select_related("product").order_by("product__code"))
    quality = {s.pk: min(92.0, max(45.0, rng.gauss(71, 9))) for s in submissions}
    bias = {m.pk: BIAS.get(i, rng.gauss(0, 2)) for i, m in enumerate(members)}
    # Conflicts are declared on strong submissions, far from the cut line.
    strongest = sorted(submissions, key=lambda s: -quality[s.pk])[:6]
    for (index, kind, note), submission in zip(CONFLICTS, rng.sample(strongest, len(CONFLICTS))):
        services.declare_conflict(submission, members[index], conflict_type=kind, note=note, by=members[index].user)
    conflicted = set(Conflict.objects.filter(submission__round=round).values_list("submission_id", "member_id"))

    sheets = {}
    for submission in submissions:
        for member in scorers:
            if (submission.pk, member.pk) not in conflicted:
                sheets[(submission.pk, member.pk)] = _sheet(rng, quality[submission.pk], bias[member.pk], criteria)
    _make_cut_tie(round, criteria, scorers, submissions, sheets, conflicted)

    Score.objects.bulk_create(
        Score(submission_id=s, member_id=m, criterion=c, value=v, max_score=c.max_score)
        for (s, m), values in sheets.items() for c, v in zip(criteria, values))
    names = {m.pk: m for m in scorers}
    codes = dict(Submission.objects.filter(round=round).values_list("pk", "product__code"))
    round_type = ContentType.objects.get_for_model(round)
    ActionLog.objects.bulk_create(
        ActionLog(content_type=round_type, object_id=round.pk, action=Action.SCORE_SAVED,
                  actor=names[m].user, subject=names[m].user, detail={"about": codes[s], "submission": s},
                  note=f"{names[m].full_name} · {c.name}", to_state=str(v))
        for (s, m), values in sheets.items() for c, v in zip(criteria, values))
    for member in scorers:
        ScoreSheet.objects.get_or_create(round=round, member=member)
        services.submit_scores(round, member, by=member.user)


def _totals(sheets, submission_id, scorers):
    return {m.pk: sum(sheets[(submission_id, m.pk)]) for m in scorers if (submission_id, m.pk) in sheets}


def _make_cut_tie(round, criteria, scorers, submissions, sheets, conflicted):
    """Make every mean distinct, then give the 21st submission the 20th's mean with a lower
    median, so that the stated rule (the higher median) decides the cut, and nothing else ties."""
    def mean(submission_id):
        totals = _totals(sheets, submission_id, scorers)
        return Fraction(int(sum(totals.values())), len(totals))

    seen = set()
    for submission in sorted(submissions, key=lambda s: s.product.code):
        member_ids = sorted(m for (sid, m) in sheets if sid == submission.pk)
        # Try totals one point lower, one higher, two lower, … until the mean is free.
        deltas = (d for n in range(1, 50) for d in (-n, n))
        original = {m: list(sheets[(submission.pk, m)]) for m in member_ids}
        while mean(submission.pk) in seen:
            delta = next(deltas)
            for m in member_ids:
                sheets[(submission.pk, m)] = list(original[m])
            for i in range(abs(delta)):
                _shift(sheets[(submission.pk, member_ids[i % len(member_ids)])], criteria, 1 if delta > 0 else -1)
        seen.add(mean(submission.pk))

    order = sorted(submissions, key=lambda s: -mean(s.pk))
    above, below = order[round.quota - 1], order[round.quota]
    if any((s.pk, m.pk) in conflicted for s in (above, below) for m in scorers):
        raise ValueError("a conflict sits at the cut line; change the demo seed")
    for member in scorers:
        sheets[(below.pk, member.pk)] = list(sheets[(above.pk, member.pk)])
    # Lower every total up to the middle by one point and give those points to the totals above
    # it: the mean stays, the median drops by at least one point.
    totals = sorted(_totals(sheets, below.pk, scorers).items(), key=lambda item: item[1])
    lower, upper = totals[:len(totals) // 2 + 1], totals[len(totals) // 2 + 1:]
    for member_id, _total in lower:
        _shift(sheets[(below.pk, member_id)], criteria, -1)
    for i in range(len(lower)):
        _shift(sheets[(below.pk, upper[i % len(upper)][0])], criteria, +1)


def _shift(values, criteria, points):
    """Move a sheet's total by `points`, on the criteria that have room."""
    for i, criterion in enumerate(criteria):
        room = (criterion.max_score - values[i]) if points > 0 else values[i]
        step = min(abs(points), int(room))
        values[i] += step if points > 0 else -step
        points += -step if points > 0 else step
        if points == 0:
            return
    raise ValueError("no room to shift the scores")


def cut_tie(round):
    """The demo's tie at the cut line, as the ranking sees it (for tests and the README)."""
    return ranking.compute_ranking(round).cut_ties

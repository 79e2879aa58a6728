"""The ranking of a round: scores, spread, flags, calibration, tie-breaks and the cut.

`load(round)` reads everything in a fixed number of queries; `compute(data)` is plain Python.

- A member's weighted total for a submission is 100 × Σ(weight × score) / Σ(weight × max),
  counted only when the member scored every criterion and has no conflict with it.
- A submission's score is the mean of those totals; the median and the population standard
  deviation are shown beside it.
- Calibration: each member's totals become z-scores over the submissions that member scored,
  mapped back to 0–100 with the mean and standard deviation of all totals (clipped to 0–100).
- Order: the deciding score, then the round's tie-break steps (higher median, then the higher
  mean on a named criterion), then the chair's recorded decision. Rows that still compare
  equal are an unresolved exact tie.
- The cut: moved-in submissions are selected, moved-out ones are not; the remaining slots
  are filled in order, the reserves follow.
- The rank shown: rows with exactly equal deciding scores share the place of the first of
  them ("=20", "=20", then 22), whatever step then orders them for the cut.
"""

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import FloatField
from django.db.models.functions import Cast

from django.utils import translation
from django.utils.translation import gettext as _

from kbo_site.i18n import reader_language

from .models import ChairDecision, CommitteeMember, Conflict, DecidingRanking, DecisionKind, Score

SELECTED = "selected"
RESERVE = "reserve"
NOT_SELECTED = "not_selected"
# Scores are compared at this many decimals, so 80.0000000001 and 80 are a tie.
PRECISION = 6
FEW_SCORERS = "few_scorers"
DISAGREEMENT = "disagreement"
# Which step decided a tie at a cut line.
BY_MEDIAN = "median"
BY_CRITERION = "criterion"
BY_CHAIR = "chair"
UNRESOLVED = "unresolved"


@dataclass
class RoundData:
    round: object
    criteria: list
    members: list
    submissions: list
    scores: list  # (submission_id, member_id, criterion_id, value)
    conflicts: set  # (submission_id, member_id)
    decisions: list


@dataclass
class Row:
    submission: object
    totals: dict = field(default_factory=dict)  # member_id -> weighted total (0–100)
    calibrated_totals: dict = field(default_factory=dict)
    conflicted: set = field(default_factory=set)  # member ids
    criterion_means: dict = field(default_factory=dict)  # criterion_id -> mean raw score
    score: float | None = None
    median: float | None = None
    stdev: float | None = None
    calibrated: float | None = None
    flags: list = field(default_factory=list)
    rank: int = 0  # the row's place in the order (tie-breaks applied)
    shared_rank: int = 0  # the rank shown: rows with exactly equal scores share the best place
    tie: bool = False  # shares its deciding score with another row
    tie_at_cut: bool = False
    tie_resolved_by: str | None = None
    status: str = NOT_SELECTED
    proposed_status: str = NOT_SELECTED
    moved: str | None = None  # "in" / "out"
    decisions: list = field(default_factory=list)
    raw_rank: int = 0
    calibrated_rank: int = 0
    raw_status: str = NOT_SELECTED
    calibrated_status: str = NOT_SELECTED

    @property
    def scorers(self):
        return len(self.totals)

    @property
    def pk(self):
        return self.submission.pk

    @property
    def rank_label(self):
        """"=20" for each row of an exact tie for 20th place, "21" otherwise. The tie-break
        still orders the rows and decides who is in; only the number shown is shared."""
        return f"={self.shared_rank}" if self.tie else str(self.shared_rank)

    @property
    def crossed_cut(self):
        """Whether the other ranking (raw vs calibrated) puts this row on the other side of the cut."""
        return (self.raw_status == SELECTED) != (self.calibrated_status == SELECTED)


@dataclass
class MemberSpread:
    member: object
    count: int
    mean: float | None
    stdev: float | None


@dataclass
class CutLine:
    position: str  # SELECTED (the quota line) or RESERVE (the end of the reserves)
    above: Row
    below: Row
    resolved_by: str  # BY_MEDIAN, BY_CRITERION, BY_CHAIR or UNRESOLVED


@dataclass
class Ranking:
    round: object
    rows: list
    criteria: list
    members: list
    deciding: str
    tie_break_rule: str
    grand_mean: float | None
    grand_stdev: float | None
    member_spreads: list
    cut_ties: list  # CutLine where the two rows share the deciding score

    @property
    def reader_tie_break_rule(self):
        """tie_break_rule (Thai, for the record and the exports) in the reader's language."""
        return tie_break_text(self.round, self.criteria, language=reader_language())

    @property
    def selected(self):
        return [r for r in self.rows if r.status == SELECTED]

    @property
    def reserves(self):
        return [r for r in self.rows if r.status == RESERVE]

    @property
    def unresolved_ties(self):
        return [c for c in self.cut_ties if c.resolved_by == UNRESOLVED]

    @property
    def calibrated_order(self):
        return sorted(self.rows, key=lambda r: r.calibrated_rank)

    def row_for(self, submission_id):
        return next((r for r in self.rows if r.pk == submission_id), None)


def load(round):
    """Everything the ranking needs, in six queries whatever the round's size."""
    criteria = list(round.criteria.all())
    members = list(CommitteeMember.objects.filter(committee_id=round.committee_id, scores=True)
                   .select_related("user"))
    submissions = list(round.submissions.filter(eligible=True)
                       .select_related("product__producer__district", "product__producer__province")
                       .order_by("product__code"))
    # As floats from the database: converting 18,000 Decimals costs more than the ranking itself.
    scores = list(Score.objects.filter(submission__round=round, submission__eligible=True, value__isnull=False)
                  .order_by().annotate(number=Cast("value", FloatField()))
                  .values_list("submission_id", "member_id", "criterion_id", "number"))
    conflicts = set(Conflict.objects.filter(submission__round=round).order_by()
                    .values_list("submission_id", "member_id"))
    decisions = list(ChairDecision.objects.filter(round=round, withdrawn_at__isnull=True)
                     .select_related("decided_by").order_by("decided_at", "pk"))
    return RoundData(round, criteria, members, submissions, scores, conflicts, decisions)


def compute_ranking(round):
    return compute(load(round))


def _r(value):
    return None if value is None else round(value, PRECISION)


def _pstdev(values, mean):
    """Population standard deviation in plain floats (statistics.pstdev is exact but slow)."""
    return math.sqrt(sum((x - mean) ** 2 for x in values) / len(values))


def weighted_total(criteria, values):
    """A sheet's total out of 100: each criterion's value times its weight, over the weighted
    maxima. `values` is {criterion_id: value}; None unless every criterion has a value."""
    criteria = list(criteria)
    denominator = sum(float(c.weight) * c.max_score for c in criteria)
    if not criteria or not denominator or any(values.get(c.pk) is None for c in criteria):
        return None
    return 100 * sum(float(c.weight) * float(values[c.pk]) for c in criteria) / denominator


def member_total(member, submission, criteria):
    """One member's total for one submission, as the ranking counts it (None until complete)."""
    values = dict(Score.objects.filter(member=member, submission=submission, value__isnull=False)
                  .values_list("criterion_id", "value"))
    return weighted_total(criteria, values)


def _totals(data):
    """{submission_id: {member_id: total}} and {submission_id: {criterion_id: mean}}, over the
    sheets that are complete (every criterion scored) and not conflicted."""
    weights = {c.pk: float(c.weight) for c in data.criteria}
    scoring_members = {m.pk for m in data.members}
    sheets = defaultdict(dict)
    for submission_id, member_id, criterion_id, value in data.scores:
        if member_id in scoring_members and criterion_id in weights:
            sheets[submission_id, member_id][criterion_id] = value
    totals = defaultdict(dict)
    criterion_sums = defaultdict(lambda: dict.fromkeys(weights, 0.0))
    counts = defaultdict(int)
    needed = len(weights)
    for (submission_id, member_id), values in sheets.items():
        total = weighted_total(data.criteria, values)
        if len(values) != needed or total is None or (submission_id, member_id) in data.conflicts:
            continue
        totals[submission_id][member_id] = total
        sums = criterion_sums[submission_id]
        for criterion_id, value in values.items():
            sums[criterion_id] += value
        counts[submission_id] += 1
    means = {s: {c: total / counts[s] for c, total in sums.items()} for s, sums in criterion_sums.items()}
    return totals, means


def _calibrate(totals):
    """{submission_id: {member_id: calibrated total}}, the grand mean and stdev, and each member's spread."""
    by_member = defaultdict(list)
    for per_member in totals.values():
        for member_id, total in per_member.items():
            by_member[member_id].append(total)
    everything = [t for values in by_member.values() for t in values]
    if not everything:
        return {}, None, None, {}
    grand_mean = sum(everything) / len(everything)
    grand_stdev = _pstdev(everything, grand_mean)
    spreads = {}
    for member_id, values in by_member.items():
        mean = sum(values) / len(values)
        spreads[member_id] = (len(values), mean, _pstdev(values, mean))
    calibrated = {}
    for submission_id, per_member in totals.items():
        out = calibrated[submission_id] = {}
        for member_id, total in per_member.items():
            _count, mean, stdev = spreads[member_id]
            z = (total - mean) / stdev if stdev > 0 else 0.0
            out[member_id] = min(100.0, max(0.0, grand_mean + z * grand_stdev))
    return calibrated, grand_mean, grand_stdev, spreads


def tie_break_text(round, criteria=None, *, language="th"):
    """The tie-break rule as stated on the round, for the minutes (in Thai) or for a reader's
    page (language=the reader's)."""
    criterion = None
    if round.tie_break_criterion_id:
        criterion = next((c for c in (criteria or []) if c.pk == round.tie_break_criterion_id), None)
        criterion = criterion or round.tie_break_criterion
    with translation.override(language):
        steps = []
        if round.tie_break_median:
            steps.append(_("the higher median"))
        if criterion is not None:
            steps.append(_("the higher mean score on “%(criterion)s”") % {"criterion": criterion.name})
        steps.append(_("the chair's decision, recorded with a reason"))
        numbered = " ".join(f"({i}) {step}" for i, step in enumerate(steps, 1))
        return _("Equal scores are ordered by %(steps)s") % {"steps": numbered}


def _order(rows, score_of, round, chair_order):
    criterion_id = round.tie_break_criterion_id

    def key(row):
        score = _r(score_of(row))
        return (
            score is None,
            -(score or 0),
            -(_r(row.median) or 0) if round.tie_break_median else 0,
            -(_r(row.criterion_means.get(criterion_id)) or 0) if criterion_id else 0,
            chair_order.get(row.pk, len(chair_order)),
            row.submission.product.code,
        )

    return sorted(rows, key=key), key


def _boundary_step(a, b, key):
    """Which step of the key separates a from b: 'score', the tie-break step, or UNRESOLVED."""
    ka, kb = key(a), key(b)
    if ka[:2] != kb[:2]:
        return "score"
    if ka[2] != kb[2]:
        return BY_MEDIAN
    if ka[3] != kb[3]:
        return BY_CRITERION
    if ka[4] != kb[4]:
        return BY_CHAIR
    return UNRESOLVED


def _fill(ordered, round, moved_in, moved_out):
    """Statuses by pk, and the candidates list the slots were filled from."""
    status = {}
    for row in ordered:
        if row.pk in moved_in:
            status[row.pk] = SELECTED
    candidates = [r for r in ordered if r.pk not in moved_in and r.pk not in moved_out]
    slots = max(0, round.quota - len(moved_in))
    for i, row in enumerate(candidates):
        if i < slots:
            status[row.pk] = SELECTED
        elif i < slots + round.reserves:
            status[row.pk] = RESERVE
        else:
            status[row.pk] = NOT_SELECTED
    for row in ordered:
        status.setdefault(row.pk, NOT_SELECTED)
    return status, candidates, slots


def compute(data):
    round = data.round
    totals, criterion_means = _totals(data)
    calibrated, grand_mean, grand_stdev, spreads = _calibrate(totals)
    threshold = float(round.disagreement_threshold)
    conflicted = defaultdict(set)
    for submission_id, member_id in data.conflicts:
        conflicted[submission_id].add(member_id)
    rows = []
    for submission in data.submissions:
        row = Row(submission=submission)
        row.totals = totals.get(submission.pk, {})
        row.calibrated_totals = calibrated.get(submission.pk, {})
        row.conflicted = conflicted.get(submission.pk, set())
        row.criterion_means = criterion_means.get(submission.pk, {})
        values = list(row.totals.values())
        if values:
            row.score = sum(values) / len(values)
            row.median = statistics.median(values)
            row.stdev = _pstdev(values, row.score)
            row.calibrated = sum(row.calibrated_totals.values()) / len(row.calibrated_totals)
        if len(values) < round.min_scorers:
            row.flags.append(FEW_SCORERS)
        if row.stdev is not None and _r(row.stdev) > threshold:
            row.flags.append(DISAGREEMENT)
        rows.append(row)

    by_pk = {row.pk: row for row in rows}
    moved_in, moved_out, chair_order = set(), set(), {}
    for decision in data.decisions:
        row = by_pk.get(decision.submission_id)
        if row is None:
            continue
        row.decisions.append(decision)
        if decision.kind == DecisionKind.MOVE_IN:
            moved_in.add(row.pk)
            moved_out.discard(row.pk)
            row.moved = "in"
        elif decision.kind == DecisionKind.MOVE_OUT:
            moved_out.add(row.pk)
            moved_in.discard(row.pk)
            row.moved = "out"
        elif decision.kind == DecisionKind.TIE_BREAK:
            chair_order.setdefault(row.pk, len(chair_order))

    raw_order, raw_key = _order(rows, lambda r: r.score, round, chair_order)
    cal_order, cal_key = _order(rows, lambda r: r.calibrated, round, chair_order)
    for i, row in enumerate(raw_order, 1):
        row.raw_rank = i
    for i, row in enumerate(cal_order, 1):
        row.calibrated_rank = i
    for ordered, attr in ((raw_order, "raw_status"), (cal_order, "calibrated_status")):
        proposed, _candidates, _slots = _fill(ordered, round, set(), set())
        for row in ordered:
            setattr(row, attr, proposed[row.pk])

    deciding = round.deciding
    ordered, key = (cal_order, cal_key) if deciding == DecidingRanking.CALIBRATED else (raw_order, raw_key)
    score_of = (lambda r: r.calibrated) if deciding == DecidingRanking.CALIBRATED else (lambda r: r.score)
    proposed, _c, _s = _fill(ordered, round, set(), set())
    status, candidates, slots = _fill(ordered, round, moved_in, moved_out)
    for i, row in enumerate(ordered, 1):
        row.rank = i
        row.proposed_status = proposed[row.pk]
        row.status = status[row.pk]

    # Ties: rows sharing the deciding score share the rank of the first of them.
    for row in ordered[:1]:
        row.shared_rank = 1
    for a, b in zip(ordered, ordered[1:]):
        if score_of(a) is not None and _r(score_of(a)) == _r(score_of(b)):
            a.tie = b.tie = True
            b.shared_rank = a.shared_rank
        else:
            b.shared_rank = b.rank

    cut_ties = []
    boundaries = [(SELECTED, slots)] + ([(RESERVE, slots + round.reserves)] if round.reserves else [])
    for position, index in boundaries:
        if 0 < index < len(candidates):
            above, below = candidates[index - 1], candidates[index]
            step = _boundary_step(above, below, key)
            if step == "score":
                continue
            cut_ties.append(CutLine(position, above, below, step))
            tied_score = _r(score_of(above))
            for row in ordered:
                if row.pk not in moved_in and row.pk not in moved_out and _r(score_of(row)) == tied_score:
                    row.tie_at_cut = True
                    row.tie_resolved_by = step

    member_spreads = [
        MemberSpread(m, *(spreads[m.pk] if m.pk in spreads else (0, None, None))) for m in data.members
    ]
    return Ranking(
        round=round,
        rows=ordered,
        criteria=data.criteria,
        members=data.members,
        deciding=deciding,
        tie_break_rule=tie_break_text(round, data.criteria),
        grand_mean=grand_mean,
        grand_stdev=grand_stdev,
        member_spreads=member_spreads,
        cut_ties=cut_ties,
    )


def flag_texts(row, round):
    """The row's flags as Thai sentences for the results and the minutes."""
    texts = []
    with translation.override("th"):
        if FEW_SCORERS in row.flags:
            texts.append(_("Fewer scorers than the minimum of %(min)s") % {"min": round.min_scorers})
        if DISAGREEMENT in row.flags:
            texts.append(_("Scorers disagree: standard deviation %(sd)s over %(threshold)s") % {
                "sd": f"{row.stdev:.2f}", "threshold": f"{float(round.disagreement_threshold):.2f}"})
        if row.tie_at_cut:
            texts.append(tie_text(row.tie_resolved_by))
    return texts


def tie_text(step):
    return {
        BY_MEDIAN: _("Tied at the cut line; ordered by the higher median"),
        BY_CRITERION: _("Tied at the cut line; ordered by the named criterion"),
        BY_CHAIR: _("Tied at the cut line; ordered by the chair's decision"),
        UNRESOLVED: _("Exact tie at the cut line: the chair must decide"),
    }[step]

"""The facts a meeting shows from its selection round and its activity plan, as JSON.

While the meeting is open they are read live; `close_meeting` stores them in
`Meeting.facts_snapshot`, and from then on the documents read only the snapshot.
"""

from .models import Activity

ROUND_FACTS = ("registry_summary", "eligibility_rules", "screening_summary", "ranking", "approved_list", "recusals")


def activity_plan(meeting):
    """The meeting's activities, then those its round carries."""
    activities = Activity.objects.filter(meeting=meeting)
    if meeting.round_id:
        activities = activities | Activity.objects.filter(round_id=meeting.round_id, meeting__isnull=True)
    rows = sorted(activities, key=lambda a: (a.meeting_id is None, a.order, a.pk))
    return [
        {
            "title": a.title,
            "description": a.description,
            "start_date": a.start_date.isoformat() if a.start_date else None,
            "end_date": a.end_date.isoformat() if a.end_date else None,
            "whole_months": a.whole_months,
            "venue": a.venue,
            "responsible": a.responsible,
        }
        for a in rows
    ]


def _product(row):
    product = row.submission.product
    return {"product_code": product.code, "product_name": product.name, "producer_name": product.producer.name,
            "district": product.producer.district.name_th}


def _person(user):
    return (user.get_full_name() or user.username) if user else ""


def selection_decisions(selection_round):
    """How the list was decided beyond the scores, for the minutes' selection item: each tie at
    a cut line with the step that broke it (and the chair's reason when the chair decided),
    and each move the chair made across the cut, with its reason.

    Read from the ranking as the selection app computes it. Once the round is approved its
    scores and decisions can no longer change (a reopening supersedes the approval), so this
    is the approved list's account too.
    """
    from selection import ranking
    from selection.models import DecidingRanking, DecisionKind

    computed = ranking.compute_ranking(selection_round)
    calibrated = computed.deciding == DecidingRanking.CALIBRATED
    criterion = next((c for c in computed.criteria if c.pk == selection_round.tie_break_criterion_id), None)

    def score(row):
        value = row.calibrated if calibrated else row.score
        return None if value is None else round(value, ranking.PRECISION)

    ties = []
    for cut in computed.cut_ties:
        tied = score(cut.above)
        rows = []
        for row in computed.rows:
            if not row.tie_at_cut or score(row) != tied:
                continue
            decision = next((d for d in row.decisions if d.kind == DecisionKind.TIE_BREAK), None)
            rows.append({
                **_product(row), "rank": row.rank, "status": row.status,
                "median": None if row.median is None else round(row.median, 2),
                "criterion_mean": (None if criterion is None or row.criterion_means.get(criterion.pk) is None
                                   else round(row.criterion_means[criterion.pk], 2)),
                "chair_reason": decision.reason if decision else "",
                "decided_by": _person(decision.decided_by) if decision else "",
            })
        ties.append({"position": cut.position, "score": None if tied is None else round(tied, 2),
                     "resolved_by": cut.resolved_by, "criterion": criterion.name if criterion else "", "rows": rows})
    moves = [
        {**_product(row), "kind": decision.kind, "reason": decision.reason, "decided_by": _person(decision.decided_by),
         "status": row.status, "rank": row.rank}
        for row in computed.rows for decision in row.decisions
        if decision.kind in (DecisionKind.MOVE_IN, DecisionKind.MOVE_OUT)
    ]
    return {"ties": ties, "moves": moves}


def appointment(meeting, on=None):
    """The order or announcement that appointed the committee: the latest signed by `on`
    (a letter's date; by default the meeting's), or None."""
    from .models import Appointment

    on = min(on, meeting.date) if on else meeting.date
    found = (Appointment.objects.filter(committee_id=meeting.committee_id, signed_on__lte=on)
             .select_related("committee__province").order_by("-signed_on", "-pk").first())
    if found is None:
        return None
    return {"form": found.form, "authority": f"จังหวัด{found.committee.province.name_th}", "number": found.number,
            "signed_on": found.signed_on.isoformat(), "committee": found.committee.name}


def live_facts(meeting):
    """Every fact the meeting's documents may show, read now."""
    facts = {"activity_plan": activity_plan(meeting)}
    appointed = appointment(meeting)
    if appointed:
        facts["appointment"] = appointed
    if any("year_summary" in (item.facts or []) for item in meeting.items.all()):
        from . import year_report

        facts["year_summary"] = year_report.summary(meeting.year_be - 1, meeting.committee.province_id)
    if meeting.round_id:
        from selection import facts as selection_facts

        selection_round = meeting.round
        for name in ROUND_FACTS:
            facts[name] = getattr(selection_facts, name)(selection_round)
        facts["selection_decisions"] = selection_decisions(selection_round)
    return facts


def facts_for(meeting):
    """The frozen facts of a closed meeting, else the live ones."""
    if meeting.facts_snapshot is not None:
        return meeting.facts_snapshot
    return live_facts(meeting)

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


def live_facts(meeting):
    """Every fact the meeting's documents may show, read now."""
    facts = {"activity_plan": activity_plan(meeting)}
    if meeting.round_id:
        from selection import facts as selection_facts

        selection_round = meeting.round
        for name in ROUND_FACTS:
            facts[name] = getattr(selection_facts, name)(selection_round)
    return facts


def facts_for(meeting):
    """The frozen facts of a closed meeting, else the live ones."""
    if meeting.facts_snapshot is not None:
        return meeting.facts_snapshot
    return live_facts(meeting)

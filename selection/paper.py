"""The committee's paper score sheets, for members who score in a meeting room with a pen.

One sheet per scoring member: the rubric with its maxima and weights, one row per eligible
entry in the scoring list's order (product code) with an empty box per criterion, a total and
a conflict-of-interest box; an entry the member declared a conflict with is printed marked,
without boxes. The secretary types a filled sheet in afterwards (selection/paper_views.py).
No producer contact is printed. Rendered through WeasyPrint with Sarabun (kbo_site/pdf.py).
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import translation

from kbo_site.pdf import font_face_css, render_html

from .models import CommitteeMember, Conflict


@dataclass
class Sheet:
    member: CommitteeMember
    rows: list = field(default_factory=list)  # (number, submission, conflicted)


def eligible_submissions(round):
    """The entries to be scored, in the order of the member's scoring list (product code)."""
    return (round.submissions.filter(eligible=True)
            .select_related("product__producer__district").order_by("product__code"))


def scoring_members(round):
    return list(CommitteeMember.objects.filter(committee_id=round.committee_id, scores=True).select_related("user"))


def build_sheets(round, members):
    """One Sheet per member, the entries read once whatever the number of members."""
    submissions = list(eligible_submissions(round))
    conflicts = set(Conflict.objects.filter(submission__round=round, member__in=members)
                    .values_list("member_id", "submission_id"))
    return [Sheet(member=member, rows=[(number, s, (member.pk, s.pk) in conflicts)
                                       for number, s in enumerate(submissions, start=1)])
            for member in members]


def render_sheets(round, members):
    """PDF bytes: each member's sheet, each starting on a new page."""
    criteria = list(round.criteria.all())
    weighted = any(c.weight != 1 for c in criteria)
    with translation.override("th"):
        html = render_to_string("selection/pdf/paper_sheet.html", {
            "round": round, "committee": round.committee, "criteria": criteria, "weighted": weighted,
            "total_max": sum(c.max_score for c in criteria), "sheets": build_sheets(round, members),
            "font_faces": font_face_css()})
    return render_html(html)

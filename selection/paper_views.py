"""Paper score sheets: printing them for the meeting room, and the secretary typing a filled
one in on the member's behalf (selection/paper.py). For the chair, the secretary and the
officers (rules.can_follow_scoring)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from . import paper, rules
from .models import CommitteeMember


def _scoring_member(round, member_pk):
    return get_object_or_404(CommitteeMember.objects.select_related("user"), pk=member_pk,
                             committee_id=round.committee_id, scores=True)


def _pdf(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def sheet_pdf(request, pk, member_pk):
    round = rules.get_round_for(request.user, pk, rules.can_follow_scoring)
    member = _scoring_member(round, member_pk)
    return _pdf(paper.render_sheets(round, [member]), f"score-sheet-{round.pk}-{member.pk}.pdf")


def sheets_pdf(request, pk):
    round = rules.get_round_for(request.user, pk, rules.can_follow_scoring)
    return _pdf(paper.render_sheets(round, paper.scoring_members(round)), f"score-sheets-{round.pk}.pdf")

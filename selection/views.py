"""Round pages for officers and the committee: rounds, committee, submissions, screening.

Scoring pages are in scoring_views.py, the ranking and the cut in results_views.py. Every
view gets its round through rules.get_round_for and calls one service.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kbo_site.actions import log_for
from kbo_site.i18n import reader_language
from kbo_site.models import Action
from kbo_site.thaidates import be_year
from producers import roles
from producers.models import Product
from producers.roles import Roles, role_required

from . import round_links, rules, screening, services
from .forms import (
    BulkCodesForm,
    CommitteeMemberForm,
    CriterionFormSet,
    OverrideForm,
    RoundForm,
    StartFromForm,
    TakeEntriesForm,
    criteria_initial,
)
from .ranking import tie_break_text
from .models import (
    SETTINGS_OPEN,
    STATE_ORDER,
    SUBMISSIONS_OPEN,
    Committee,
    CommitteeMember,
    RoundState,
    ScoreSheet,
    ScreeningResult,
    SelectionRound,
    Submission,
)

DEFAULT_COMMITTEE = "คณะกรรมการเครือข่ายองค์ความรู้ (Knowledge-Based OTOP : KBO) จังหวัด{province}"
NATIONAL_COMMITTEE = "คณะกรรมการคัดเลือกผลิตภัณฑ์ OTOP ระดับประเทศ"
SEARCH_LIMIT = 20


def _fail(request, error):
    messages.error(request, error.message)


def round_list(request):
    user = request.user
    # Managers see their province's rounds (national users every province's), committee
    # members their committees' rounds; anyone else an empty list.
    rounds = rules.visible_rounds(user, SelectionRound.objects.select_related("committee", "committee__province").annotate(
        submission_count=Count("submissions", distinct=True),
        eligible_count=Count("submissions", filter=Q(submissions__eligible=True), distinct=True)))
    return render(request, "selection/round_list.html", {
        "rounds": rounds, "contests": rules.visible_contests(user).select_related("committee")})


@role_required(rules.can_manage_rounds)
def round_create(request):
    """A new round, from scratch or with the setup of an earlier round of the province
    (?copy=<id>): its rules, rubric and committee are copied."""
    user = request.user
    committees = rules.committees_for(user)
    province = Roles(user).province
    sources = (SelectionRound.objects.filter(committee__in=committees).select_related("committee")
               .order_by("-fiscal_year", "-number", "-pk"))
    chosen = request.POST.get("copy_from", "") if request.method == "POST" else request.GET.get("copy", "")
    # Any other text is no round: "²" is a digit to str.isdigit but not to int().
    source = get_object_or_404(sources, pk=chosen) if chosen.isascii() and chosen.isdigit() else None
    year = be_year(timezone.localdate().year)
    name = f"KBO จังหวัด{province.name_th} ปี {year}" if province else f"KBO ปี {year}"
    initial = {"name": name, "fiscal_year": year}
    if source is not None:
        initial.update(committee=source.committee_id, quota=source.quota, reserves=source.reserves)
    form = RoundForm(request.POST or None, initial=initial, committees=committees, national=province is None,
                     sources=sources, source=source, chain_sources=rules.chain_sources(user))
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("committee")
        if form.cleaned_data.get("national_contest"):
            committee = chosen if chosen is not None and chosen.is_national else (
                Committee.objects.filter(province__isnull=True).first()
                or Committee.objects.create(name=NATIONAL_COMMITTEE, province=None))
        elif province is None:
            committee = chosen
        else:
            committee = form.cleaned_data.get("committee") or committees.first() or Committee.objects.create(
                name=DEFAULT_COMMITTEE.format(province=province.name_th), province=province)
        try:
            # One step for the person: the round exists with its copied setup, or not at all.
            with transaction.atomic():
                round = services.create_round(committee=committee, by=user,
                                              required_standards=form.cleaned_data.get("required_standards"),
                                              **form.changes())
                if source is not None:
                    services.copy_round_setup(round, source, by=user)
        except services.SelectionError as error:
            _fail(request, error)
        else:
            if source is not None:
                messages.success(request, _(
                    "Round created with the setup of %(round)s: its eligibility rules, rubric and committee. "
                    "Check them, then add the submissions.") % {"round": f"{source.name} ({source.label})"})
            else:
                messages.success(request, _("Round created. Add the committee, the rubric and the submissions."))
            return redirect("selection:round_detail", pk=round.pk)
    context = {"form": form, "source": source}
    if source is not None:
        context.update(source_rules=screening.rule_texts(source), source_criteria=source.criteria.all(),
                       source_members=source.committee.members.select_related("user"))
    elif sources.exists():
        context["start_from"] = StartFromForm(sources=sources)
    return render(request, "selection/round_form.html", context)


def round_detail(request, pk):
    round = rules.get_round_for(request.user, pk)
    member = rules.membership(request.user, round)
    counts = round.submissions.aggregate(
        total=Count("pk"), passed=Count("pk", filter=Q(eligible=True)),
        failed=Count("pk", filter=Q(eligible=False)), unscreened=Count("pk", filter=Q(screened_at__isnull=True)))
    scoring_members = CommitteeMember.objects.filter(committee_id=round.committee_id, scores=True).count()
    submitted = ScoreSheet.objects.filter(round=round, submitted_at__isnull=False).count()
    return render(request, "selection/round_detail.html", {
        "round": round,
        "member": member,
        "counts": counts,
        "criteria": round.criteria.all(),
        "rule_texts": screening.rule_texts(round, language=reader_language()),
        "tie_break_rule": tie_break_text(round, language=reader_language()),
        "states": STATE_ORDER,
        "state_index": round.state_index(),
        "scoring_members": scoring_members,
        "submitted": submitted,
        "can_manage": rules.can_manage_rounds(request.user),
        "is_chair": rules.is_chair(request.user, round),
        "can_project": rules.can_project_results(request.user, round),
        "settings_open": round.state in SETTINGS_OPEN,
        "transitions": log_for(round).filter(action=Action.STATE_CHANGED).order_by("at", "pk"),
        "year_links": round_links.links_for(request.user, round),
        "source_visible": round.source_round_id is not None and rules.can_view_round(request.user,
                                                                                    round.source_round),
    })


def round_edit(request, pk):
    round = rules.get_round_for(request.user, pk, rules.can_manage_round)
    form = RoundForm(request.POST or None, instance=SelectionRound.objects.get(pk=round.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(round, by=request.user, changes=form.changes(),
                                     required_standards=form.cleaned_data["required_standards"])
        except services.SelectionError as error:
            _fail(request, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("selection:round_detail", pk=round.pk)
    return render(request, "selection/round_form.html", {"form": form, "round": round,
                                                         "locked": round.state not in SETTINGS_OPEN})


def rubric_edit(request, pk):
    round = rules.get_round_for(request.user, pk, rules.can_manage_round)
    initial = None if request.method == "POST" else criteria_initial(round)
    formset = CriterionFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        criteria = [f.cleaned_data for f in formset.forms
                    if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            services.set_rubric(round, criteria, by=request.user)
        except services.SelectionError as error:
            _fail(request, error)
        else:
            messages.success(request, _("Rubric saved."))
            return redirect("selection:round_detail", pk=round.pk)
    locked = round.state not in SETTINGS_OPEN or round.submissions.filter(scores__isnull=False).exists()
    total = sum(c.max_score for c in round.criteria.all())
    return render(request, "selection/rubric_form.html", {"round": round, "formset": formset, "locked": locked,
                                                          "total": total})


def committee(request, pk):
    round = rules.get_round_for(request.user, pk, rules.can_manage_round)
    form = CommitteeMemberForm(request.POST or None, committee=round.committee)
    if request.method == "POST" and form.is_valid():
        member = form.save()
        messages.success(request, _("%(name)s added to the committee.") % {"name": member.full_name})
        return redirect("selection:committee", pk=round.pk)
    members = round.committee.members.select_related("user").annotate(
        score_count=Count("given_scores", distinct=True))
    quorum = round.committee.quorum_for(len(members))
    return render(request, "selection/committee.html", {"round": round, "form": form, "members": members,
                                                        "quorum": quorum})


@require_POST
def committee_remove(request, pk, member_pk):
    round = rules.get_round_for(request.user, pk, rules.can_manage_round)
    member = get_object_or_404(CommitteeMember, pk=member_pk, committee_id=round.committee_id)
    if member.given_scores.exists() or member.conflicts.exists():
        messages.error(request, _("%(name)s has scores or conflicts on record and cannot be removed.") % {
            "name": member.full_name})
    else:
        member.delete()
        messages.success(request, _("%(name)s removed from the committee.") % {"name": member.full_name})
    return redirect("selection:committee", pk=round.pk)


def submission_list(request, pk):
    round = rules.get_round_for(request.user, pk, rules.can_manage_round)
    query = request.GET.get("q", "").strip()
    found = []
    if query and not round.takes_chosen_entries:
        found = (Product.objects.filter(producer__province_id=round.committee.province_id)
                 .filter(Q(code__icontains=query) | Q(name__icontains=query) | Q(producer__name__icontains=query))
                 .select_related("producer__district")
                 .annotate(already=Count("submissions", filter=Q(submissions__round=round)))[:SEARCH_LIMIT])
    submissions = (round.submissions.select_related("product__producer__district", "product__producer__province",
                                                    "taken_from__round")
                   .order_by("product__producer__province_id", "product__code"))
    page = Paginator(submissions, 100).get_page(request.GET.get("page"))
    chosen = round.takes_chosen_entries
    return render(request, "selection/submission_list.html", {
        "round": round, "page": page, "query": query if not chosen else "", "found": found,
        "bulk_form": BulkCodesForm(), "open": round.state in SUBMISSIONS_OPEN, "chosen_entries": chosen,
        "take_form": TakeEntriesForm(sources=rules.entry_sources(request.user, round)) if chosen else None,
    })


@require_POST
def submission_add(request, pk):
    round = rules.get_round_for(request.user, pk, rules.can_manage_round)
    # Only the round's province's products can be submitted to it.
    product = get_object_or_404(Product.objects.filter(producer__province_id=round.committee.province_id),
                                pk=request.POST.get("product") or 0)
    try:
        services.add_submission(round, product, by=request.user)
    except services.SelectionError as error:
        _fail(request, error)
    else:
        messages.success(request, _("%(code)s %(name)s submitted.") % {"code": product.code, "name": product.name})
    query = request.POST.get("q", "").strip()
    suffix = f"?{urlencode({'q': query})}" if query else ""
    return redirect(f"{reverse('selection:submission_list', kwargs={'pk': round.pk})}{suffix}")


@require_POST
def submission_bulk(request, pk):
    round = rules.get_round_for(request.user, pk, rules.can_manage_round)
    form = BulkCodesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Paste at least one product code."))
        return redirect("selection:submission_list", pk=round.pk)
    try:
        added, already, unknown = services.add_submissions_by_codes(round, form.cleaned_data["codes"],
                                                                    by=request.user)
    except services.SelectionError as error:
        _fail(request, error)
    else:
        messages.success(request, _("%(count)s products submitted.") % {"count": len(added)})
        if already:
            messages.warning(request, _("Already submitted: %(codes)s") % {"codes": ", ".join(already)})
        if unknown:
            messages.error(request, _("Not in the registry: %(codes)s") % {"codes": ", ".join(unknown)})
    return redirect("selection:submission_list", pk=round.pk)


@require_POST
def submission_remove(request, pk, sid):
    round = rules.get_round_for(request.user, pk, rules.can_manage_round)
    submission = get_object_or_404(Submission.objects.select_related("product"), pk=sid, round=round)
    try:
        services.remove_submission(submission, by=request.user)
    except services.SelectionError as error:
        _fail(request, error)
    else:
        messages.success(request, _("%(code)s removed from the round.") % {"code": submission.product.code})
    return redirect("selection:submission_list", pk=round.pk)


@require_POST
def screening_run(request, pk):
    round = rules.get_round_for(request.user, pk, rules.can_manage_round)
    try:
        services.screen_round(round, by=request.user)
    except services.SelectionError as error:
        _fail(request, error)
    else:
        messages.success(request, _("Screening done."))
    return redirect("selection:screening_summary", pk=round.pk)


def screening_summary(request, pk):
    round = rules.get_round_for(request.user, pk)
    results = ScreeningResult.objects.select_related("override_by").order_by("rule")
    submissions = (round.submissions.select_related("product__producer__district")
                   .prefetch_related(Prefetch("results", queryset=results)).order_by("product__code"))
    show = request.GET.get("show", "failed")
    listed = submissions if show == "all" else submissions.filter(
        Q(eligible=False) | Q(results__override_passed__isnull=False)).distinct()
    counts = round.submissions.aggregate(total=Count("pk"), failed=Count("pk", filter=Q(eligible=False)),
                                         unscreened=Count("pk", filter=Q(screened_at__isnull=True)))
    return render(request, "selection/screening_summary.html", {
        "round": round, "submissions": listed, "counts": counts, "show": show,
        "rule_texts": screening.rule_texts(round, language=reader_language()),
        "can_override": rules.can_manage_rounds(request.user) and round.state == RoundState.SCREENING,
        "can_screen": rules.can_manage_rounds(request.user) and round.state in SUBMISSIONS_OPEN,
    })


def screening_override(request, pk, result_pk):
    round = rules.get_round_for(request.user, pk, rules.can_manage_round)
    result = get_object_or_404(ScreeningResult.objects.select_related("submission__product"), pk=result_pk,
                               submission__round=round)
    form = OverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.override_result(result, passed=form.passed, reason=form.cleaned_data["reason"], by=request.user)
        except services.SelectionError as error:
            _fail(request, error)
        else:
            messages.success(request, _("Override recorded."))
            url = reverse("selection:screening_summary", kwargs={"pk": round.pk})
            return redirect(f"{url}?show=all#s{result.submission_id}")
    return render(request, "selection/override_form.html", {"round": round, "result": result, "form": form})


@require_POST
def open_scoring(request, pk):
    round = rules.get_round_for(request.user, pk, rules.can_open_scoring)
    try:
        services.open_scoring(round, by=request.user)
    except services.SelectionError as error:
        _fail(request, error)
    else:
        messages.success(request, _("Scoring is open. Members can now score on their phones."))
    return redirect("selection:round_detail", pk=round.pk)


def home(request):
    """Where a user lands after logging in: the registry for officers, admins and viewers;
    the selection rounds for committee members, who have no registry role."""
    if roles.can_view_registry(request.user):
        return redirect("producers:dashboard")
    if rules.is_committee_member(request.user):
        return redirect("selection:round_list")
    if rules.mentored_records(request.user):
        # A mentor off the committee: the products they mentor (issue 12).
        return redirect("selection:development_overview")
    raise PermissionDenied

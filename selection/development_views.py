"""Activity 2: the development of the selected products (issue 12). Thin views over
selection/development.py; every object through rules.get_development_for or
rules.get_development_round_for."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kbo_site.actions import log_for

from . import development, rules
from .development_forms import MentorForm, PlanForm, PlanItemFormSet, StatusForm, VisitForm, plan_initial
from .models import DevelopmentPhoto, DevelopmentRecord, Mentor, PlanItem, RoundState, StatusStage
from .services import SelectionError


def overview(request):
    """The boards the user may read: a national officer every province's, with each one's
    progress; a mentor the products they mentor."""
    rounds = rules.visible_rounds(request.user).filter(state=RoundState.APPROVED)
    provinces = development.overview(rounds)
    mentored = (DevelopmentRecord.objects.filter(pk__in=rules.mentored_records(request.user))
                .select_related("product", "round").order_by("-round__fiscal_year", "rank"))
    return render(request, "selection/development/overview.html", {
        "provinces": provinces, "mentored": mentored, "national": rules.is_national(request.user),
    })


def board(request, pk):
    round = rules.get_development_round_for(request.user, pk)
    development.ensure_records(round)
    records = rules.visible_developments(request.user, round, DevelopmentRecord.objects.all())
    return render(request, "selection/development/board.html", {
        "round": round, "board": development.board(round, records), "today": timezone.localdate(),
        "whole": rules.sees_whole_development(request.user, round),
    })


def _statuses(record):
    statuses = {s.stage: s for s in record.statuses.prefetch_related("photos")}
    return statuses.get(StatusStage.BEFORE), statuses.get(StatusStage.AFTER)


def detail(request, rid):
    record = rules.get_development_for(request.user, rid)
    before, after = _statuses(record)
    today = timezone.localdate()
    items = list(record.items.select_related("done_by"))
    for item in items:
        item.late = item.is_late(today)
    done = sum(1 for i in items if i.done_on)
    return render(request, "selection/development/detail.html", {
        "record": record, "round": record.round, "items": items,
        "progress": development.Progress(len(items), done, sum(1 for i in items if i.late)),
        "mentors": record.mentors.select_related("user"),
        "visits": record.visits.select_related("recorded_by").prefetch_related("photos"),
        "before": before, "after": after,
        "can_edit": rules.can_edit_development(request.user, record),
        "can_record": rules.can_record_visit(request.user, record),
        "entries": log_for(record)[:50],
    })


def plan(request, rid, mentor_form=None):
    record = rules.get_development_for(request.user, rid, rules.can_edit_development)
    if request.method == "POST" and mentor_form is None:
        form = PlanForm(request.POST)
        formset = PlanItemFormSet(request.POST, prefix="items")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                development.save_plan(record, goal=data["goal"], budget=data["budget"], starts_on=data["starts_on"],
                                      ends_on=data["ends_on"], items=formset.items(), version=data["version"],
                                      by=request.user)
            except SelectionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Plan saved."))
                return redirect("selection:development_detail", rid=record.pk)
        status = 400
    else:
        form = PlanForm(initial={"goal": record.goal, "budget": record.budget, "starts_on": record.starts_on,
                                 "ends_on": record.ends_on, "version": record.version})
        formset = PlanItemFormSet(initial=plan_initial(record), prefix="items")
        status = 200 if mentor_form is None else 400
    return render(request, "selection/development/plan.html", {
        "record": record, "round": record.round, "form": form, "formset": formset,
        "mentors": record.mentors.select_related("user"),
        "mentor_form": mentor_form or MentorForm(province_code=record.round.committee.province_id),
    }, status=status)


@require_POST
def mentor_add(request, rid):
    record = rules.get_development_for(request.user, rid, rules.can_edit_development)
    form = MentorForm(request.POST, province_code=record.round.committee.province_id)
    if not form.is_valid():
        return plan(request, rid, mentor_form=form)
    data = form.cleaned_data
    try:
        development.add_mentor(record, user=data["user"], name=data["name"], organisation=data["organisation"],
                               kind=data["kind"], by=request.user)
    except SelectionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Mentor added."))
    return redirect("selection:development_plan", rid=record.pk)


@require_POST
def mentor_remove(request, rid, mid):
    record = rules.get_development_for(request.user, rid, rules.can_edit_development)
    mentor = get_object_or_404(Mentor, pk=mid, record=record)
    development.remove_mentor(mentor, by=request.user)
    messages.success(request, _("Mentor removed."))
    return redirect("selection:development_plan", rid=record.pk)


@require_POST
def item_done(request, rid, iid):
    """Mark a plan item done (done=1) or not done (done=0)."""
    record = rules.get_development_for(request.user, rid, rules.can_record_visit)
    item = get_object_or_404(PlanItem, pk=iid, record=record)
    development.set_item_done(item, done=request.POST.get("done") == "1", by=request.user)
    return redirect(reverse("selection:development_detail", kwargs={"rid": record.pk}) + "#plan")


def visit_add(request, rid):
    """Built for a phone in the field: the date and who went are filled in, a photo from the
    camera is taken as it is."""
    record = rules.get_development_for(request.user, rid, rules.can_record_visit)
    if request.method == "POST":
        form = VisitForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                development.record_visit(record, visited_on=data["visited_on"], kind=data["kind"],
                                         people=data["people"], activities=data["activities"],
                                         next_steps=data["next_steps"], photos=data["photos"], by=request.user)
            except SelectionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Visit recorded."))
                return redirect(reverse("selection:development_detail", kwargs={"rid": record.pk}) + "#visits")
        if request.FILES:
            messages.warning(request, _("The visit was not saved. Choose the photos again before saving."))
        status = 400
    else:
        form = VisitForm(initial=VisitForm.initial_for(request.user))
        status = 200
    return render(request, "selection/development/visit_form.html", {"record": record, "round": record.round,
                                                                     "form": form}, status=status)


def status_edit(request, rid, stage):
    if stage not in StatusStage.values:
        raise Http404
    record = rules.get_development_for(request.user, rid, rules.can_edit_development)
    stage = StatusStage(stage)
    current = record.statuses.filter(stage=stage).first()
    if request.method == "POST":
        form = StatusForm(request.POST, request.FILES, stage=stage)
        if form.is_valid():
            data = form.cleaned_data
            try:
                development.record_status(record, stage, values=data, photo=data["photo"],
                                          update_registry=data.get("update_registry", False), by=request.user)
            except SelectionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Saved."))
                return redirect(reverse("selection:development_detail", kwargs={"rid": record.pk}) + "#status")
        status = 400
    else:
        initial = StatusForm.initial_for(current or (_statuses(record)[0] if stage == StatusStage.AFTER else None))
        form = StatusForm(initial=initial, stage=stage)
        status = 200
    return render(request, "selection/development/status_form.html", {
        "record": record, "round": record.round, "form": form, "stage": stage}, status=status)


def photo(request, photo_pk, size):
    """A stored photo, after the record's access check; `size` is "full" or "thumb"."""
    stored = get_object_or_404(DevelopmentPhoto.objects.only("record_id", "file", "thumbnail"), pk=photo_pk)
    rules.get_development_for(request.user, stored.record_id)
    field = stored.thumbnail if size == "thumb" else stored.file
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response

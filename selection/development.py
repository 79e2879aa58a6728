"""Activity 2: developing the selected products (issue 12), one function per step.

Each step takes the record and `*, by=user`, checks what it can, raises SelectionError with a
message a person can act on, saves inside transaction.atomic() and leaves a row in the
record's action log. The boards' figures are read here too, in a fixed number of queries.
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone, translation
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kbo_site.actions import log_action
from kbo_site.i18n import in_record_language as recorded
from kbo_site.models import Action
from kbo_site.photos import delete_files_on_commit
from kbo_site.thaidates import format_date
from producers import services as registry
from producers.models import Product

from . import ranking as ranking_module
from .models import (
    Approval,
    DevelopmentArea,
    DevelopmentPhoto,
    DevelopmentRecord,
    DevelopmentState,
    Mentor,
    MentorKind,
    PlanItem,
    ProductStatus,
    RoundState,
    SelectionRound,
    StatusStage,
    Submission,
    Visit,
)
from .services import RECORD_LANGUAGE, SelectionError

# The registry's fields a before/after carries and an "after" may write back.
REGISTRY_FIELDS = ("star_level", "star_year", "classification", "standards")
STATUS_FIELDS = (*REGISTRY_FIELDS, "price_per_unit", "monthly_sales", "group_members")


def _log(record, action, *, by, note="", from_value="", to_value="", reason=""):
    return log_action(by, record, action, note=note, from_state=from_value, to_state=to_value, reason=reason,
                      detail={"about": record.product.code})


def _lock(record):
    list(DevelopmentRecord.objects.select_for_update().filter(pk=record.pk).values_list("pk", flat=True))
    record.refresh_from_db()
    return record


# Opening the records --------------------------------------------------------------------


def _current_approval(round):
    return Approval.objects.filter(round=round, superseded_at__isnull=True).order_by("-approved_at").first()


def _selected_codes(approval):
    """{product code: rank} of an approved list."""
    if approval is None:
        return {}
    return {row["product_code"]: row.get("rank") for row in approval.snapshot.get("rows", [])
            if row.get("status") == ranking_module.SELECTED}


def _registry_status(product):
    return {"star_level": product.star_level, "star_year": product.star_year,
            "classification": product.classification,
            "standards": sorted(s.name for s in product.standards.all())}


def open_records(round, *, by=None):
    """Bring the round's development records in line with its approved list: a record for each
    selected product that has none, its "before" filled from the registry as it stands; the
    rank of the others as approved. After a reopened round is approved with another list, a
    product that left it keeps its record (nothing recorded is lost) marked WITHDRAWN, and a
    product that came back is under way again. Called when the chair approves the list
    (services.approve), and for a round approved before records existed when its board is
    first opened: the approving chair is then the actor. Returns the records created. Side
    effects: records, their "before", a log row for each record opened, withdrawn or taken back.
    Does nothing for a round that is not approved."""
    if round.state != RoundState.APPROVED:
        return []
    approval = _current_approval(round)
    selected = _selected_codes(approval)
    if not selected:
        return []
    by = by or approval.approved_by
    with transaction.atomic():
        existing = {record.product.code: record for record in
                    DevelopmentRecord.objects.filter(round=round).select_related("product")}
        for code, record in existing.items():
            if code not in selected:
                if record.state != DevelopmentState.WITHDRAWN:
                    _log(record, Action.STATE_CHANGED, by=by, from_value=record.state,
                         to_value=DevelopmentState.WITHDRAWN,
                         note=recorded(gettext_noop(
                             "The product is not on the list approved again; its record is kept")))
                    record.state = DevelopmentState.WITHDRAWN
                    record.save(update_fields=["state", "updated_at"])
                continue
            state = record.state
            if state == DevelopmentState.WITHDRAWN:
                done = record.statuses.filter(stage=StatusStage.AFTER).exists()
                state = DevelopmentState.COMPLETED if done else DevelopmentState.UNDERWAY
                _log(record, Action.STATE_CHANGED, by=by, from_value=record.state, to_value=state,
                     note=recorded(gettext_noop("The product is back on the approved list")))
            if (state, selected[code]) != (record.state, record.rank):
                record.state, record.rank = state, selected[code]
                record.save(update_fields=["state", "rank", "updated_at"])
        missing = [(rank, code) for code, rank in selected.items() if code not in existing]
        if not missing:
            return []
        products = {p.code: p for p in Product.objects.filter(
            code__in=[code for _rank, code in missing], producer__province_id=round.committee.province_id
        ).prefetch_related("standards")}
        created = []
        for rank, code in missing:
            product = products.get(code)
            if product is None:  # gone from the registry since the approval
                continue
            record = DevelopmentRecord.objects.create(round=round, product=product, rank=rank)
            ProductStatus.objects.create(record=record, stage=StatusStage.BEFORE, recorded_by=by,
                                         **_registry_status(product))
            _log(record, Action.DEVELOPMENT_OPENED, by=by, to_value=str(product),
                 note=recorded(gettext_noop("Opened from the approved list; “before” taken from the registry")))
            created.append(record)
    return created


def ensure_records(round):
    """open_records for a round approved before this activity existed: a no-op once they are open."""
    if round.state == RoundState.APPROVED and not DevelopmentRecord.objects.filter(round=round).exists():
        return open_records(round)
    return []


def on_the_list(records):
    """The records of products on their round's approved list (not WITHDRAWN)."""
    return records.exclude(state=DevelopmentState.WITHDRAWN)


# The plan -------------------------------------------------------------------------------


def _date(value):
    return format_date(value, short=True) if value else "-"


def _plan_text(record, items):
    """The plan as the log keeps it, in Thai with BE dates."""
    with translation.override(RECORD_LANGUAGE):
        lines = [f"{DevelopmentArea(i['area']).label}: {i.get('description', '')}"
                 + (f" ({_date(i['due_on'])})" if i.get("due_on") else "") for i in items]
        head = [_("budget %(amount)s THB") % {"amount": "-" if record.budget is None else f"{record.budget:,.2f}"},
                f"{_date(record.starts_on)} – {_date(record.ends_on)}"]
        return "\n".join([" · ".join(head), *lines])


def save_plan(record, *, goal, budget, starts_on, ends_on, items, version, by):
    """Save the plan: goal, budget (THB), target dates and its items ([{"pk" (an existing
    item's, or None), "area", "description", "due_on"}], in order). An item kept keeps its
    "done". Refused when someone saved the plan since `version` was read, or the dates are
    reversed. Side effects: the record (version bumped), items created, changed and removed,
    a log row with the plan before and after."""
    if starts_on and ends_on and ends_on < starts_on:
        raise SelectionError(_("The end date is before the start date."))
    if budget is not None and budget < 0:
        raise SelectionError(_("The budget cannot be negative."))
    with transaction.atomic():
        record = _lock(record)
        if version is not None and version != record.version:
            raise SelectionError(_("Someone else saved this plan while you were editing it. Their plan is shown "
                                   "now; make your change again."))
        existing = {item.pk: item for item in record.items.all()}
        before = _plan_text(record, [{"area": i.area, "description": i.description, "due_on": i.due_on}
                                     for i in existing.values()])
        record.goal, record.budget, record.starts_on, record.ends_on = goal, budget, starts_on, ends_on
        record.version += 1
        record.save()
        kept = []
        for order, data in enumerate(items, 1):
            item = existing.get(data.get("pk")) or PlanItem(record=record)
            item.area, item.description = data["area"], data.get("description", "")
            item.due_on, item.order = data.get("due_on"), order
            item.save()
            kept.append(item.pk)
        record.items.exclude(pk__in=kept).delete()
        after = _plan_text(record, items)
        if before != after:
            _log(record, Action.PLAN_CHANGED, by=by, from_value=before, to_value=after)
    return record


def set_item_done(item, *, done, by, on=None):
    """Mark a plan item done (on `on`, today by default) or not done again. Side effects: the
    item, a log row. Marking it as it already is does nothing."""
    with transaction.atomic():
        record = _lock(item.record)
        item.refresh_from_db()
        if bool(item.done_on) == bool(done):
            return item
        item.done_on = (on or timezone.localdate()) if done else None
        item.done_by = by if done else None
        item.save(update_fields=["done_on", "done_by"])
        _log(record, Action.ITEM_DONE if done else Action.ITEM_REOPENED, by=by,
             note=f"{item.get_area_display()}: {item.description}")
    return item


def add_mentor(record, *, by, user=None, name="", organisation="", kind=MentorKind.NETWORK):
    """Name a mentor: a user (who then reads this record and records its visits) or a person
    without a login. Side effects: a Mentor, a log row."""
    name = (name or "").strip() or (user.get_full_name() or user.username if user is not None else "")
    if not name:
        raise SelectionError(_("Choose a user or write the mentor's name."))
    with transaction.atomic():
        record = _lock(record)
        if user is not None and record.mentors.filter(user=user).exists():
            raise SelectionError(_("%(name)s already mentors this product.") % {"name": name})
        mentor = Mentor.objects.create(record=record, user=user, name=name, organisation=(organisation or "").strip(),
                                       kind=kind, added_by=by)
        _log(record, Action.MENTOR_ADDED, by=by, to_value=f"{name} ({MentorKind(kind).label})")
    return mentor


def remove_mentor(mentor, *, by):
    """Side effects: deletes the Mentor, a log row."""
    with transaction.atomic():
        record = _lock(mentor.record)
        _log(record, Action.MENTOR_REMOVED, by=by, from_value=f"{mentor.name} ({MentorKind(mentor.kind).label})")
        mentor.delete()


# Visits ---------------------------------------------------------------------------------


def _store_photo(record, photo, *, by, visit=None, status=None):
    stored = DevelopmentPhoto(record=record, visit=visit, status=status, width=photo.width, height=photo.height,
                              uploaded_by=by)
    stored.file.save(".jpg", ContentFile(photo.data), save=False)
    stored.thumbnail.save("-thumb.jpg", ContentFile(photo.thumbnail), save=False)
    stored.save()
    return stored


def record_visit(record, *, visited_on, kind, people, activities, next_steps="", photos=(), by):
    """A visit or consultation, with its photos (kbo_site.photos.Photo: already resized and
    stripped of their metadata). Side effects: a Visit, its photos under MEDIA_ROOT, a log row."""
    activities = (activities or "").strip()
    if not activities:
        raise SelectionError(_("Write what was done."))
    if visited_on > timezone.localdate() + datetime.timedelta(days=1):
        raise SelectionError(_("The date is in the future; write the day of the visit."))
    with transaction.atomic():
        record = _lock(record)
        visit = Visit.objects.create(record=record, visited_on=visited_on, kind=kind, people=(people or "").strip(),
                                     activities=activities, next_steps=(next_steps or "").strip(), recorded_by=by)
        for photo in photos:
            _store_photo(record, photo, by=by, visit=visit)
        with translation.override(RECORD_LANGUAGE):
            note = f"{visit.get_kind_display()} {_date(visited_on)} · " + _("%(n)s photos") % {"n": len(photos)}
        _log(record, Action.VISIT_RECORDED, by=by, note=note)
    return visit


# Before and after -----------------------------------------------------------------------


def _status_text(values):
    """The figures as the log keeps them: Thai labels, as recorded."""
    parts = []
    with translation.override(RECORD_LANGUAGE):
        for name in STATUS_FIELDS:
            value = values.get(name)
            if isinstance(value, (list, tuple)):
                value = ", ".join(value)
            parts.append(f"{ProductStatus._meta.get_field(name).verbose_name}: {'-' if value in (None, '') else value}")
    return "; ".join(parts)


def record_status(record, stage, *, values, photo=None, update_registry=False, by):
    """Record the product before or after the development: `values` holds STATUS_FIELDS as the
    form cleaned them (producers.cleaning). Recording "after" completes the development; with
    `update_registry`, its star level, classification and standards are written into the
    registry through producers.services.update_product (the registry's own history and log).
    Side effects: the ProductStatus, its packaging photo, the record's state, the product,
    log rows."""
    stage = StatusStage(stage)
    with transaction.atomic():
        record = _lock(record)
        status = ProductStatus.objects.filter(record=record, stage=stage).first() or ProductStatus(
            record=record, stage=stage)
        before = _status_text({name: getattr(status, name) for name in STATUS_FIELDS}) if status.pk else ""
        for name in STATUS_FIELDS:
            setattr(status, name, values.get(name))
        status.standards = list(status.standards or [])
        status.classification = status.classification or ""
        status.recorded_by = by
        status.save()
        if photo is not None:
            for old in status.photos.all():
                delete_files_on_commit(old.file, old.thumbnail)
                old.delete()
            _store_photo(record, photo, by=by, status=status)
        _log(record, Action.STATUS_RECORDED, by=by, note=str(stage.label), from_value=before,
             to_value=_status_text(values))
        if stage == StatusStage.AFTER and record.state != DevelopmentState.COMPLETED:
            record.state = DevelopmentState.COMPLETED
            record.save(update_fields=["state", "updated_at"])
            _log(record, Action.STATE_CHANGED, by=by, from_value=DevelopmentState.UNDERWAY,
                 to_value=DevelopmentState.COMPLETED)
        if update_registry:
            if stage != StatusStage.AFTER:
                raise SelectionError(_("Only the “after” can update the registry."))
            _update_registry(record, status, by=by)
    return status


def _update_registry(record, status, *, by):
    product = Product.objects.select_related("producer").get(pk=record.product_id)
    data = {name: getattr(product, name) for name in registry.PRODUCT_FIELDS}
    data["producer"] = product.producer
    if not status.classification:
        raise SelectionError(_("Give the classification to update the registry."))
    data.update(star_level=status.star_level, star_year=status.star_year, classification=status.classification,
                standards=tuple(status.standards))
    try:
        _product, changed = registry.update_product(product, data, version=product.version, by=by)
    except registry.RegistryError as error:
        raise SelectionError(error.message) from None
    if changed:
        status.registry_updated_at = timezone.now()
        status.save(update_fields=["registry_updated_at"])
    return changed


# Progress and the boards ----------------------------------------------------------------


@dataclass
class Progress:
    total: int = 0
    done: int = 0
    late: int = 0

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0

    def add(self, other):
        self.total += other.total
        self.done += other.done
        self.late += other.late


def _with_progress(queryset, today):
    # One join (the items), so plain counts: DISTINCT would sort every row for nothing.
    return queryset.annotate(
        items_total=Count("items"),
        items_done=Count("items", filter=Q(items__done_on__isnull=False)),
        items_late=Count("items", filter=Q(items__done_on__isnull=True, items__due_on__lt=today)),
    )


def progress_of(record):
    return Progress(record.items_total, record.items_done, record.items_late)


@dataclass
class BoardRow:
    record: DevelopmentRecord
    progress: Progress
    cells: list  # [(area, [items])] in DevelopmentArea's order
    mentors: list
    visits: int
    last_visit: datetime.date | None


@dataclass
class Board:
    rows: list = field(default_factory=list)
    progress: Progress = field(default_factory=Progress)
    areas: list = field(default_factory=list)
    # Records kept for products that left the list when the round was approved again.
    withdrawn: list = field(default_factory=list)


def board(round, records, today=None):
    """The round's board: each record of a product on the approved list × the areas of its plan
    items, with what is late, in four queries whatever the size (records, items, mentors,
    visits); the records of products that left the list apart."""
    today = today or timezone.localdate()
    records = list(records.filter(round=round).select_related("product")
                   .prefetch_related("items", "mentors").order_by("rank", "pk"))
    withdrawn = [record for record in records if record.state == DevelopmentState.WITHDRAWN]
    records = [record for record in records if record.state != DevelopmentState.WITHDRAWN]
    visits = {row["record"]: row for row in Visit.objects.filter(record__in=[r.pk for r in records])
              .values("record").annotate(count=Count("pk"), last=Max("visited_on"))}
    result = Board(areas=list(DevelopmentArea), withdrawn=withdrawn)
    for record in records:
        items = list(record.items.all())
        progress = Progress(len(items), sum(1 for i in items if i.done_on), sum(1 for i in items if i.is_late(today)))
        for item in items:
            item.late = item.is_late(today)
        cells = [(area, [i for i in items if i.area == area]) for area in DevelopmentArea]
        seen = visits.get(record.pk, {})
        result.rows.append(BoardRow(record, progress, cells, list(record.mentors.all()), seen.get("count", 0),
                                    seen.get("last")))
        result.progress.add(progress)
    return result


@dataclass
class RoundSummary:
    round: object
    records: list = field(default_factory=list)
    progress: Progress = field(default_factory=Progress)


@dataclass
class ProvinceSummary:
    province: object
    rounds: list = field(default_factory=list)
    progress: Progress = field(default_factory=Progress)


def _dot_class(progress):
    if not progress.total:
        return "dev-dot-none"
    if progress.late:
        return "dev-dot-late"
    return "dev-dot-done" if progress.done == progress.total else "dev-dot-open"


def overview(rounds, today=None):
    """Every visible round's records with their progress, grouped by province (a national
    officer's 77 boards at a glance), in two queries whatever the number of provinces. The
    records are read as values and each round's squares drawn here: 77 × 20 model instances
    and template loops would cost more than the rest of the page."""
    today = today or timezone.localdate()
    records = _with_progress(on_the_list(DevelopmentRecord.objects.filter(round__in=rounds)), today).values_list(
        "round_id", "product__code", "product__name", "items_total", "items_done", "items_late"
    ).order_by("round_id", "rank", "pk")
    by_round = {}
    for round_id, code, name, total, done, late in records:
        by_round.setdefault(round_id, []).append((code, name, Progress(total, done, late)))
    provinces = {}
    for round in (SelectionRound.objects.filter(pk__in=list(by_round)).select_related("committee__province")
                  .order_by("committee__province_id", "-fiscal_year", "pk")):
        province = provinces.get(round.committee.province_id)
        if province is None:
            province = provinces[round.committee.province_id] = ProvinceSummary(round.committee.province)
        summary = RoundSummary(round, records=by_round[round.pk])
        for _code, _name, progress in summary.records:
            summary.progress.add(progress)
        summary.dots = format_html_join("", '<span class="dev-dot {}" title="{} {}: {}/{}"></span>', (
            (_dot_class(p), code, name, p.done, p.total) for code, name, p in summary.records))
        province.rounds.append(summary)
        province.progress.add(summary.progress)
    return list(provinces.values())


def record_for_entry(submission, *, levels=3):
    """The development record behind an entry chosen in an earlier round (a showcase round's
    entry, a national contest's): found by following `taken_from` back to the round that
    developed the product. None for an entry from the registry, or a product not developed."""
    rounds, current = [], submission
    while current is not None and current.taken_from_id and len(rounds) < levels:
        current = Submission.objects.select_related("taken_from").get(pk=current.taken_from_id)
        rounds.append(current.round_id)
    if not rounds:
        return None
    return (DevelopmentRecord.objects.filter(round_id__in=rounds, product_id=submission.product_id)
            .prefetch_related("items", "statuses").annotate(visit_count=Count("visits"))
            .order_by("-round__fiscal_year", "-pk").first())

"""The workshop of the activity plan (กิจกรรมที่ 1: the two-day capacity-building workshop for the
network and the selected groups): its days and venue, its participants, the sign-in sheet and
the attendance of each day.

Workflow steps take the object and `by=user`, check, save in one transaction and leave a row
in the workshop's action log; errors are meetings.services.MeetingError. Access is decided by
meetings/rules.py (get_workshop_for and its predicates) in the views.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kbo_site import thaidates
from kbo_site.actions import log_action
from kbo_site.i18n import in_record_language as recorded
from kbo_site.models import Action

from . import thai
from .models import (
    MAX_WORKSHOP_DAYS,
    Participant,
    ParticipantKind,
    Presence,
    Workshop,
    WorkshopDay,
)
from .services import MeetingError, _line


def _log(workshop, by, action, note=""):
    log_action(by, workshop, action, note=note)


def _locked(workshop):
    """Re-read the workshop under a row lock: two officers saving at once are served in turn."""
    return Workshop.objects.select_for_update().get(pk=workshop.pk)


def days_between(start, end):
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def _clean(title, start_date, end_date, venue):
    title, venue = _line(title), _line(venue)
    if not title:
        raise MeetingError(_("Write the workshop's title."), field="title")
    if not start_date:
        raise MeetingError(_("Give the workshop's first day."), field="start_date")
    end_date = end_date or start_date
    if end_date < start_date:
        raise MeetingError(_("The last day is before the first."), field="end_date")
    if (end_date - start_date).days + 1 > MAX_WORKSHOP_DAYS:
        raise MeetingError(_("A workshop lasts at most %(days)d days.") % {"days": MAX_WORKSHOP_DAYS},
                           field="end_date")
    if not venue:
        raise MeetingError(_("Write where the workshop is held."), field="venue")
    return {"title": title[:500], "start_date": start_date, "end_date": end_date, "venue": venue[:255]}


def initial_for(activity):
    """A new workshop's details, from its activity (title, dates, venue)."""
    title = activity.title
    if activity.meeting_id:
        # กิจกรรมที่ 1 …: its place in the plan, as the minutes number it.
        number = list(activity.meeting.activities.order_by("order", "pk").values_list("pk", flat=True)).index(
            activity.pk) + 1
        title = f"กิจกรรมที่ {number} {title}"
    return {"title": title, "start_date": activity.start_date, "end_date": activity.end_date,
            "venue": activity.venue or (activity.meeting.venue if activity.meeting_id else "")}


@transaction.atomic
def create_workshop(activity, *, by, title, start_date, end_date, venue):
    """Hold an activity of the plan as a workshop.

    Side effects: one WorkshopDay per day from the first to the last; the committee and the
    round taken from the activity (its meeting's); logged. An activity has one workshop.
    """
    data = _clean(title, start_date, end_date, venue)
    if Workshop.objects.filter(activity=activity).exists():
        raise MeetingError(_("This activity already has its workshop."))
    meeting = activity.meeting
    committee_id = meeting.committee_id if meeting else activity.round.committee_id
    round_id = activity.round_id or (meeting.round_id if meeting else None)
    workshop = Workshop.objects.create(activity=activity, committee_id=committee_id, round_id=round_id,
                                       created_by=by, **data)
    WorkshopDay.objects.bulk_create([WorkshopDay(workshop=workshop, date=day)
                                     for day in days_between(data["start_date"], data["end_date"])])
    _log(workshop, by, Action.WORKSHOP_CREATED, note=f"{workshop.title} · {date_range(workshop)} · {workshop.venue}")
    return workshop


@transaction.atomic
def update_workshop(workshop, *, by, title, start_date, end_date, venue):
    """Save the title, days and venue.

    Side effects: adds the new days and drops those no longer in the range; logged. Refused when
    it would drop a day whose attendance was recorded.
    """
    workshop = _locked(workshop)
    data = _clean(title, start_date, end_date, venue)
    wanted = set(days_between(data["start_date"], data["end_date"]))
    dropped = [day for day in workshop.days.all() if day.date not in wanted]
    recorded = [day for day in dropped if day.is_recorded]
    if recorded:
        raise MeetingError(_("The attendance of %(date)s is recorded: that day cannot be dropped.") % {
            "date": thaidates.format_date(recorded[0].date)}, field="start_date")
    WorkshopDay.objects.filter(pk__in=[day.pk for day in dropped]).delete()
    have = {day.date for day in workshop.days.all()}
    WorkshopDay.objects.bulk_create([WorkshopDay(workshop=workshop, date=day) for day in sorted(wanted - have)])
    changed = [name for name, value in data.items() if getattr(workshop, name) != value]
    for name, value in data.items():
        setattr(workshop, name, value)
    workshop.save()
    if changed:
        _log(workshop, by, Action.WORKSHOP_CHANGED, note=", ".join(changed))
    return workshop


# ---------------------------------------------------------------- participants

def _next_order(workshop):
    return (workshop.participants.aggregate(n=Max("order"))["n"] or 0) + 1


@transaction.atomic
def add_participant(workshop, *, by, kind, name="", organisation="", phone="", user=None):
    """Add a member of the network or a guest (a selected group's representative comes from
    `add_selected_groups`). Side effects: logged. The same name and organisation twice adds nothing."""
    workshop = _locked(workshop)
    name, organisation, phone = _line(name)[:255], _line(organisation)[:255], _line(phone)[:40]
    if kind not in (ParticipantKind.NETWORK, ParticipantKind.GUEST):
        raise MeetingError(_("Choose whether the participant is a member of the network or a guest."), field="kind")
    if not name:
        raise MeetingError(_("Write the participant's name."), field="name")
    existing = workshop.participants.filter(name=name, organisation=organisation).first()
    if existing:
        return existing
    if user is not None and workshop.participants.filter(user=user).exists():
        return workshop.participants.get(user=user)
    participant = Participant.objects.create(workshop=workshop, kind=kind, name=name, organisation=organisation,
                                             phone=phone, user=user, order=_next_order(workshop))
    _log(workshop, by, Action.WORKSHOP_PARTICIPANTS, note=recorded(gettext_noop("Added %(name)s"), name=name))
    return participant


def selected_producers(workshop):
    """The producer groups of the round's approved selection, in the list's order; None when
    the workshop has no round or its selection is not approved."""
    from selection import facts as selection_facts
    from selection.models import RoundState

    if workshop.round_id is None or workshop.round.state != RoundState.APPROVED:
        return None
    rows = selection_facts.approved_list(workshop.round)["selected"]
    codes = [row["product_code"] for row in rows]
    submissions = {s.product.code: s.product.producer for s in workshop.round.submissions.filter(
        product__code__in=codes).select_related("product__producer")}
    producers = []
    for code in codes:
        producer = submissions.get(code)
        if producer is not None and producer not in producers:
            producers.append(producer)
    return producers


@transaction.atomic
def add_selected_groups(workshop, *, by):
    """One representative of each group of the round's approved selection (the selected 20).

    Side effects: a participant per group not yet listed, named by the group (the officer, or
    the group on the sheet, writes the person's name); logged with the count. Returns the number added.
    """
    workshop = _locked(workshop)
    producers = selected_producers(workshop)
    if producers is None:
        raise MeetingError(_("The workshop's selection round has no approved list yet: approve the selection "
                             "first, or add the participants one by one."))
    listed = set(workshop.participants.filter(producer__isnull=False).values_list("producer_id", flat=True))
    order = _next_order(workshop)
    new = []
    for producer in producers:
        if producer.pk in listed:
            continue
        new.append(Participant(workshop=workshop, kind=ParticipantKind.GROUP, producer=producer,
                               organisation=producer.name[:255], order=order + len(new)))
    Participant.objects.bulk_create(new)
    if new:
        _log(workshop, by, Action.WORKSHOP_PARTICIPANTS,
             note=recorded(gettext_noop("Added the representatives of %(count)d selected groups"), count=len(new)))
    return len(new)


@transaction.atomic
def add_committee_members(workshop, *, by):
    """The committee's members, as members of the network (linked to their users).

    Side effects: a participant per member not yet listed, with name and position; logged.
    Returns the number added."""
    workshop = _locked(workshop)
    listed = set(workshop.participants.filter(user__isnull=False).values_list("user_id", flat=True))
    order = _next_order(workshop)
    new = []
    members = workshop.committee.members.select_related("user").order_by("order", "pk")
    for member in members:
        if member.user_id in listed:
            continue
        new.append(Participant(workshop=workshop, kind=ParticipantKind.NETWORK, user=member.user,
                               name=_line(member.full_name)[:255], organisation=_line(member.position)[:255],
                               order=order + len(new)))
    Participant.objects.bulk_create(new)
    if new:
        _log(workshop, by, Action.WORKSHOP_PARTICIPANTS,
             note=recorded(gettext_noop("Added %(count)d members of the committee"), count=len(new)))
    return len(new)


@transaction.atomic
def update_participant(participant, *, by, name, organisation, phone=""):
    """Save a participant's name, position or organisation and phone. Side effects: logged."""
    workshop = _locked(participant.workshop)
    participant = Participant.objects.get(pk=participant.pk)
    name, organisation, phone = _line(name)[:255], _line(organisation)[:255], _line(phone)[:40]
    if not name and participant.kind != ParticipantKind.GROUP:
        raise MeetingError(_("Write the participant's name."), field="name")
    if not name and not organisation:
        raise MeetingError(_("Write the participant's name."), field="name")
    participant.name, participant.organisation, participant.phone = name, organisation, phone
    participant.save()
    _log(workshop, by, Action.WORKSHOP_PARTICIPANTS,
         note=recorded(gettext_noop("Edited %(name)s"), name=name or organisation))
    return participant


@transaction.atomic
def remove_participant(participant, *, by):
    """Take a participant off the list. Side effects: logged. Refused once the participant was
    recorded present: the attendance of that day would change."""
    workshop = _locked(participant.workshop)
    if participant.presences.exists():
        raise MeetingError(_("%(name)s was recorded present: untick them in that day's attendance first.") % {
            "name": str(participant)})
    label = str(participant)
    participant.delete()
    _log(workshop, by, Action.WORKSHOP_PARTICIPANTS, note=recorded(gettext_noop("Removed %(name)s"), name=label))


# ---------------------------------------------------------------- attendance

@transaction.atomic
def record_attendance(day, present, *, by):
    """Record who attended `day`: `present` is the participants' primary keys; everyone else
    on the list was absent that day.

    Side effects: the day's presences replaced, the day marked recorded (by whom, when); logged
    with the count ("18 มกราคม 2565: 37 จาก 40 คน"). Refused for a participant of another workshop.
    """
    from django.utils import timezone

    workshop = _locked(day.workshop)
    day = WorkshopDay.objects.get(pk=day.pk)
    listed = set(workshop.participants.values_list("pk", flat=True))
    try:
        present = {int(pk) for pk in present}
    except (TypeError, ValueError):
        raise MeetingError(_("The list changed meanwhile: reload the page.")) from None
    if present - listed:
        raise MeetingError(_("The list changed meanwhile: reload the page."))
    Presence.objects.filter(day=day).exclude(participant_id__in=present).delete()
    have = set(Presence.objects.filter(day=day).values_list("participant_id", flat=True))
    Presence.objects.bulk_create([Presence(day=day, participant_id=pk) for pk in sorted(present - have)])
    day.recorded_by, day.recorded_at = by, timezone.now()
    day.save(update_fields=["recorded_by", "recorded_at"])
    note = recorded(gettext_noop("%(date)s: %(present)d of %(listed)d attended"),
                     date=thaidates.format_date(day.date), present=len(present), listed=len(listed))
    _log(workshop, by, Action.WORKSHOP_ATTENDANCE, note=note)
    return day


@dataclass(frozen=True)
class Rate:
    present: int
    expected: int

    @property
    def percent(self):
        """The attendance rate in percent, one decimal; None when nothing was expected."""
        return round(100 * self.present / self.expected, 1) if self.expected else None


@dataclass(frozen=True)
class DayRate:
    day: WorkshopDay
    rate: Rate | None  # None until the day's attendance is recorded


def attendance_rates(workshop, participants=None):
    """(per day, overall). A day counts once its attendance is recorded: those present against
    everyone on the list; overall is the sum over the recorded days."""
    listed = len(participants) if participants is not None else workshop.participants.count()
    days = workshop.days.annotate(present=Count("presences")).order_by("date")
    rows = [DayRate(day=day, rate=Rate(day.present, listed) if day.is_recorded else None) for day in days]
    recorded = [row.rate for row in rows if row.rate is not None]
    overall = Rate(sum(r.present for r in recorded), sum(r.expected for r in recorded)) if recorded else None
    return rows, overall


def fiscal_year_be(date):
    """The Thai government's fiscal year (ปีงบประมาณ) of a date: 1 October to 30 September."""
    return thaidates.be_year(date.year) + (1 if date.month >= 10 else 0)


def workshop_attendance_rate(year_be, province_code):
    """For the year report: the workshops of a province's committees held in fiscal year
    `year_be` (BE), each with its participants and rate per day, and the rate over all their
    recorded days. {"workshops": [...], "present", "expected", "percent"}."""
    start = datetime.date(year_be - 543 - 1, 10, 1)
    end = datetime.date(year_be - 543, 9, 30)
    workshops = (Workshop.objects.filter(committee__province_id=province_code, start_date__range=(start, end))
                 .annotate(listed=Count("participants", distinct=True)).order_by("start_date", "pk"))
    out, present, expected = [], 0, 0
    for workshop in workshops:
        days = workshop.days.annotate(present=Count("presences")).filter(recorded_at__isnull=False).order_by("date")
        rates = [Rate(day.present, workshop.listed) for day in days]
        present += sum(r.present for r in rates)
        expected += sum(r.expected for r in rates)
        out.append({"title": workshop.title, "start_date": workshop.start_date, "end_date": workshop.end_date,
                    "venue": workshop.venue, "participants": workshop.listed,
                    "days": [{"date": day.date, "present": r.present, "percent": r.percent}
                             for day, r in zip(days, rates)],
                    "percent": Rate(sum(r.present for r in rates), sum(r.expected for r in rates)).percent})
    return {"workshops": out, "present": present, "expected": expected, "percent": Rate(present, expected).percent}


def workshop_report_lines(year_be, province_code):
    """The year report's workshop part, in Thai (the record language): each workshop with its
    dates, venue and participants, each recorded day's attendance, and the year's rate."""
    report = workshop_attendance_rate(year_be, province_code)
    lines = []
    for w in report["workshops"]:
        dates = thaidates.format_date_range(w["start_date"], w["end_date"])
        lines.append(f"{w['title']} {dates} ณ {w['venue']} ผู้เข้าร่วม {w['participants']} คน")
        for day in w["days"]:
            lines.append(f"  {thaidates.format_date(day['date'], weekday=True)}: มาร่วม {day['present']} คน"
                         f" (ร้อยละ {day['percent']})")
    if report["percent"] is None:
        lines.append(f"ปีงบประมาณ {year_be}: ยังไม่มีการบันทึกการเข้าร่วมการอบรม")
    else:
        lines.append(f"อัตราการเข้าร่วมการอบรม ปีงบประมาณ {year_be}: ร้อยละ {report['percent']} "
                     f"({report['present']} จาก {report['expected']} คน-วัน)")
    return lines


def date_range(workshop, digits="arabic"):
    """18–19 มกราคม 2565"""
    return thaidates.format_date_range(workshop.start_date, workshop.end_date, digits=digits)


# ---------------------------------------------------------------- the sign-in sheet

def participants_for_sheet(workshop):
    return list(workshop.participants.all())


def _units(workshop, participants, thai_digits):
    """The names, groups and places of the sheet that no line may split (as the minutes keep them)."""
    from producers.models import District, Province, Subdistrict

    from .record import KEPT_WORDS, PLACE_PREFIXES

    province = workshop.committee.province_id
    # A group's name is one unit (meetings.pdf splits one too long for its column at its parts);
    # another organisation keeps only its places and names whole.
    phrases = {p.name for p in participants} | {p.organisation for p in participants if p.kind == ParticipantKind.GROUP}
    for kind, names in (("district", District.objects.filter(province_id=province).values_list("name_th", flat=True)),
                        ("subdistrict", Subdistrict.objects.filter(district__province_id=province)
                         .values_list("name_th", flat=True)),
                        ("province", Province.objects.values_list("name_th", flat=True))):
        for name in names:
            phrases |= {name, *(prefix + name for prefix in PLACE_PREFIXES[kind])}
    phrases = {p for p in phrases | set(KEPT_WORDS) if p}
    if thai_digits:
        phrases |= {thaidates.thai_digits(p) for p in phrases}
    return thai.units_of(frozenset(phrases))


def sign_in_sheet(workshop):
    """The sign-in sheet (ใบลงทะเบียน) as data for meetings.pdf.render_sign_in_sheet: one page
    group per day, one row per participant. A selected group's representative not yet named
    has an empty name (written in on the day) and "ผู้แทน" before the group's name. Each row's
    position or group comes plain and with its names and places marked as units."""
    from .models import DocumentSettings
    from .record import Writer, settings_of

    s = DocumentSettings.for_committee(workshop.committee)
    w = Writer(s.thai_digits)
    participants = participants_for_sheet(workshop)
    units = _units(workshop, participants, s.thai_digits)
    rows = []
    for n, p in enumerate(participants, start=1):
        organisation = w.t(thai.clean_line(p.organisation))
        marked = units.mark(organisation)
        if p.kind == ParticipantKind.GROUP:
            organisation, marked = f"ผู้แทน{organisation}", f"ผู้แทน{marked}"
        rows.append({"n": w.t(n), "name": thai.unit(w.t(thai.clean_line(p.name))), "organisation": organisation,
                     "organisation_marked": marked})
    days = list(workshop.days.order_by("date"))
    return {
        "kind": "sign_in",
        "title": "ใบลงทะเบียน",
        "workshop": units.mark(w.t(thai.clean_line(workshop.title))),
        "venue": units.mark(w.t(thai.clean_line(workshop.venue))),
        "days": [{"date": w.date(day.date, weekday=True),
                  "of": w.t(f"วันที่ {i} จาก {len(days)} วัน") if len(days) > 1 else ""}
                 for i, day in enumerate(days, start=1)],
        "rows": rows,
        "settings": settings_of(s),
    }


def visible_participants(workshop):
    return workshop.participants.select_related("producer")


def counts_by_kind(participants):
    counts = {kind: 0 for kind in ParticipantKind.values}
    for p in participants:
        counts[p.kind] += 1
    return counts


def presence_map(workshop):
    """{participant pk: {day pk, ...}} of who was recorded present on which day."""
    out = {}
    for participant_id, day_id in Presence.objects.filter(day__workshop=workshop).values_list(
            "participant_id", "day_id"):
        out.setdefault(participant_id, set()).add(day_id)
    return out


"""What the agenda and the minutes say, built once from the database and the facts.

`build(meeting, "agenda" | "minutes")` returns plain data (dicts, lists, strings in Thai, with
Thai digits when the committee wants them). meetings/pdf.py renders it through an HTML
template and WeasyPrint; meetings/documents.py writes the same data as .docx and .odt, so
the three formats never disagree. The number of queries is fixed whatever the number of rows.

Every string of the result is cleaned (meetings.thai.clean: whatever a user typed prints) and
carries the document's unbreakable units marked: the people of the meeting, the producers,
products, product codes and places of its round, the province's districts, subdistricts and
every province's name, and the grades of a civil servant's position ("ชำนาญการ"). No template
has to know which words those are; meetings.pdf.fit_units keeps a unit whole only where it fits.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import translation
from django.utils.translation import gettext as _

from kbo_site import thaidates

from . import thai
from .facts import facts_for
from .models import (
    ATTENDING,
    NOT_ATTENDING,
    AttendanceStatus,
    DocumentSettings,
    ItemKind,
    RoundFacts,
    SubItemNumbering,
)

AGENDA, MINUTES = "agenda", "minutes"
# Words never split: the grades of a Thai civil servant's position ("ชำนาญ|การ"), and the
# terms of the record itself.
KEPT_WORDS = ("ปฏิบัติการ", "ชำนาญการ", "ชำนาญการพิเศษ", "เชี่ยวชาญ", "ทรงคุณวุฒิ", "ปฏิบัติงาน", "ชำนาญงาน",
              "อาวุโส", "ทักษะพิเศษ", "สิ่งที่ส่งมาด้วย", "ค่ามัธยฐาน", "มติที่ประชุม")
# How a place is written before its name: อำเภอแม่แตง, อ.แม่แตง.
PLACE_PREFIXES = {"province": ("จังหวัด", "จ."), "district": ("อำเภอ", "อ."), "subdistrict": ("ตำบล", "ต.")}
# Keys of the built document that hold no text a reader sees.
_NOT_TEXT = {"kind", "settings", "key", "columns", "resolved_by", "status"}


@dataclass
class Node:
    """An agenda item with its number in the tree (1, 1.1, …)."""

    item: object
    number: str
    children: list = field(default_factory=list)

    @property
    def is_top(self):
        return "." not in self.number


def agenda_tree(items):
    """Number items in order: top-level items 1, 2, …; their sub-items 1.1, 1.2, …

    `items` are all of a meeting's items in any order; numbering follows `order`, then pk.
    """
    items = sorted(items, key=lambda i: (i.order, i.pk))
    children = {}
    for item in items:
        if item.parent_id:
            children.setdefault(item.parent_id, []).append(item)
    tree = []
    for n, item in enumerate((i for i in items if not i.parent_id), start=1):
        node = Node(item, str(n))
        node.children = [Node(child, f"{n}.{m}") for m, child in enumerate(children.get(item.pk, []), start=1)]
        tree.append(node)
    return tree


def flat_tree(tree):
    for node in tree:
        yield node
        yield from node.children


def paragraphs(text):
    """Free text as paragraphs: one per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Writer:
    """Turns numbers and dates into document text, with Thai digits when asked."""

    def __init__(self, thai_digits):
        self.thai = thai_digits
        self.digits = "thai" if thai_digits else "arabic"

    def t(self, text):
        text = "" if text is None else str(text)
        return thaidates.thai_digits(text) if self.thai else text

    def n(self, number):
        """2,531"""
        if number in (None, ""):
            return ""
        return self.t(intcomma(number))

    def score(self, value):
        if value in (None, ""):
            return ""
        return self.t(f"{float(value):.2f}")

    def date(self, value, weekday=False):
        return thaidates.format_date(_as_date(value), weekday=weekday, digits=self.digits)

    def time(self, value):
        return thaidates.format_time(value, digits=self.digits)

    def date_range(self, start, end, whole_months=False):
        start, end = _as_date(start), _as_date(end)
        if not start:
            return ""
        if whole_months and end:
            months = thaidates.THAI_MONTHS
            first = months[start.month - 1] + ("" if start.year == end.year else f" {thaidates.be_year(start.year)}")
            if (start.year, start.month) == (end.year, end.month):
                return self.t(f"{months[end.month - 1]} {thaidates.be_year(end.year)}")
            return self.t(f"{first} – {months[end.month - 1]} {thaidates.be_year(end.year)}")
        return thaidates.format_date_range(start, end, digits=self.digits)


# The forms' own words for an appointment (ระเบียบงานสารบรรณ): never translated.
APPOINTMENT_FORM_WORDS = {"order": "คำสั่ง", "announcement": "ประกาศ"}


def appointment_citation(data, w, subject=True):
    """คำสั่งจังหวัดเชียงใหม่ ที่ 123/2565 ลงวันที่ 5 มกราคม 2565 เรื่อง แต่งตั้ง…, from
    meetings.facts.appointment's data."""
    parts = [APPOINTMENT_FORM_WORDS.get(data["form"], "") + data["authority"]]
    if data.get("number"):
        parts.append(f"ที่ {w.t(data['number'])}")
    parts.append(f"ลงวันที่ {w.date(data['signed_on'])}")
    if subject:
        parts.append(f"เรื่อง แต่งตั้ง{data['committee']}")
    return " ".join(parts)


def settings_of(s):
    """A committee's DocumentSettings as a document's "settings" (the PDF's and the editors')."""
    return {
        "margin_top": s.margin_top_cm, "margin_bottom": s.margin_bottom_cm,
        "margin_left": s.margin_left_cm, "margin_right": s.margin_right_cm,
        "page_numbers": s.page_numbers, "thai_digits": s.thai_digits,
        "font_size": s.font_size_pt, "line_spacing": s.line_spacing,
    }


def finish(value, units):
    """Every text of the document cleaned (whatever a user typed prints) and its units marked."""
    return _finish(value, units)


def _as_date(value):
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value


def _table(key, title, columns, rows, note=""):
    """columns: [(label, css class)], rows: lists of cell text; `cells` pairs each text with its
    column's class for the HTML template."""
    css = [c[1] for c in columns]
    return {"key": key, "title": title, "columns": columns, "rows": rows, "note": note,
            "cells": [list(zip(css, row)) for row in rows]}


class _Builder:
    def __init__(self, meeting, kind):
        self.meeting = meeting
        self.kind = kind
        self.minutes = kind == MINUTES
        self.settings = DocumentSettings.for_committee(meeting.committee)
        self.w = Writer(self.settings.thai_digits)
        self.facts = facts_for(meeting)
        self.attachments = []  # tables sent with the document (สิ่งที่ส่งมาด้วย)

    # -- tables from the round's facts ------------------------------------------------
    def _attach(self, table):
        for number, existing in enumerate(self.attachments, start=1):
            if existing["key"] == table["key"]:
                return self.w.t(number)
        self.attachments.append(table)
        return self.w.t(len(self.attachments))

    def _product(self, row):
        """One cell: the product's name, then its producer and district on the next line."""
        producer = row.get("producer_name", "")
        if row.get("district"):
            producer = _("%(producer)s, %(district)s district") % {"producer": producer, "district": row["district"]}
        return f"{self.w.t(row.get('product_name', ''))}\n{self.w.t(producer)}"

    def _product_rows(self, rows):
        w = self.w
        return [[w.t(row.get("rank") or i), row.get("product_code", ""), self._product(row), w.score(row.get("score"))]
                for i, row in enumerate(rows, start=1)]

    def _product_columns(self):
        return [(_("No."), "num"), (_("Product code"), "code"), (_("Product and producer"), "product"),
                (_("Score"), "score")]

    def selected_table(self):
        approved = self.facts.get("approved_list") or {}
        rows = approved.get("selected") or []
        # The agenda proposes the list; the minutes record what the meeting selected.
        title = (_("Products selected (%(count)s)") if self.minutes
                 else _("Products proposed for selection (%(count)s)")) % {"count": self.w.n(len(rows))}
        return _table("selected", title, self._product_columns(), self._product_rows(rows))

    def reserves_table(self):
        approved = self.facts.get("approved_list") or {}
        rows = approved.get("reserves") or []
        title = (_("Reserve products (%(count)s)") if self.minutes
                 else _("Proposed reserve products (%(count)s)")) % {"count": self.w.n(len(rows))}
        return _table("reserves", title, self._product_columns(), self._product_rows(rows))

    def ineligible_table(self):
        summary = self.facts.get("screening_summary") or {}
        w = self.w
        rows = [[w.t(i), f.get("product_code", ""), self._product(f), "\n".join(w.t(r) for r in f.get("reasons", []))]
                for i, f in enumerate(summary.get("failures") or [], start=1)]
        title = _("Products that did not meet the eligibility criteria (%(count)s)") % {"count": w.n(len(rows))}
        columns = [(_("No."), "num"), (_("Product code"), "code"), (_("Product and producer"), "product"),
                   (_("Reasons"), "reasons")]
        return _table("ineligible", title, columns, rows)

    def ranking_table(self):
        ranking = self.facts.get("ranking") or {}
        w = self.w
        # A snapshot frozen before rank labels were kept has the plain rank only.
        rows = [[w.t(row.get("rank_label") or row.get("rank", "")), row.get("product_code", ""), self._product(row),
                 w.score(row.get("score")),
                 w.score(row.get("median")), w.t(row.get("scorers", "")), w.t(_status_label(row.get("status")))]
                for row in ranking.get("rows") or []]
        columns = [(_("Rank"), "num"), (_("Product code"), "code"), (_("Product and producer"), "product"),
                   (_("Score"), "score"), (_("Median"), "score"), (_("Scorers"), "num"), (_("Result"), "result")]
        note = w.t(ranking.get("tie_break_rule") or "")
        return _table("ranking", _("Ranking of the eligible products"), columns, rows, note=note)

    # -- what an item says about its facts --------------------------------------------
    def item_facts(self, item):
        """(blocks, activities) an item shows from the round or the plan. A block is
        {"p": paragraph} or {"ol": [list items]}, in the order the item shows them."""
        blocks, activities = [], []
        for kind in item.facts:
            self._facts_of_kind(kind, blocks, activities)
        return blocks, activities

    def _facts_of_kind(self, kind, blocks, activities):
        w = self.w
        if kind == RoundFacts.REGISTRY_SUMMARY and self.facts.get("registry_summary"):
            s = self.facts["registry_summary"]
            blocks.append({"p": _("Community producers and OTOP entrepreneurs registered in %(year_from)s–%(year_to)s, "
                                  "%(province)s: %(producers)s producers, %(products)s products.") % {
                "year_from": w.t(s.get("year_from")), "year_to": w.t(s.get("year_to")),
                "province": s.get("province", ""), "producers": w.n(s.get("producers")),
                "products": w.n(s.get("products"))}})
        elif kind == RoundFacts.ELIGIBILITY_RULES and self.facts.get("eligibility_rules") is not None:
            rules = [w.t(rule.get("text") or rule.get("label", "") if isinstance(rule, dict) else rule)
                     for rule in self.facts["eligibility_rules"]]
            if rules:
                blocks.append({"ol": rules})
        elif kind == RoundFacts.SCREENING_SUMMARY and self.facts.get("screening_summary"):
            s = self.facts["screening_summary"]
            number = self._attach(self.ineligible_table())
            blocks.append({"p": _("%(submitted)s products were submitted; %(failed)s did not meet the eligibility "
                                  "criteria (attachment %(number)s).") % {
                "submitted": w.n(s.get("submitted")), "failed": w.n(s.get("failed")), "number": number}})
        elif kind == RoundFacts.RANKING and self.facts.get("ranking"):
            number = self._attach(self.ranking_table())
            blocks.append({"p": _("The committee's scores rank %(count)s eligible products (attachment %(number)s).")
                           % {"count": w.n(len(self.facts["ranking"].get("rows") or [])), "number": number}})
        elif kind == RoundFacts.APPROVED_LIST and self.facts.get("approved_list") is not None:
            self._selection(blocks)
        elif kind == RoundFacts.APPOINTMENT and self.facts.get("appointment"):
            blocks.append({"p": _("The committee was appointed by %(citation)s.") % {
                "citation": appointment_citation(self.facts["appointment"], w)}})
        elif kind == RoundFacts.YEAR_SUMMARY and self.facts.get("year_summary"):
            from .year_documents import item_blocks

            blocks.extend(item_blocks(self.facts["year_summary"], w))
        elif kind == RoundFacts.ACTIVITY_PLAN:
            for n, a in enumerate(self.facts.get("activity_plan") or [], start=1):
                when = w.date_range(a.get("start_date"), a.get("end_date"), a.get("whole_months"))
                activities.append({
                    "label": _("Activity %(number)s") % {"number": w.t(n)},
                    "title": w.t(a["title"]), "description": [w.t(p) for p in paragraphs(a.get("description"))],
                    "when": when, "venue": w.t(a.get("venue")), "responsible": w.t(a.get("responsible")),
                })

    def _selection(self, blocks):
        """The selection item: the list (and reserves) as attachments; in the minutes also every
        tie at a cut line and how it was broken, every move the chair made, with the reasons,
        and the reserves in order."""
        w, approved = self.w, self.facts["approved_list"]
        selected, reserves = self._attach(self.selected_table()), None
        if approved.get("reserves"):
            reserves = self._attach(self.reserves_table())
        count = w.n(len(approved.get("selected") or []))
        text = (_("%(count)s products are selected (attachment %(number)s)") if self.minutes
                else _("%(count)s products are proposed for selection (attachment %(number)s)")) % {
            "count": count, "number": selected}
        if reserves:
            text += _(", with %(count)s reserves (attachment %(number)s)") % {
                "count": w.n(len(approved["reserves"])), "number": reserves}
        blocks.append({"p": text})
        if not self.minutes:
            return
        decisions = self.facts.get("selection_decisions") or {}
        for tie in decisions.get("ties") or []:
            blocks.extend({"p": line} for line in self._tie_lines(tie))
        for move in decisions.get("moves") or []:
            message = (_("The chair moved %(product)s into the selected list. Reason: %(reason)s") if move["kind"] ==
                       "move_in" else _("The chair moved %(product)s out of the selected list. Reason: %(reason)s"))
            blocks.append({"p": message % {"product": self._product_inline(move), "reason": w.t(move["reason"])}})
        if approved.get("reserves"):
            blocks.append({"p": _("The reserves, in order:")})
            blocks.append({"ol": [self._product_inline(row) for row in approved["reserves"]]})

    def _product_inline(self, row):
        """5021610025-01 ผ้าซิ่นตีนจก (กลุ่มผ้าทอ…, อำเภอแม่แจ่ม)"""
        producer = row.get("producer_name", "")
        if row.get("district"):
            producer = _("%(producer)s, %(district)s district") % {"producer": producer, "district": row["district"]}
        name = " ".join(filter(None, (row.get("product_code", ""), self.w.t(row.get("product_name", "")))))
        return f"{name} ({self.w.t(producer)})" if producer else name

    def _tie_lines(self, tie):
        w = self.w
        rows = tie.get("rows") or []
        where = (_("the selected list") if tie.get("position") == "selected" else _("the reserve list"))
        lines = [_("At the cut line of %(list)s, %(count)s products had the same score, %(score)s: %(products)s.") % {
            "list": where, "count": w.n(len(rows)), "score": w.score(tie.get("score")),
            "products": "; ".join(self._product_inline(row) for row in rows)}]
        step = tie.get("resolved_by")
        if step == "median":
            lines.append(_("The tie was broken by the rule stated in advance, the higher median: %(values)s.") % {
                "values": "; ".join(f"{row.get('product_code', '')} {w.score(row.get('median'))}" for row in rows)})
        elif step == "criterion":
            lines.append(_("The tie was broken by the rule stated in advance, the higher mean score on "
                           "“%(criterion)s”: %(values)s.") % {
                "criterion": tie.get("criterion", ""),
                "values": "; ".join(f"{row.get('product_code', '')} {w.score(row.get('criterion_mean'))}"
                                    for row in rows)})
        elif step == "chair":
            for row in rows:
                if row.get("chair_reason"):
                    lines.append(_("The chair decided the tie and placed %(product)s first. Reason: %(reason)s") % {
                        "product": self._product_inline(row), "reason": w.t(row["chair_reason"])})
        else:
            lines.append(_("The tie is not decided yet: the chair decides it, with a reason, before the list is "
                           "approved."))
        if step != "unresolved":
            lines.append(_("Result: %(outcomes)s.") % {"outcomes": "; ".join(
                f"{row.get('product_code', '')} {_status_label(row.get('status'))}" for row in rows)})
        return lines

    def recusals(self, item):
        if not item.notes_recusals:
            return []
        return [_("%(member)s (%(position)s) did not take part on %(product)s: %(conflict)s") % {
            "member": r.get("member", ""), "position": r.get("position", ""),
            "product": " ".join(filter(None, (r.get("product_code"), r.get("product_name")))),
            "conflict": self.w.t(r.get("conflict_type", "") + (f" – {r['note']}" if r.get("note") else "")),
        } for r in self.facts.get("recusals") or []]

    def votes(self, item):
        if not item.has_votes:
            return ""
        return _("In favour %(for)s, against %(against)s, abstentions %(abstain)s") % {
            "for": self.w.n(item.votes_for or 0), "against": self.w.n(item.votes_against or 0),
            "abstain": self.w.n(item.votes_abstain or 0)}

    def heading(self, node):
        number, s = self.w.t(node.number), self.settings
        if not node.is_top:
            if s.sub_item_numbering == SubItemNumbering.PLAIN:
                return self.w.t(node.number.split(".", 1)[1] + ".")
            return number
        if s.item_heading.strip():
            return f"{s.item_heading.strip()} {number}"
        return _("Agenda item %(number)s") % {"number": number}

    def item(self, node):
        item, w = node.item, self.w
        facts, activities = self.item_facts(item)
        out = {
            "number": w.t(node.number), "heading": self.heading(node), "title": w.t(item.title),
            "is_top": node.is_top, "body": [w.t(p) for p in paragraphs(item.body)], "facts": facts,
            "activities": activities, "attachments": [w.t(a.title) for a in item.attachments.all()],
            "previous": "", "discussion": [], "resolution": [], "votes": "", "recusals": [], "without_quorum": False,
            "children": [self.item(child) for child in node.children],
        }
        if item.kind == ItemKind.PREVIOUS_MINUTES and item.previous_meeting_id:
            previous = item.previous_meeting
            out["previous"] = _("Minutes of meeting %(label)s, held on %(date)s") % {
                "label": w.t(previous.label), "date": w.date(previous.date, weekday=True)}
        if self.minutes:
            out["discussion"] = [w.t(p) for p in paragraphs(item.discussion)]
            out["resolution"] = [w.t(p) for p in paragraphs(item.resolution)]
            out["votes"] = self.votes(item)
            out["recusals"] = self.recusals(item)
            out["without_quorum"] = item.without_quorum
        # A heading with nothing under it ("เรื่องอื่น ๆ") says so, "- ไม่มี -", as an official record
        # does. A sub-item's title is itself the matter, so it never says "none".
        out["empty"] = node.is_top and not any(out[key] for key in (
            "body", "facts", "activities", "attachments", "previous", "discussion", "resolution", "votes",
            "recusals", "children"))
        return out

    # -- people ------------------------------------------------------------------------
    def attendance(self):
        if not hasattr(self, "_attendance"):
            self._attendance = list(self.meeting.attendance.all())
        return self._attendance

    def guests(self):
        if not hasattr(self, "_guests"):
            self._guests = list(self.meeting.guests.all())
        return self._guests

    def people(self):
        w = self.w
        present, absent = [], []
        rows = self.attendance()
        self.member_count = len(rows)
        for row in rows:
            if row.status in ATTENDING:
                if row.status == AttendanceStatus.STAND_IN:
                    name = row.stand_in_name
                    position = " ".join(filter(None, (
                        row.stand_in_position, _("standing in for %(name)s") % {
                            "name": row.position or row.name})))
                else:
                    name, position = row.name, row.position
                present.append({"n": w.t(len(present) + 1), "name": thai.unit(w.t(name)), "position": w.t(position),
                                "role": row.committee_role})
            elif row.status in NOT_ATTENDING:
                absent.append({"n": w.t(len(absent) + 1), "name": thai.unit(w.t(row.name)),
                               "position": w.t(row.position), "role": row.committee_role, "reason": w.t(row.reason)})
        guests = [{"n": w.t(i), "name": thai.unit(w.t(g.name)), "position": w.t(g.position)}
                  for i, g in enumerate(self.guests(), start=1)]
        return present, absent, guests

    # -- the units no line may split -----------------------------------------------------
    def units(self):
        """Every name, place and code of this document that a line must not split."""
        from producers.models import District, Province, Subdistrict

        meeting = self.meeting
        people = {meeting.recorder_name, meeting.checker_name}
        for row in self.attendance():
            people |= {row.name, row.stand_in_name}
        people |= {g.name for g in self.guests()}
        producers, codes, districts = set(), set(), set()
        for r in self.facts.get("recusals") or []:
            people.add(r.get("member", ""))
            producers.add(r.get("product_name", ""))
            codes.add(r.get("product_code", ""))
        for row in self._fact_rows():
            # A product's name is kept whole as well as its producer's.
            producers |= {row.get("producer_name", ""), row.get("product_name", "")}
            codes.add(row.get("product_code", ""))
            districts.add(row.get("district", ""))
        province = meeting.committee.province_id
        districts |= set(District.objects.filter(province_id=province).values_list("name_th", flat=True))
        subdistricts = set(Subdistrict.objects.filter(district__province_id=province)
                           .values_list("name_th", flat=True))
        provinces = set(Province.objects.values_list("name_th", flat=True))
        places = set()
        for kind, names in (("district", districts), ("subdistrict", subdistricts), ("province", provinces)):
            for name in filter(None, names):
                places.add(name)
                places |= {prefix + name for prefix in PLACE_PREFIXES[kind]}
        phrases = {p for p in people | producers | codes | places | set(KEPT_WORDS) if p}
        if self.settings.thai_digits:
            phrases |= {thaidates.thai_digits(p) for p in phrases}
        return thai.units_of(frozenset(phrases))

    def _fact_rows(self):
        facts = self.facts
        yield from (facts.get("screening_summary") or {}).get("failures") or []
        yield from (facts.get("ranking") or {}).get("rows") or []
        approved = facts.get("approved_list") or {}
        yield from approved.get("selected") or []
        yield from approved.get("reserves") or []
        decisions = facts.get("selection_decisions") or {}
        for tie in decisions.get("ties") or []:
            yield from tie.get("rows") or []
        yield from decisions.get("moves") or []

    def build(self):
        meeting, w, s = self.meeting, self.w, self.settings
        items = list(meeting.items.select_related("previous_meeting").prefetch_related("attachments"))
        tree = [self.item(node) for node in agenda_tree(items)]
        if self.minutes and meeting.round_id:
            # Form 11 ends with the selection itself, whatever the items showed.
            if self.facts.get("approved_list") is not None:
                self._attach(self.selected_table())
                if (self.facts["approved_list"] or {}).get("reserves"):
                    self._attach(self.reserves_table())
            if (self.facts.get("screening_summary") or {}).get("failures"):
                self._attach(self.ineligible_table())
        minutes = self.minutes
        committee, label = meeting.committee.name, w.t(meeting.label)
        date, time, venue = w.date(meeting.date, weekday=True), w.time(meeting.start_time), w.t(meeting.venue)
        doc = {
            "kind": self.kind,
            "committee": committee,
            "label": label,
            "date": date,
            "venue": venue,
            "title_lines": [
                (_("Minutes of the meeting of %(committee)s") if minutes
                 else _("Agenda of the meeting of %(committee)s")) % {"committee": committee},
                _("Meeting no. %(label)s") % {"label": label},
                (_("On %(date)s") % {"date": date} if minutes
                 else _("On %(date)s at %(time)s") % {"date": date, "time": time}),
                _("At %(venue)s") % {"venue": venue},
            ],
            "items": tree,
            "attachments": [{**table, "number": w.t(n), "heading": _("Attachment %(number)s") % {"number": w.t(n)}}
                            for n, table in enumerate(self.attachments, start=1)],
            "labels": {
                "present": _("Members present"), "absent": _("Members absent"), "guests": _("Also attending"),
                "resolution": _("Resolution of the meeting"), "enclosed": _("Enclosed:"),
                "recusals": _("Members who did not take part because of a conflict of interest:"),
                "no_quorum": _("Note: recorded when the meeting had no quorum."), "when": _("When:"),
                "where": _("Where:"), "responsible": _("Responsible:"), "signed": _("(signed)"), "none": _("None."),
                "nothing": _("- None -"),
            },
            "settings": settings_of(s),
        }
        if minutes:
            present, absent, guests = self.people()
            quorum_met = len(present) >= meeting.committee.quorum_for(self.member_count)
            doc.update({
                "present": present, "absent": absent, "guests": guests,
                "opened_line": _("The meeting opened at %(time)s.") % {
                    "time": w.time(meeting.opened_time or meeting.start_time)},
                "opening": (_("With a quorum present, the chair opened the meeting and took the agenda as follows.")
                            if quorum_met else _("The chair opened the meeting and took the agenda as follows.")),
                "closed_line": (_("The meeting closed at %(time)s.") % {"time": w.time(meeting.closed_time)}
                                if meeting.closed_time else ""),
                "signatures": [
                    {"role": _("Minutes recorded by"), "name": thai.unit(w.t(meeting.recorder_name)),
                     "position": w.t(meeting.recorder_position)},
                    {"role": _("Minutes checked by"), "name": thai.unit(w.t(meeting.checker_name)),
                     "position": w.t(meeting.checker_position)},
                ],
            })
        doc = _finish(doc, self.units())
        for table in doc["attachments"]:
            table["cells"] = [list(zip([c[1] for c in table["columns"]], row)) for row in table["rows"]]
        return doc


def _finish(value, units):
    """Every text of the document cleaned (whatever a user typed prints) and its units marked."""
    if isinstance(value, str):
        return units.mark(thai.clean_marked(value))
    if isinstance(value, dict):
        return {key: item if key in _NOT_TEXT else _finish(item, units) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_finish(item, units) for item in value)
    return value


def _status_label(status):
    return {"selected": _("Selected"), "reserve": _("Reserve"), "not_selected": _("Not selected")}.get(
        status or "", status or "")


def item_preview(meeting, item):
    """What an item shows from the round, for the page where its resolution is recorded."""
    with translation.override("th"):
        builder = _Builder(meeting, MINUTES)
        blocks, activities = builder.item_facts(item)
        # Marked like the documents: the page keeps each name, place and code on one line.
        return _finish({"blocks": blocks, "activities": activities, "recusals": builder.recusals(item),
                        "tables": builder.attachments}, builder.units())


def build(meeting, kind):
    """The agenda or the minutes of `meeting` as plain data, in Thai."""
    with translation.override("th"):
        return _Builder(meeting, kind).build()

"""What the agenda and the minutes say, built once from the database and the facts.

`build(meeting, "agenda" | "minutes")` returns plain data (dicts, lists, strings in Thai, with
Thai digits when the committee wants them). meetings/pdf.py renders it through an HTML
template and WeasyPrint; meetings/documents.py writes the same data as .docx and .odt, so
the three formats never disagree. The number of queries is fixed whatever the number of rows.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import translation
from django.utils.translation import gettext as _

from kbo_site import thaidates

from .facts import facts_for
from .models import (
    ATTENDING,
    NOT_ATTENDING,
    AttendanceStatus,
    DocumentSettings,
    ItemKind,
    RoundFacts,
)

AGENDA, MINUTES = "agenda", "minutes"


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
        title = _("Products selected (%(count)s)") % {"count": self.w.n(len(rows))}
        return _table("selected", title, self._product_columns(), self._product_rows(rows))

    def reserves_table(self):
        approved = self.facts.get("approved_list") or {}
        rows = approved.get("reserves") or []
        title = _("Reserve products (%(count)s)") % {"count": self.w.n(len(rows))}
        return _table("reserves", title, self._product_columns(), self._product_rows(rows))

    def ineligible_table(self):
        summary = self.facts.get("screening_summary") or {}
        w = self.w
        rows = [[w.t(i), f.get("product_code", ""), self._product(f), "\n".join(w.t(r) for r in f.get("reasons", []))]
                for i, f in enumerate(summary.get("failures") or [], start=1)]
        title = _("Products that did not meet the eligibility criteria (%(count)s)") % {"count": w.n(len(rows))}
        columns = [(_("No."), "num"), (_("Product code"), "code"), (_("Product and producer"), "half"),
                   (_("Reasons"), "half")]
        return _table("ineligible", title, columns, rows)

    def ranking_table(self):
        ranking = self.facts.get("ranking") or {}
        w = self.w
        rows = [[w.t(row.get("rank", "")), row.get("product_code", ""), self._product(row), w.score(row.get("score")),
                 w.score(row.get("median")), w.t(row.get("scorers", "")), w.t(_status_label(row.get("status")))]
                for row in ranking.get("rows") or []]
        columns = [(_("Rank"), "num"), (_("Product code"), "code"), (_("Product and producer"), "product"),
                   (_("Score"), "score"), (_("Median"), "score"), (_("Scorers"), "num"), (_("Result"), "result")]
        note = w.t(ranking.get("tie_break_rule") or "")
        return _table("ranking", _("Ranking of the eligible products"), columns, rows, note=note)

    # -- what an item says about its facts --------------------------------------------
    def item_facts(self, item):
        """(paragraphs, list items, activities) an item shows from the round or the plan."""
        lines, bullets, activities = [], [], []
        for kind in item.facts:
            self._facts_of_kind(kind, lines, bullets, activities)
        return lines, bullets, activities

    def _facts_of_kind(self, kind, lines, bullets, activities):
        w = self.w
        if kind == RoundFacts.REGISTRY_SUMMARY and self.facts.get("registry_summary"):
            s = self.facts["registry_summary"]
            lines.append(_("Community producers and OTOP entrepreneurs registered in %(year_from)s–%(year_to)s, "
                           "%(province)s: %(producers)s producers, %(products)s products.") % {
                "year_from": w.t(s.get("year_from")), "year_to": w.t(s.get("year_to")),
                "province": s.get("province", ""), "producers": w.n(s.get("producers")),
                "products": w.n(s.get("products"))})
        elif kind == RoundFacts.ELIGIBILITY_RULES and self.facts.get("eligibility_rules") is not None:
            for rule in self.facts["eligibility_rules"]:
                bullets.append(w.t(rule.get("text") or rule.get("label", "") if isinstance(rule, dict) else rule))
        elif kind == RoundFacts.SCREENING_SUMMARY and self.facts.get("screening_summary"):
            s = self.facts["screening_summary"]
            number = self._attach(self.ineligible_table())
            lines.append(_("%(submitted)s products were submitted; %(failed)s did not meet the eligibility criteria "
                           "(attachment %(number)s).") % {"submitted": w.n(s.get("submitted")),
                                                          "failed": w.n(s.get("failed")), "number": number})
        elif kind == RoundFacts.RANKING and self.facts.get("ranking"):
            number = self._attach(self.ranking_table())
            lines.append(_("The committee's scores rank %(count)s eligible products (attachment %(number)s).") % {
                "count": w.n(len(self.facts["ranking"].get("rows") or [])), "number": number})
        elif kind == RoundFacts.APPROVED_LIST and self.facts.get("approved_list") is not None:
            approved = self.facts["approved_list"]
            selected, reserves = self._attach(self.selected_table()), None
            if approved.get("reserves"):
                reserves = self._attach(self.reserves_table())
            text = _("%(count)s products are selected (attachment %(number)s)") % {
                "count": w.n(len(approved.get("selected") or [])), "number": selected}
            if reserves:
                text += _(", with %(count)s reserves (attachment %(number)s)") % {
                    "count": w.n(len(approved["reserves"])), "number": reserves}
            lines.append(text)
        elif kind == RoundFacts.ACTIVITY_PLAN:
            for n, a in enumerate(self.facts.get("activity_plan") or [], start=1):
                when = w.date_range(a.get("start_date"), a.get("end_date"), a.get("whole_months"))
                activities.append({
                    "label": _("Activity %(number)s") % {"number": w.t(n)},
                    "title": w.t(a["title"]), "description": [w.t(p) for p in paragraphs(a.get("description"))],
                    "when": when, "venue": w.t(a.get("venue")), "responsible": w.t(a.get("responsible")),
                })

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

    def item(self, node):
        item, w = node.item, self.w
        lines, bullets, activities = self.item_facts(item)
        number = w.t(node.number)
        heading = (_("Agenda item %(number)s") % {"number": number}) if node.is_top else number
        out = {
            "number": number, "heading": heading, "title": w.t(item.title), "is_top": node.is_top,
            "body": [w.t(p) for p in paragraphs(item.body)], "fact_lines": lines, "fact_bullets": bullets,
            "activities": activities, "attachments": [w.t(a.title) for a in item.attachments.all()],
            "previous": "", "discussion": [], "resolution": [], "votes": "", "recusals": [], "without_quorum": False,
            "children": [self.item(child) for child in node.children],
        }
        if item.kind == ItemKind.PREVIOUS_MINUTES and item.previous_meeting_id:
            previous = item.previous_meeting
            out["previous"] = _("Minutes of meeting %(label)s, held on %(date)s") % {
                "label": w.t(previous.label), "date": w.date(previous.date, weekday=True)}
        if self.kind == MINUTES:
            out["discussion"] = [w.t(p) for p in paragraphs(item.discussion)]
            out["resolution"] = [w.t(p) for p in paragraphs(item.resolution)]
            out["votes"] = self.votes(item)
            out["recusals"] = self.recusals(item)
            out["without_quorum"] = item.without_quorum
        return out

    # -- people ------------------------------------------------------------------------
    def people(self):
        w = self.w
        present, absent = [], []
        rows = list(self.meeting.attendance.all())
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
                present.append({"n": w.t(len(present) + 1), "name": w.t(name), "position": w.t(position),
                                "role": row.committee_role})
            elif row.status in NOT_ATTENDING:
                absent.append({"n": w.t(len(absent) + 1), "name": w.t(row.name), "position": w.t(row.position),
                               "role": row.committee_role, "reason": w.t(row.reason)})
        guests = [{"n": w.t(i), "name": w.t(g.name), "position": w.t(g.position)}
                  for i, g in enumerate(self.meeting.guests.all(), start=1)]
        return present, absent, guests

    def build(self):
        meeting, w, s = self.meeting, self.w, self.settings
        items = list(meeting.items.select_related("previous_meeting").prefetch_related("attachments"))
        tree = [self.item(node) for node in agenda_tree(items)]
        if self.kind == MINUTES and meeting.round_id:
            # Form 11 ends with the selection itself, whatever the items showed.
            if self.facts.get("approved_list") is not None:
                self._attach(self.selected_table())
                if (self.facts["approved_list"] or {}).get("reserves"):
                    self._attach(self.reserves_table())
            if (self.facts.get("screening_summary") or {}).get("failures"):
                self._attach(self.ineligible_table())
        minutes = self.kind == MINUTES
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
            },
            "settings": {
                "margin_top": s.margin_top_cm, "margin_bottom": s.margin_bottom_cm,
                "margin_left": s.margin_left_cm, "margin_right": s.margin_right_cm,
                "page_numbers": s.page_numbers, "thai_digits": s.thai_digits,
            },
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
                    {"role": _("Minutes recorded by"), "name": w.t(meeting.recorder_name),
                     "position": w.t(meeting.recorder_position)},
                    {"role": _("Minutes checked by"), "name": w.t(meeting.checker_name),
                     "position": w.t(meeting.checker_position)},
                ],
            })
        return doc


def _status_label(status):
    return {"selected": _("Selected"), "reserve": _("Reserve"), "not_selected": _("Not selected")}.get(
        status or "", status or "")


def item_preview(meeting, item):
    """What an item shows from the round, for the page where its resolution is recorded."""
    with translation.override("th"):
        builder = _Builder(meeting, MINUTES)
        lines, bullets, activities = builder.item_facts(item)
        return {"lines": lines, "bullets": bullets, "activities": activities, "recusals": builder.recusals(item),
                "tables": builder.attachments}


def build(meeting, kind):
    """The agenda or the minutes of `meeting` as plain data, in Thai."""
    with translation.override("th"):
        return _Builder(meeting, kind).build()

"""The agenda and the minutes as official Thai PDFs, through WeasyPrint.

Sarabun comes from the fontpkg-sarabun package by file:// URL (no network). Pango breaks
Thai lines with libthai's dictionary, so lines end at word boundaries and never split a
consonant from its vowel or tone mark (tests/meetings/test_pdf.py checks it); meetings/thai.py
narrows those places further, and keeps names, places and codes whole. The attendance tables
size their name column to the longest name (`people_columns`).
"""

import functools
import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from kbo_site import lazy
from kbo_site.pdf import font_face_css, render_html

from . import record, thai

TTFont = lazy.name("fontTools.ttLib", "TTFont")


@functools.lru_cache(maxsize=2)
def _advances(style):
    """{code point: advance width in em} of a Sarabun style."""
    font = TTFont(settings.SARABUN_DIR / f"Sarabun-{style}.ttf", lazy=True)
    metrics, em = font["hmtx"], font["head"].unitsPerEm
    return {code: metrics[glyph][0] / em for code, glyph in font.getBestCmap().items()}


def text_width_cm(text, size_pt, bold=False):
    """The width of one line of `text` in Sarabun, in cm (marks have no advance; a character
    Sarabun lacks counts as a wide one)."""
    advances = _advances("Bold" if bold else "Regular")
    ems = sum(advances.get(ord(char), 0.8) for char in thai.plain(text))
    return ems * size_pt * 2.54 / 72


# Padding of a people table's cell (4 pt on the right) and a little air, in cm.
_CELL_SLACK_CM = 0.25
NUMBER_COLUMN_CM = 1.0


def people_columns(doc):
    """Widths (cm) of the attendance tables' columns, the same for the three tables so they align.

    The name column is as wide as the longest name, so no name wraps. The committee role
    ("ประธานกรรมการ") gets its longest text, but at most 40% of what the names leave unless its
    longest word needs more; the position takes the rest and wraps within its column.
    """
    s = doc["settings"]
    size = float(s.get("font_size") or 16)
    text = 21 - float(s["margin_left"]) - float(s["margin_right"])
    rows = [*doc.get("present", []), *doc.get("absent", []), *doc.get("guests", []), *doc.get("distribution", [])]
    name = max((text_width_cm(r["name"], size) for r in rows), default=3) + _CELL_SLACK_CM
    # A name longer than half the line (it should not happen) wraps at its spaces rather than
    # pushing the positions off the page.
    name = min(name, (text - NUMBER_COLUMN_CM) * 0.5)
    rest = text - NUMBER_COLUMN_CM - name
    roles = [r.get("role", "") for r in rows if r.get("role")]
    longest = max((text_width_cm(role, size) for role in roles), default=0) + _CELL_SLACK_CM
    longest_word = max((text_width_cm(word, size) for role in roles for word in _words(role)), default=0)
    role = min(longest, max(rest * 0.4, longest_word + _CELL_SLACK_CM))
    position = rest - role
    return {"n": NUMBER_COLUMN_CM, "name": round(name, 2), "position": round(position, 2), "role": round(role, 2)}


def _words(text):
    """The words of a Thai phrase where a line may end (meetings/thai.py's agreed breaks)."""
    text = thai.plain(text)
    words = []
    for part in text.split():
        cuts = [0, *sorted(thai.agreed_breaks(part)), len(part)] if thai.is_thai(part) else [0, len(part)]
        words += [part[a:b] for a, b in zip(cuts, cuts[1:])]
    return words


# The fixed columns of the attachments' tables (base.css: their content widths), in cm; the
# product column takes the rest.
GRID_COLUMNS_CM = {"num": 1.4, "code": 3.3, "score": 1.9, "result": 2.3, "reasons": 4.0}
# A table cell's padding (4 pt each side) and the deepest indent of body text (a list item
# under an item, an activity's details), in cm.
_GRID_PADDING_CM = 0.3
_DEEPEST_INDENT_CM = 3.5


def grid_widths(columns, text):
    """The content widths (cm) of an attachment table's columns on a line `text` cm wide."""
    fixed = sum(GRID_COLUMNS_CM.get(css, 0) for _label, css in columns)
    shared = [css for _label, css in columns if css not in GRID_COLUMNS_CM]
    rest = (text - fixed - _GRID_PADDING_CM * len(columns)) / max(len(shared), 1)
    return [GRID_COLUMNS_CM.get(css, rest) for _label, css in columns]


# Where a name too long for its column may wrap: at its spaces, after the kind of group, before
# the village ("วิสาหกิจชุมชน|ข้าวแต๋น…|บ้านเหมืองเกี๋ยง").
_NAME_PARTS = re.compile(r"( +)|(?<=วิสาหกิจชุมชน)(?=.)|(?<=.)(?=บ้าน)")


def _fit(value, limit_cm, size_pt, bold=False):
    """`value` with each unit kept whole only if it fits on one line of its column (`limit_cm`
    wide): a longer one keeps its own parts whole instead, and wraps between them."""
    if isinstance(value, str):
        def fitted(match):
            text = match.group(1)
            if text_width_cm(text, size_pt, bold) <= limit_cm:
                return match.group(0)
            parts = [part for part in _NAME_PARTS.split(text) if part]
            return "".join(part if part.isspace() or text_width_cm(part, size_pt, bold) > limit_cm
                           else thai.unit(part) for part in parts)

        return thai.UNIT_PATTERN.sub(fitted, value)
    if isinstance(value, dict):
        return {key: _fit(item, limit_cm, size_pt, bold) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_fit(item, limit_cm, size_pt, bold) for item in value)
    return value


def fit_units(doc, columns=None):
    """The document with each unit kept whole only where it fits its column."""
    s = doc.get("settings") or {}
    size = float(s.get("font_size") or 16)
    text = 21 - float(s.get("margin_left", 3)) - float(s.get("margin_right", 2))
    doc = dict(doc)
    attachments = []
    for table in doc.get("attachments") or []:
        widths = grid_widths(table["columns"], text)
        rows = [[_fit(cell, width, size - 2) for cell, width in zip(row, widths)]
                for row in table["rows"]]
        attachments.append({**table, "rows": rows,
                            "cells": [list(zip([c[1] for c in table["columns"]], row)) for row in rows]})
    doc["attachments"] = attachments
    if columns:
        for key in ("present", "absent", "guests", "distribution"):
            # Guests and a distribution list have no role: their position takes its column too.
            position_cm = columns["position"] + (columns["role"] if key in ("guests", "distribution") else 0) - 0.2
            doc[key] = [{**row, "name": _fit(row["name"], columns["name"], size),
                         "position": _fit(row["position"], position_cm, size),
                         "role": _fit(row.get("role", ""), columns["role"], size),
                         "reason": _fit(row.get("reason", ""), columns["role"], size)}
                        for row in doc.get(key) or []]
    doc["title_lines"] = _fit(doc.get("title_lines") or [], text, size, bold=True)
    return _fit(doc, text - _DEEPEST_INDENT_CM, size)


def render_document(doc):
    """PDF bytes for a document built by meetings.record.build."""
    # The minutes' attendance, an order's members and a letter's distribution list are tables of people.
    columns = people_columns(doc) if doc["kind"] in ("minutes", "letter_order", "letter_external") else None
    doc = fit_units(doc, columns)
    with translation.override("th"):
        html = render_to_string(f"meetings/pdf/{doc['kind']}.html", {
            "doc": doc, "font_faces": font_face_css(), "columns": columns})
    # A unit marker the templates did not consume must never reach the page.
    return render_html(html.replace(thai.UNIT_OPEN, "").replace(thai.UNIT_CLOSE, ""))


def render_agenda(meeting):
    return render_document(record.build(meeting, record.AGENDA))


def render_minutes(meeting):
    return render_document(record.build(meeting, record.MINUTES))


def render_floor():
    """A one-page document with the same stylesheet: the floor the benchmarks compare against."""
    doc = {
        "kind": "floor",
        "title_lines": ["รายงานการประชุมคณะกรรมการเครือข่ายองค์ความรู้", "ครั้งที่ ๑/๒๕๖๕"],
        "sample": "คณะกรรมการเครือข่ายองค์ความรู้ได้ดำเนินการคัดเลือกผลิตภัณฑ์สินค้า OTOP "
                  "ซึ่งมีผลิตภัณฑ์ส่งเข้าร่วมการคัดเลือกทั้งหมด ๔๒ ผลิตภัณฑ์",
        "settings": {"margin_top": 2.5, "margin_bottom": 2, "margin_left": 3, "margin_right": 2,
                     "page_numbers": True, "thai_digits": True, "font_size": 16, "line_spacing": 1.3},
    }
    return render_document(doc)


# The sign-in sheet's fixed columns (ลำดับ, ลายมือชื่อ), in cm; the name column fits the longest
# name and the position or group takes the rest.
SIGN_IN_NUMBER_CM = 1.1
SIGN_IN_SIGNATURE_CM = 3.2
_SIGN_IN_PADDING_CM = 0.3


def sign_in_columns(doc):
    """Widths (cm) of the sign-in sheet's columns: no name wraps unless it is longer than 60%
    of what the fixed columns leave (it then wraps at its spaces)."""
    s = doc["settings"]
    size = float(s.get("font_size") or 16) - 2
    text = 21 - float(s["margin_left"]) - float(s["margin_right"])
    rest = text - SIGN_IN_NUMBER_CM - SIGN_IN_SIGNATURE_CM - 4 * _SIGN_IN_PADDING_CM
    name = max((text_width_cm(r["name"], size) for r in doc["rows"]), default=3.5) + _CELL_SLACK_CM
    name = min(max(name, 3.5), rest * 0.6)
    return {"n": SIGN_IN_NUMBER_CM, "name": round(name, 2), "organisation": round(rest - name, 2),
            "signature": SIGN_IN_SIGNATURE_CM, "size": size}


def render_sign_in_sheet(workshop):
    """PDF bytes of a workshop's sign-in sheet (ใบลงทะเบียน): one page group per day, one row per
    participant with a box to sign (meetings.workshops.sign_in_sheet)."""
    from . import workshops

    doc = workshops.sign_in_sheet(workshop)
    columns = sign_in_columns(doc)
    size, text = columns["size"], 21 - float(doc["settings"]["margin_left"]) - float(doc["settings"]["margin_right"])
    organisation_cm = columns["organisation"]
    # A position or group that fits its column stays on one line; a longer one wraps between its
    # words, never inside a name or a place.
    doc["rows"] = [{"n": row["n"], "name": _fit(row["name"], columns["name"], size),
                    "organisation": (thai.unit(row["organisation"])
                                     if text_width_cm(row["organisation"], size) <= organisation_cm - 0.1
                                     else _fit(row["organisation_marked"], organisation_cm, size))}
                   for row in doc["rows"]]
    doc["venue"] = _fit(doc["venue"], text, size + 2)
    doc["workshop"] = _fit(doc["workshop"], text, size + 2, bold=True)
    with translation.override("th"):
        html = render_to_string("meetings/pdf/sign_in.html", {
            "doc": doc, "font_faces": font_face_css(), "columns": columns})
    return render_html(html.replace(thai.UNIT_OPEN, "").replace(thai.UNIT_CLOSE, ""))

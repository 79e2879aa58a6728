"""The committee's official letters, in the forms of ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ:

- the appointment order or announcement (คำสั่ง/ประกาศจังหวัด … เรื่อง แต่งตั้ง…), from the
  committee's Appointment record and its members;
- the invitation to a meeting (หนังสือภายนอก), one letter with a distribution list, the agenda
  enclosed;
- the memo (บันทึกข้อความ) asking the head of office to approve the meeting and its budget.

Each is built as plain data (like meetings.record.build), drawn as PDF by meetings.pdf through
templates/meetings/pdf/letter_*.html and as .docx/.odt by meetings.documents from the same
data. Issuing a letter takes the next number of the office's outgoing register
(ทะเบียนหนังสือส่ง) and stores the PDF and the data as issued; reissuing makes a new letter.

The fixed words of the forms (ที่, เรื่อง, เรียน, ขอแสดงความนับถือ …) are written in Thai here:
they are the official form, never translated.
"""

import io
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kbo_site import i18n, lazy, thaidates
from kbo_site.actions import log_action
from kbo_site.models import Action

from . import document_store, documents, pdf, thai
from .models import (
    Appointment,
    AppointmentForm,
    DocumentSettings,
    ItemAttachment,
    Letter,
    LetterCounter,
    LetterKind,
    Office,
)
from .record import KEPT_WORDS, APPOINTMENT_FORM_WORDS, Writer, appointment_citation, finish, settings_of
from .services import MeetingError

# pypdf (and the fontTools it loads) on the first merge, not when a view imports this module.
PdfWriter = lazy.name("pypdf", "PdfWriter")
logger = logging.getLogger(__name__)

EMBLEM = "static/meetings/garuda.svg"
# The same drawing as PNG for Word and LibreOffice (python-docx places no SVG), and its width/height.
EMBLEM_PNG, EMBLEM_ASPECT = "static/meetings/garuda.png", 200 / 240
ROLE_WORDS = {"chair": "ประธานกรรมการ", "member": "กรรมการ", "secretary": "กรรมการและเลขานุการ"}
ASSISTANT_SECRETARY = "ผู้ช่วยเลขานุการ"
MAX_BUDGET = 10_000_000


# ---------------------------------------------------------------- the register's numbers

def take_number(province_id, year_be):
    """The next number of the office's register for `year_be`, inside the caller's transaction.

    The counter row is created once per office and year, then raised by an UPDATE, which
    takes the row's lock (PostgreSQL) or the database's write lock (SQLite) before reading:
    a second officer issuing at the same moment waits, then gets the next number. If the
    caller's transaction fails, the number goes back with it, so the register has no gap.
    """
    LetterCounter.objects.get_or_create(province_id=province_id, year_be=year_be)
    LetterCounter.objects.filter(province_id=province_id, year_be=year_be).update(last_number=F("last_number") + 1)
    return (LetterCounter.objects.select_for_update().filter(province_id=province_id, year_be=year_be)
            .values_list("last_number", flat=True).get())


def reference_text(office, number, w):
    """ชม 0019/12; a draft leaves the number blank for the register to fill."""
    code = w.t(office.letter_code) if office.letter_code else "\u2003" * 3
    return f"{code}/{w.t(number) if number else chr(0x2003) * 3}"


# ---------------------------------------------------------------- the documents as data

def emblem_uri():
    return (settings.BASE_DIR / EMBLEM).as_uri()


class _Letter:
    """What every letter of a committee shares: its office, settings, digits and units."""

    def __init__(self, committee):
        self.committee = committee
        self.office = Office.for_province(committee.province)
        self.settings = DocumentSettings.for_committee(committee)
        self.w = Writer(self.settings.thai_digits)
        self.members = list(committee.members.select_related("user").order_by("order", "pk"))

    def person(self, name):
        return thai.unit(self.w.t(name))

    def finish(self, doc, extra=()):
        """Cleaned, with names, positions and the committee's name kept whole where they fit."""
        phrases = {m.full_name for m in self.members} | {m.position for m in self.members}
        phrases |= {self.office.head_name, self.office.head_position, self.office.unit_head_name,
                    self.office.unit_head_position, self.office.name, self.committee.name, *KEPT_WORDS, *extra}
        phrases |= _places(self.committee.province)
        phrases = {p for p in phrases if p}
        if self.settings.thai_digits:
            phrases |= {thaidates.thai_digits(p) for p in phrases}
        doc = finish({**doc, "settings": settings_of(self.settings)}, thai.units_of(frozenset(phrases)))
        doc["emblem"] = emblem_uri()
        return doc

    def distribution(self):
        return [{"n": self.w.t(n), "name": self.person(m.full_name), "position": self.w.t(m.position)}
                for n, m in enumerate(self.members, start=1)]


def _places(province):
    """The province's name and its districts', as a letter writes them: kept whole."""
    from producers.models import District

    places = {f"จังหวัด{province.name_th}"}
    for name in District.objects.filter(province=province).values_list("name_th", flat=True):
        places |= {f"อำเภอ{name}", f"อ.{name}"}
    return places


def _addressee(committee):
    name = committee.name
    members = f"กรรมการ{name[len('คณะกรรมการ'):]}" if name.startswith("คณะกรรมการ") else name
    return f"{members} (ตามบัญชีรายชื่อแนบท้าย)"


def _appointment_data(meeting, issued_on):
    """The order a letter of `issued_on` cites (a draft: the one in force today)."""
    from .facts import appointment

    return appointment(meeting, on=issued_on or timezone.localdate())


def invitation(meeting, *, number=None, issued_on=None):
    """The invitation to `meeting` (หนังสือภายนอก) as data; a draft without a number or date."""
    letter = _Letter(meeting.committee)
    w, office, committee = letter.w, letter.office, meeting.committee
    label, date = w.t(meeting.label), w.date(meeting.date, weekday=True)
    when = f"ใน{date} เวลา {w.time(meeting.start_time)} น. ณ {w.t(meeting.venue)}"
    appointed = _appointment_data(meeting, issued_on)
    enclosures = [f"ระเบียบวาระการประชุม จำนวน {w.t(1)} ชุด"]
    enclosures += [f"{a.title} จำนวน {w.t(1)} ฉบับ"
                   for a in ItemAttachment.objects.filter(item__meeting=meeting).order_by("item__order", "pk")]
    body = []
    if appointed:
        body.append(f"ตามที่{APPOINTMENT_FORM_WORDS[appointed['form']]}{appointed['authority']}ที่อ้างถึง "
                    f"ได้แต่งตั้งให้ท่านเป็นกรรมการใน{committee.name} นั้น")
        body.append(f"ในการนี้ {office.name} ในฐานะฝ่ายเลขานุการ กำหนดจัดการประชุมคณะกรรมการ "
                    f"ครั้งที่ {label} {when}")
    else:
        body.append(f"ด้วย{office.name} กำหนดจัดการประชุม{committee.name} ครั้งที่ {label} {when}")
    body.append("จึงเรียนมาเพื่อโปรดเข้าร่วมประชุมตามวัน เวลา และสถานที่ดังกล่าว")
    doc = {
        "kind": "letter_external",
        "title_lines": [f"ขอเชิญประชุม{committee.name} ครั้งที่ {label}"],
        "reference": reference_text(office, number, w),
        "office_lines": [office.name, *[w.t(line) for line in office.address.splitlines() if line.strip()]],
        "date": w.date(issued_on) if issued_on else "",
        "subject": f"ขอเชิญประชุม{committee.name} ครั้งที่ {label}",
        "addressee": _addressee(committee),
        "cited": appointment_citation(appointed, w, subject=False) if appointed else "",
        "enclosures": [f"{w.t(n)}. {text}" if len(enclosures) > 1 else text
                       for n, text in enumerate(enclosures, start=1)],
        "body": body,
        "closing": "ขอแสดงความนับถือ",
        "signer_name": letter.person(office.head_name),
        "signer_position": w.t(office.head_position),
        "unit": office.unit,
        "phone": f"โทร. {w.t(office.phone)}" if office.phone else "",
        "distribution_title": f"บัญชีรายชื่อผู้รับหนังสือ{office.name} ที่ {reference_text(office, number, w)}"
                              + (f" ลงวันที่ {w.date(issued_on)}" if issued_on else ""),
        "distribution": letter.distribution(),
    }
    doc = letter.finish(doc, extra=(*_meeting_units(meeting, w, issued_on), doc["reference"]))
    doc["distribution_columns"] = pdf.people_columns(doc)
    doc["office_lines"] = _whole_where_they_fit(doc, doc["office_lines"], ADDRESS_COLUMN_CM)
    # ส่วนราชการเจ้าของเรื่อง and โทร. stand at the foot of the letter's first page, in its margin.
    doc["foot_css"] = r"\A ".join(css_string(line) for line in (doc["unit"], doc["phone"]) if line)
    return doc


def _whole_where_they_fit(doc, lines, column_cm):
    """Each line kept on one line of its column when it fits there (a street name is no unit)."""
    s = doc["settings"]
    size = float(s.get("font_size") or 16)
    width = 21 - float(s["margin_left"]) - float(s["margin_right"]) - column_cm
    # A longer line wraps only at its spaces.
    return [thai.unit(thai.plain(line)) if pdf.text_width_cm(line, size) <= width - 0.2
            else " ".join(thai.unit(part) for part in thai.plain(line).split(" ")) for line in lines]


def css_string(text):
    """`text` as the inside of a CSS string: every character but letters, digits and spaces
    escaped, so nothing typed can end the string or the style element."""
    return "".join(char if char.isalnum() or char == " " else f"\\{ord(char):x} " for char in thai.plain(text))


def _meeting_units(meeting, w, issued_on):
    """A meeting's number, date and time and a letter's dates: never split over two lines."""
    appointed = _appointment_data(meeting, issued_on)
    return (w.date(appointed["signed_on"]) if appointed else "", f"ครั้งที่ {w.t(meeting.label)}",
            w.date(meeting.date, weekday=True), w.date(issued_on),
            f"เวลา {w.time(meeting.start_time)} น.", meeting.venue)


def memo(meeting, *, number=None, issued_on=None, budget=None, budget_source=""):
    """The memo (บันทึกข้อความ) asking the head of office to approve the meeting and its budget."""
    letter = _Letter(meeting.committee)
    w, office, committee = letter.w, letter.office, meeting.committee
    label = w.t(meeting.label)
    appointed = _appointment_data(meeting, issued_on)
    people = meeting.attendance.count() + meeting.guests.count() or len(letter.members)
    body = []
    if appointed:
        body.append(f"ตาม{appointment_citation(appointed, w)} โดยมี{office.name}เป็นฝ่ายเลขานุการ นั้น")
    body.append(f"{office.unit or office.name} พิจารณาแล้ว เห็นควรจัดการประชุม{committee.name} ครั้งที่ {label} "
                f"ใน{w.date(meeting.date, weekday=True)} เวลา {w.time(meeting.start_time)} น. "
                f"ณ {w.t(meeting.venue)} ผู้เข้าร่วมประชุม จำนวน {w.n(people)} คน")
    if budget is None:
        body.append("โดยใช้งบประมาณ เป็นเงิน ................ บาท")
    elif budget:
        source = f"จาก{w.t(budget_source)} " if budget_source else ""
        body.append(f"โดยใช้งบประมาณ{source}เป็นเงินทั้งสิ้น {w.t(f'{budget:,.2f}')} บาท")
    else:
        body.append("โดยไม่ใช้งบประมาณ")
    body.append("จึงเรียนมาเพื่อโปรดพิจารณา หากเห็นชอบโปรดอนุมัติให้จัดการประชุม"
                + ("และเบิกจ่ายงบประมาณดังกล่าว" if budget != 0 else "ดังกล่าว"))
    section = " ".join(filter(None, (office.name, office.unit, f"โทร. {w.t(office.phone)}" if office.phone else "")))
    doc = {
        "kind": "letter_memo",
        "title_lines": ["บันทึกข้อความ"],
        "section": section,
        "reference": reference_text(office, number, w),
        "date": w.date(issued_on) if issued_on else "",
        "subject": f"ขออนุมัติจัดการประชุม{committee.name} ครั้งที่ {label}",
        "addressee": w.t(office.head_position),
        "body": body,
        "signer_name": letter.person(office.unit_head_name),
        "signer_position": w.t(office.unit_head_position),
    }
    return letter.finish(doc, extra=_meeting_units(meeting, w, issued_on))


def default_appointment(committee):
    """An unsaved Appointment with the text an officer starts from."""
    province = committee.province.name_th
    return Appointment(
        committee=committee, form=AppointmentForm.ORDER, signed_on=timezone.localdate(),
        preamble=(f"ด้วยจังหวัด{province} ดำเนินโครงการส่งเสริมกระบวนการเครือข่ายองค์ความรู้ "
                  f"(Knowledge-Based OTOP : KBO) จังหวัด เพื่อคัดเลือกและพัฒนาผลิตภัณฑ์ของผู้ผลิต ผู้ประกอบการ OTOP "
                  "ให้มีคุณภาพ ได้มาตรฐาน และเป็นที่ต้องการของตลาด"),
        legal_basis=(f"เพื่อให้การดำเนินงานเป็นไปด้วยความเรียบร้อยและบรรลุวัตถุประสงค์ อาศัยอำนาจตามความในมาตรา 57 "
                     f"แห่งพระราชบัญญัติระเบียบบริหารราชการแผ่นดิน พ.ศ. 2534 จึงแต่งตั้ง{committee.name} "
                     "ประกอบด้วย"),
        duties="\n".join((
            "พิจารณาคัดเลือกผู้ผลิต ผู้ประกอบการ OTOP เข้าร่วมโครงการ ตามหลักเกณฑ์ที่กรมการพัฒนาชุมชนกำหนด",
            "ให้คำแนะนำและถ่ายทอดองค์ความรู้ด้านการพัฒนาผลิตภัณฑ์ บรรจุภัณฑ์ และการตลาด "
            "แก่ผู้ผลิต ผู้ประกอบการที่ได้รับการคัดเลือก",
            "ติดตามและประเมินผลการพัฒนาผลิตภัณฑ์ และรายงานผลการดำเนินงานให้จังหวัดทราบ",
            "ปฏิบัติงานอื่นตามที่ได้รับมอบหมาย",
        )),
        signer_position=f"ผู้ว่าราชการจังหวัด{province}",
    )


def appointment_document(appointment):
    """The order or announcement as data, listing the committee as it stands now."""
    committee = appointment.committee
    letter = _Letter(committee)
    w = letter.w
    word = APPOINTMENT_FORM_WORDS[appointment.form]
    authority = f"จังหวัด{committee.province.name_th}"
    members = [{"n": w.t(n), "name": letter.person(m.full_name), "position": w.t(m.position),
                "role": ROLE_WORDS.get(m.role, "")} for n, m in enumerate(letter.members, start=1)]
    for line in (line.strip() for line in appointment.assistant_secretaries.splitlines()):
        if line:
            members.append({"n": w.t(len(members) + 1), "name": "", "position": w.t(line),
                            "role": ASSISTANT_SECRETARY})
    title = [f"{word}{authority}"]
    if appointment.number and appointment.form == AppointmentForm.ORDER:
        title.append(f"ที่ {w.t(appointment.number)}")
    title.append(f"เรื่อง แต่งตั้ง{committee.name}")
    signed = "สั่ง" if appointment.form == AppointmentForm.ORDER else "ประกาศ"
    date = appointment.signed_on
    doc = {
        "kind": "letter_order",
        "title_lines": title,
        "preamble": [w.t(p.strip()) for p in appointment.preamble.splitlines() if p.strip()],
        "legal_basis": [w.t(p.strip()) for p in appointment.legal_basis.splitlines() if p.strip()],
        "members": members,
        "duties_intro": "ให้คณะกรรมการมีอำนาจหน้าที่ ดังนี้",
        "duties": [f"{w.t(n)}. {w.t(d.strip())}"
                   for n, d in enumerate((d for d in appointment.duties.splitlines() if d.strip()), start=1)],
        "effective": "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป",
        "signed_line": (f"{signed} ณ วันที่ {w.t(date.day)} เดือน {thaidates.THAI_MONTHS[date.month - 1]} "
                        f"พ.ศ. {w.t(thaidates.be_year(date.year))}"),
        "signer_name": letter.person(appointment.signer_name),
        "signer_position": w.t(appointment.signer_position),
    }
    doc = letter.finish(doc, extra=(appointment.signer_name, appointment.signer_position, w.date(date)))
    # The members as the minutes list people ("present"): meetings.pdf sizes the columns to them.
    doc["present"] = doc.pop("members")
    doc["member_columns"] = pdf.people_columns(doc)
    # The PDF sets name and position in one column, so the roles keep their whole width.
    size = float(doc["settings"]["font_size"] or 16)
    doc["role_cm"] = round(max(pdf.text_width_cm(role, size) for role in (*ROLE_WORDS.values(), ASSISTANT_SECRETARY))
                           + 0.3, 2)
    return doc


# ---------------------------------------------------------------- drawing them

def render(doc, fmt):
    """Bytes of a letter's data as "pdf", "docx" or "odt"."""
    if fmt == "pdf":
        return pdf.render_document(doc)
    return documents.render_blocks({**doc, "settings": {**doc["settings"], "page_numbers": False}},
                                   list(blocks_of(doc)), fmt)


def stored(key, which, fmt, doc):
    """The rendered letter as an open file, rendered once per change (meetings.document_store)."""
    return document_store.stored(key, which, fmt, doc, renderer=render)


def merged(*parts):
    """One PDF of several: the letter first, then what it encloses."""
    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def enclosed(meeting):
    """The agenda, then the items' attachments that are PDFs, as the PDFs the invitation encloses.
    An attachment pypdf cannot read is left out of the file; the letter still names it."""
    with document_store.document_file(meeting, "agenda", "pdf") as agenda:
        parts = [agenda.read()]
    for attachment in ItemAttachment.objects.filter(item__meeting=meeting, content_type="application/pdf") \
            .order_by("item__order", "pk"):
        try:
            with attachment.file.open("rb") as handle:
                data = handle.read()
            PdfWriter().append(io.BytesIO(data))
        except Exception:  # noqa: BLE001 - a damaged upload must not stop the letter
            logger.warning("Attachment %s of meeting %s is not a readable PDF; not enclosed", attachment.pk,
                           meeting.pk)
            continue
        parts.append(data)
    return parts


def invitation_pdf(meeting, doc):
    """The invitation letter with the agenda enclosed, as one PDF."""
    with stored(meeting.pk, "invitation", "pdf", doc) as letter:
        return merged(letter.read(), *enclosed(meeting))


def _p(text, **style):
    return {"type": "p", "text": text, "bold": style.get("bold", False), "center": style.get("center", False),
            "indent": style.get("indent", 0.0), "first": style.get("first", 0.0),
            "label": style.get("label", ""), "space_before": style.get("space_before", 0)}


SIGNATURE_INDENT_CM = 7.0
# The width of the ที่ column beside the office's address (templates/meetings/pdf/letter.css).
ADDRESS_COLUMN_CM = 7.5
DATE_INDENT_CM = 8.0
LABEL_HANG_CM = 2.9


def _signature(doc, closing=""):
    if closing:
        yield _p(closing, center=True, indent=SIGNATURE_INDENT_CM, space_before=12)
    yield _p(f"({doc['signer_name']})" if doc["signer_name"] else "(\u2003\u2003\u2003\u2003\u2003\u2003)",
             center=True, indent=SIGNATURE_INDENT_CM, space_before=42)
    yield _p(doc["signer_position"], center=True, indent=SIGNATURE_INDENT_CM)


def _labelled(label, text):
    return _p(f"{label}\u2002{text}", indent=LABEL_HANG_CM, first=-LABEL_HANG_CM)


def _emblem(height_cm, center):
    return {"type": "image", "path": settings.BASE_DIR / EMBLEM_PNG, "height_cm": height_cm, "center": center,
            "aspect": EMBLEM_ASPECT}


def blocks_of(doc):
    """The letter as the paragraphs and tables meetings.documents writes to .docx and .odt."""
    kind = doc["kind"]
    if kind == "letter_external":
        yield _emblem(3, center=True)
        yield _p(f"ที่ {doc['reference']}")
        for line in doc["office_lines"]:
            yield _p(line, indent=DATE_INDENT_CM + 1)
        yield _p(doc["date"] or "\u2003", indent=DATE_INDENT_CM, space_before=6)
        yield _labelled("เรื่อง", doc["subject"])
        yield _labelled("เรียน", doc["addressee"])
        if doc["cited"]:
            yield _labelled("อ้างถึง", doc["cited"])
        for n, text in enumerate(doc["enclosures"]):
            yield _labelled("สิ่งที่ส่งมาด้วย" if n == 0 else "", text)
        for text in doc["body"]:
            yield _p(text, first=documents.INDENT_CM, space_before=6)
        yield from _signature(doc, doc["closing"])
        yield _p(doc["unit"], space_before=24)
        yield _p(doc["phone"])
        yield {"type": "page_break"}
        yield _p(doc["distribution_title"], bold=True, center=True)
        yield {"type": "people", "rows": [[f"{r['n']}.", r["name"], r["position"], ""] for r in doc["distribution"]],
               "widths": tuple(doc["distribution_columns"][k] for k in ("n", "name", "position", "role"))}
    elif kind == "letter_memo":
        yield _emblem(1.5, center=False)
        yield _p("บันทึกข้อความ", bold=True, center=True)
        yield _p(doc["section"], label="ส่วนราชการ")
        yield _p(f"ที่ {doc['reference']}\u2003\u2003\u2003\u2003วันที่ {doc['date']}")
        yield _labelled("เรื่อง", doc["subject"])
        yield _p(f"เรียน\u2002{doc['addressee']}", space_before=6)
        for text in doc["body"]:
            yield _p(text, first=documents.INDENT_CM, space_before=6)
        yield from _signature(doc)
    else:
        yield _emblem(3, center=True)
        for line in doc["title_lines"]:
            yield _p(line, bold=True, center=True)
        yield {"type": "rule"}
        for text in doc["preamble"] + doc["legal_basis"]:
            yield _p(text, first=documents.INDENT_CM)
        yield {"type": "people", "rows": [[f"{r['n']}.", r["name"], r["position"], r["role"]] for r in doc["present"]],
               "widths": tuple(doc["member_columns"][k] for k in ("n", "name", "position", "role"))}
        yield _p(doc["duties_intro"], first=documents.INDENT_CM)
        for text in doc["duties"]:
            yield _p(text, indent=documents.INDENT_CM + 0.9, first=-0.9)
        yield _p(doc["effective"], first=documents.INDENT_CM, space_before=6)
        yield _p(doc["signed_line"], indent=SIGNATURE_INDENT_CM - 2, space_before=12)
        yield from _signature(doc)


# ---------------------------------------------------------------- issuing and cancelling

def _issue(meeting, kind, build, *, by, today, **facts):
    today = today or timezone.localdate()
    province_id = meeting.committee.province_id
    year_be = thaidates.be_year(today.year)
    with transaction.atomic():
        number = take_number(province_id, year_be)
        doc = build(meeting, number=number, issued_on=today, **facts)
        letter_pdf = pdf.render_document(doc)
        if kind == LetterKind.INVITATION:
            letter_pdf = merged(letter_pdf, *enclosed(meeting))
        office = Office.for_province(meeting.committee.province)
        # The register is searched and exported: its reference is written in Arabic digits.
        reference = f"{office.letter_code}/{number}" if office.letter_code else str(number)
        letter = Letter(province_id=province_id, year_be=year_be, number=number, kind=kind,
                        committee=meeting.committee, meeting=meeting, reference=reference,
                        subject=thaidates.arabic_digits(thai.plain(doc["subject"])),
                        addressee=thaidates.arabic_digits(thai.plain(doc["addressee"])),
                        issued_on=today, content=doc, issued_by=by)
        letter.file.save(f"{kind}.pdf", ContentFile(letter_pdf), save=False)
        letter.save()
        log_action(by, meeting, Action.LETTER_ISSUED, to_state=letter.reference, note=_record_note(letter),
                   detail={"letter": letter.pk, "kind": kind, "number": number, "year_be": year_be})
    logger.info("Letter %s/%s of province %s issued (%s, meeting %s)", number, year_be, province_id, kind,
                meeting.pk)
    return letter


def issue_invitation(meeting, *, by, today=None):
    """Issue the invitation to `meeting` under the next number of the office's register.

    Side effects: takes the number (LetterCounter), renders the letter with the agenda
    enclosed, stores the PDF and the letter's data (Letter, with issued_by and issued_at).
    """
    if not meeting.items.exists():
        raise MeetingError(_("Add the agenda items before inviting the committee."))
    return _issue(meeting, LetterKind.INVITATION, invitation, by=by, today=today)


def issue_memo(meeting, *, by, budget, budget_source="", today=None):
    """Issue the memo asking approval of `meeting` and its budget (0: no budget).

    Side effects: as issue_invitation, for a memo (no enclosure).
    """
    if budget is None or budget < 0 or budget > MAX_BUDGET:
        raise MeetingError(_("Give the budget in baht (0 when the meeting needs none)."), field="budget")
    return _issue(meeting, LetterKind.MEMO, memo, by=by, today=today, budget=budget, budget_source=budget_source)


def _record_note(letter):
    """The log's words for a letter, in the record's language: its kind, reference and subject."""
    with translation.override(i18n.RECORD_LANGUAGE):
        return f"{letter.get_kind_display()} {letter.reference} {letter.subject}"


def cancel_letter(letter, *, by, reason):
    """Mark an issued letter cancelled; its number stays taken.

    Side effects: sets cancelled_by, cancelled_at and cancel_reason on the register row.
    """
    reason = (reason or "").strip()
    if not reason:
        raise MeetingError(_("Say why the letter is cancelled."), field="reason")
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if letter.is_cancelled:
            raise MeetingError(_("This letter was already cancelled."))
        letter.cancelled_by, letter.cancelled_at, letter.cancel_reason = by, timezone.now(), reason[:1000]
        letter.save(update_fields=["cancelled_by", "cancelled_at", "cancel_reason"])
        log_action(by, letter.meeting or letter.committee, Action.LETTER_CANCELLED, from_state=letter.reference,
                   reason=letter.cancel_reason, note=_record_note(letter),
                   detail={"letter": letter.pk, "kind": letter.kind})
    return letter


def latest(meeting, kind):
    """The meeting's latest letter of `kind` still in force, or None."""
    return meeting.letters.filter(kind=kind, cancelled_at__isnull=True).order_by("-year_be", "-number").first()


def save_appointment(committee, *, by, appointment=None, **fields):
    """Record (or correct) the order that appointed `committee`.

    Side effects: saves the Appointment; the letters and minutes cite the latest one.
    """
    appointment = appointment or Appointment(committee=committee, created_by=by)
    for name, value in fields.items():
        setattr(appointment, name, value)
    with transaction.atomic():
        appointment.save()
        log_action(by, committee, Action.APPOINTMENT_SAVED, to_state=str(appointment),
                   detail={"appointment": appointment.pk})
    return appointment

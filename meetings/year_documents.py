"""The year's summary (meetings.year_report.summary) as an official Thai document: PDF through
WeasyPrint with the minutes' stylesheet, and .docx through the same blocks as the letters, so
that an officer who edits it starts from what the PDF shows.

The body says the year in paragraphs, as the office writes such a summary: the selection, the
workshop, the development, the showcase and the national contest. The tables (each developed
product before and after; the national entries) are attachments on their own pages, like the
minutes' ranking. Names of products, groups, places and people are kept whole on a line.
"""

from kbo_site import thaidates

from . import documents, pdf, thai
from .models import DocumentSettings
from .record import Writer, finish, settings_of

KBO = "ส่งเสริมกระบวนการเครือข่ายองค์ความรู้ (Knowledge-Based OTOP : KBO)"


def _settings(summary):
    """The document settings of the committee that ran the year's selection (its minutes'
    margins, digits and font size), else the defaults."""
    found = None
    round_pk = (summary["selection"]["round"] or {}).get("pk")
    if round_pk:
        found = DocumentSettings.objects.filter(committee__rounds__pk=round_pk).first()
    return settings_of(found or DocumentSettings())


def _money(value, w):
    if value is None:
        return "-"
    return w.t(f"{value:,.2f}" if isinstance(value, float) else f"{value:,}")


def _status_text(status, w):
    if not status:
        return "-"
    parts = []
    if status.get("star_level"):
        parts.append(f"{w.t(status['star_level'])} ดาว")
    if status.get("standards"):
        parts.append(", ".join(status["standards"]))
    if status.get("price_per_unit") is not None:
        parts.append(f"ราคา {_money(status['price_per_unit'], w)} บาท")
    if status.get("monthly_sales") is not None:
        parts.append(f"ยอดขาย {_money(status['monthly_sales'], w)} บาท/เดือน")
    return " · ".join(parts) or "-"


def _paragraphs(summary, w, refer=False):
    year, province = w.t(summary["year"]), summary["province_name"]
    s, d, ws = summary["selection"], summary["development"], summary["workshop"]
    sections = []
    if s["round"]:
        reasons = " ".join(f"{r['reason']} {w.t(r['count'])} ผลิตภัณฑ์" for r in s["ineligible_reasons"])
        text = (f"จังหวัด{province}มีผลิตภัณฑ์ส่งเข้าร่วมการคัดเลือก {w.t(s['submitted'])} ผลิตภัณฑ์ "
                f"ไม่ผ่านคุณสมบัติ {w.t(s['ineligible'])} ผลิตภัณฑ์"
                + (f" ได้แก่ {reasons}" if reasons else "")
                + f" คณะกรรมการเครือข่ายองค์ความรู้คัดเลือกผลิตภัณฑ์เพื่อพัฒนา {w.t(s['selected'])} ผลิตภัณฑ์")
    else:
        text = f"ปี {year} ยังไม่มีการคัดเลือกผลิตภัณฑ์ที่อนุมัติแล้ว"
    sections.append(("การคัดเลือกผลิตภัณฑ์", [text]))

    lines = []
    for item in ws["workshops"]:
        dates = thaidates.format_date_range(_date(item["start_date"]), _date(item["end_date"]),
                                            digits="thai" if w.thai else "arabic")
        line = f"{item['title']} วันที่ {dates} ณ {item['venue']} ผู้เข้าร่วม {w.t(item['participants'])} คน"
        if item["percent"] is not None:
            line += f" อัตราการเข้าร่วมร้อยละ {w.t(item['percent'])}"
        lines.append(line)
    if ws["percent"] is not None:
        lines.append(f"อัตราการเข้าร่วมการอบรมตลอดปี ร้อยละ {w.t(ws['percent'])} "
                     f"({w.t(ws['present'])} จาก {w.t(ws['expected'])} คน-วัน)")
    sections.append(("การอบรมเชิงปฏิบัติการ", lines or ["ยังไม่มีการบันทึกการอบรม"]))

    if d["products"]:
        text = (f"เครือข่ายองค์ความรู้พัฒนาผลิตภัณฑ์ที่ได้รับการคัดเลือก {w.t(len(d['products']))} ผลิตภัณฑ์ "
                f"ตามแผน {w.t(d['plan_items'])} รายการ ดำเนินการแล้ว {w.t(d['plan_items_done'])} รายการ "
                f"ลงพื้นที่และให้คำปรึกษา {w.t(d['visits'])} ครั้ง งบประมาณ {_money(d['budget_thb'], w)} บาท "
                f"ผลิตภัณฑ์ได้รับมาตรฐานเพิ่ม {w.t(d['standards_gained'])} มาตรฐาน "
                f"ระดับดาวสูงขึ้น {w.t(d['star_level_up'])} ผลิตภัณฑ์"
                + (f" (รายละเอียดตามเอกสารแนบ {w.t(1)})" if refer else ""))
        sections.append(("การพัฒนาผลิตภัณฑ์", [text]))
    else:
        sections.append(("การพัฒนาผลิตภัณฑ์", ["ยังไม่มีบันทึกการพัฒนาผลิตภัณฑ์"]))

    showcase = summary["showcase"]
    if showcase and showcase["winner"]:
        text = (f"{showcase['round']} คณะกรรมการคัดเลือก {showcase['winner_name']} "
                f"({showcase['winner']}) ของ{showcase['producer_name']}")
    else:
        text = "ยังไม่มีการคัดเลือกผลิตภัณฑ์ที่มีความโดดเด่น"
    sections.append(("ผลิตภัณฑ์ที่มีความโดดเด่น", [text]))

    national = summary["national"]
    if national:
        results = {"selected": "ได้รับการคัดเลือก", "not_selected": "ไม่ได้รับการคัดเลือก", None: "รอผล"}
        lines = [f"{e['product_name']} ({e['product_code']}): {results[e['result']]}" for e in national]
    else:
        lines = ["ไม่มีผลิตภัณฑ์ส่งเข้าประกวดระดับประเทศ"]
    sections.append(("การประกวดผลการดำเนินงานระดับประเทศ", lines))
    return sections


def item_blocks(summary, w):
    """Item 1.2 of a meeting of the next year (meetings.record): the summary's sections as
    paragraphs, each headed by its title."""
    return [{"p": f"{title}: {' '.join(paragraphs)}"} for title, paragraphs in _paragraphs(summary, w)]


def _date(value):
    import datetime

    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def build(summary):
    """The document's data, as the PDF template and the .docx blocks read it."""
    settings = _settings(summary)
    w = Writer(settings["thai_digits"])
    d = summary["development"]
    columns = [("ลำดับ", "num"), ("รหัสผลิตภัณฑ์", "code"), ("ผลิตภัณฑ์และกลุ่มผู้ผลิต", "product"),
               ("สิ่งที่พัฒนา", "product"), ("ก่อน → หลัง", "product"), ("งบประมาณ (บาท)", "result")]
    rows = [[w.t(n), p["product_code"], f"{p['product_name']} {p['producer_name']} อำเภอ{p['district']}",
             f"{', '.join(p['done']) or '-'} (ทำแล้ว {w.t(p['plan_items_done'])} จาก {w.t(p['plan_items'])} รายการ)",
             f"{_status_text(p['before'], w)} → {_status_text(p['after'], w)}", _money(p["budget_thb"], w)]
            for n, p in enumerate(d["products"], start=1)]
    attachments = []
    if rows:
        attachments.append({"key": "development", "heading": f"เอกสารแนบ {w.t(1)}",
                            "title": "การพัฒนาผลิตภัณฑ์ที่ได้รับการคัดเลือก ก่อนและหลังการพัฒนา",
                            "columns": columns, "rows": rows, "note": ""})
    phrases = set()
    for p in d["products"]:
        phrases.update((p["product_name"], p["producer_name"], f"อำเภอ{p['district']}"))
    for item in summary["workshop"]["workshops"]:
        phrases.update((item["title"], item["venue"]))
    if summary["showcase"] and summary["showcase"]["winner"]:
        phrases.update((summary["showcase"]["winner_name"], summary["showcase"]["producer_name"]))
    phrases.update(e["product_name"] for e in summary["national"])
    doc = {
        "kind": "year_summary",
        "title_lines": [f"สรุปผลการดำเนินงานโครงการ{KBO}",
                        f"จังหวัด{summary['province_name']} ปี {w.t(summary['year'])}",
                        f"สำนักงานพัฒนาชุมชนจังหวัด{summary['province_name']}"],
        "sections": [{"heading": f"{w.t(n)}. {title}", "paragraphs": paragraphs}
                     for n, (title, paragraphs) in enumerate(_paragraphs(summary, w, refer=True), start=1)],
        "attachments": attachments,
        "labels": {"none": "-"},
        "settings": settings,
    }
    return finish(doc, thai.units_of(frozenset(phrase for phrase in phrases if phrase)))


def render_pdf(summary):
    return pdf.render_document(build(summary))


def blocks_of(doc):
    p = documents._p
    for line in doc["title_lines"]:
        yield p(line, bold=True, center=True)
    yield {"type": "rule"}
    for section in doc["sections"]:
        yield p(section["heading"], bold=True, space_before=8)
        for text in section["paragraphs"]:
            yield p(text, first=documents.INDENT_CM)
    for table in doc["attachments"]:
        yield {"type": "page_break"}
        yield p(table["heading"], bold=True, center=True)
        yield p(table["title"], bold=True, center=True)
        yield {"type": "table", "columns": [c[0] for c in table["columns"]], "rows": table["rows"]}


def render_docx(summary):
    doc = build(summary)
    return documents.render_blocks(doc, list(blocks_of(doc)), "docx")

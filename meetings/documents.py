"""The agenda and the minutes as editable .docx (python-docx) and .odt (odfdo) files.

Both are written from the same data as the PDF (meetings.record.build), in the same order,
so an officer who must edit the final text starts from exactly what the PDF shows.
The font named is TH SarabunPSK, the official font the office's computers have; the
PDF embeds Sarabun, its open equivalent, because TH SarabunPSK may not be bundled.
"""

import io

from kbo_site import lazy, thaidates

from . import thai
from .pdf import people_columns

docx = lazy.module("docx")
odfdo = lazy.module("odfdo")
WD_TABLE_ALIGNMENT = lazy.name("docx.enum.table", "WD_TABLE_ALIGNMENT")
WD_ALIGN_PARAGRAPH = lazy.name("docx.enum.text", "WD_ALIGN_PARAGRAPH")
WD_BREAK = lazy.name("docx.enum.text", "WD_BREAK")
OxmlElement = lazy.name("docx.oxml", "OxmlElement")
qn = lazy.name("docx.oxml.ns", "qn")
Cm = lazy.name("docx.shared", "Cm")
Pt = lazy.name("docx.shared", "Pt")

FONT = "TH SarabunPSK"
BODY_PT = 16
LINE_SPACING = 1.3
INDENT_CM = 2.5
SUB_INDENT_CM = 1.25


def render(doc, fmt):
    """Bytes of the document `doc` (from meetings.record.build) as "docx" or "odt"."""
    columns = people_columns(doc) if doc["kind"] == "minutes" else None
    doc = _joined(doc)
    blocks = list(blocks_of(doc))
    if columns:
        for block in blocks:
            if block["type"] == "people":
                block["widths"] = (columns["n"], columns["name"], columns["position"], columns["role"])
    return {"docx": _docx, "odt": _odt}[fmt](doc, blocks)


def render_blocks(doc, blocks, fmt):
    """Bytes of any document given as blocks (meetings.letters.blocks_of) as "docx" or "odt"."""
    return {"docx": _docx, "odt": _odt}[fmt](_joined(doc), _joined(blocks))


def _joined(value):
    """The document's texts for a word processor: no unit marks, a unit's spaces non-breaking."""
    if isinstance(value, str):
        return thai.joined(value)
    if isinstance(value, dict):
        return {key: _joined(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_joined(item) for item in value)
    return value


def _sizes(doc):
    """(body, table) font sizes in pt from the document settings."""
    body = int(doc["settings"].get("font_size") or BODY_PT)
    return body, body - 2


# ---------------------------------------------------------------- the document as blocks

def _p(text, *, bold=False, center=False, indent=0.0, first=0.0, underline_label="", space_before=0):
    return {"type": "p", "text": text, "bold": bold, "center": center, "indent": indent, "first": first,
            "label": underline_label, "space_before": space_before}


def _people(rows, last):
    return {"type": "people", "rows": [[f"{r['n']}.", r["name"], r["position"], r.get(last, "")] for r in rows]}


def _item_blocks(doc, item):
    labels, top = doc["labels"], item["is_top"]
    yield _p(f"{item['heading']}  {item['title']}", bold=True, indent=0 if top else SUB_INDENT_CM,
             space_before=8 if top else 4)
    if item["empty"]:
        yield _p(labels["nothing"], first=INDENT_CM)
    for text in item["body"]:
        yield _p(text, first=INDENT_CM)
    if item["previous"]:
        yield _p(item["previous"], first=INDENT_CM)
    for block in item["facts"]:
        if "ol" in block:
            for n, text in enumerate(block["ol"], start=1):
                yield _p(f"{_number(doc, n)}. {text}", indent=INDENT_CM + 0.9, first=-0.9)
        else:
            yield _p(block["p"], first=INDENT_CM)
    for a in item["activities"]:
        yield _p(f"{a['label']} {a['title']}", bold=True, indent=INDENT_CM)
        for text in a["description"]:
            yield _p(text, indent=INDENT_CM + 1)
        for label, value in ((labels["when"], a["when"]), (labels["where"], a["venue"]),
                             (labels["responsible"], a["responsible"])):
            if value:
                yield _p(f"{label} {value}", indent=INDENT_CM + 1)
    if item["attachments"]:
        yield _p(f"{labels['enclosed']} {', '.join(item['attachments'])}", first=INDENT_CM)
    if doc["kind"] == "minutes":
        for text in item["discussion"]:
            yield _p(text, first=INDENT_CM)
        if item["recusals"]:
            yield _p(labels["recusals"], first=INDENT_CM)
            for n, text in enumerate(item["recusals"], start=1):
                yield _p(f"{_number(doc, n)}. {text}", indent=INDENT_CM + 0.9, first=-0.9)
        if item["resolution"] or item["votes"]:
            first, *rest = item["resolution"] or [""]
            yield _p(first, first=INDENT_CM, underline_label=labels["resolution"])
            for text in rest:
                yield _p(text, first=INDENT_CM)
            if item["votes"]:
                yield _p(f"({item['votes']})", first=INDENT_CM)
            if item["without_quorum"]:
                yield _p(labels["no_quorum"], first=INDENT_CM)


def _number(doc, n):
    return thaidates.thai_digits(n) if doc["settings"]["thai_digits"] else str(n)


def blocks_of(doc):
    """The document as a flat list of paragraphs, people lists, page breaks and tables."""
    minutes, labels = doc["kind"] == "minutes", doc["labels"]
    for line in doc["title_lines"]:
        yield _p(line, bold=True, center=True)
    yield {"type": "rule"}
    if minutes:
        yield _p("", underline_label=labels["present"])
        yield _people(doc["present"], "role")
        if doc["absent"]:
            yield _p("", underline_label=labels["absent"])
            yield _people(doc["absent"], "reason")
        if doc["guests"]:
            yield _p("", underline_label=labels["guests"])
            yield _people(doc["guests"], "")
        yield _p(doc["opened_line"], bold=True, space_before=8)
        yield _p(doc["opening"], first=INDENT_CM)
    for item in doc["items"]:
        yield from _item_blocks(doc, item)
        for child in item["children"]:
            yield from _item_blocks(doc, child)
    if minutes:
        if doc["closed_line"]:
            yield _p(doc["closed_line"], bold=True, space_before=8)
        for person in doc["signatures"]:
            yield _p(f"{labels['signed']} ........................ {person['role']}", center=True,
                     indent=6, space_before=24)
            yield _p(f"({person['name']})", center=True, indent=6)
            yield _p(person["position"], center=True, indent=6)
    for table in doc["attachments"]:
        yield {"type": "page_break"}
        yield _p(table["heading"], bold=True, center=True)
        yield _p(table["title"], bold=True, center=True)
        if table["rows"]:
            yield {"type": "table", "columns": [c[0] for c in table["columns"]], "rows": table["rows"]}
        else:
            yield _p(labels["none"])
        if table["note"]:
            yield _p(table["note"])


# ---------------------------------------------------------------- .docx

def _font(run_or_style, size_pt, bold=None):
    font = run_or_style.font
    font.name = FONT
    font.size = Pt(size_pt)
    if bold is not None:
        font.bold = bold
    # Thai is a complex script: Word takes its font and size from the cs attributes.
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    size_cs = OxmlElement("w:szCs")
    size_cs.set(qn("w:val"), str(size_pt * 2))
    rpr.append(size_cs)
    if bold:
        rpr.append(OxmlElement("w:bCs"))


def _docx_page_number(section, thai_digits, size):
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("- "), size)
    run = paragraph.add_run()
    _font(run, size)
    for kind, text in (("begin", None), (None, " PAGE \\* ThaiArabic " if thai_digits else " PAGE "),
                       ("separate", None), (None, "๒" if thai_digits else "2"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text.startswith(" PAGE"):
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
    _font(paragraph.add_run(" -"), size)


def _docx_repeat_header(row):
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _docx_keep_row(row):
    tr_pr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    tr_pr.append(cant_split)


def _docx_cell(cell, text, size, bold=False):
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    _font(paragraph.add_run(text), size, bold)


def _line_multiple(settings):
    """Sarabun at CSS line-height 1.3 sets its lines as far apart as TH SarabunPSK at a word
    processor's single spacing (its own line is about 1.3 em): the setting scales from there."""
    return float(settings.get("line_spacing") or LINE_SPACING) / LINE_SPACING


def _docx(doc, blocks):
    settings = doc["settings"]
    body_pt, table_pt = _sizes(doc)
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(float(settings["margin_top"])), Cm(float(settings["margin_bottom"]))
    section.left_margin, section.right_margin = Cm(float(settings["margin_left"])), Cm(float(settings["margin_right"]))
    normal = document.styles["Normal"]
    _font(normal, body_pt)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = _line_multiple(settings)
    if settings["page_numbers"]:
        _docx_page_number(section, settings["thai_digits"], body_pt)
    width = 21 - float(settings["margin_left"]) - float(settings["margin_right"])
    for block in blocks:
        kind = block["type"]
        if kind == "p":
            paragraph = document.add_paragraph()
            fmt = paragraph.paragraph_format
            if block["center"]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if block["indent"]:
                fmt.left_indent = Cm(block["indent"])
            if block["first"]:
                fmt.first_line_indent = Cm(block["first"])
            if block["space_before"]:
                fmt.space_before = Pt(block["space_before"])
            if block["label"]:
                label = paragraph.add_run(block["label"])
                _font(label, body_pt, True)
                label.font.underline = True
                if block["text"]:
                    _font(paragraph.add_run("  "), body_pt)
            if block["text"]:
                _font(paragraph.add_run(block["text"]), body_pt, block["bold"] or None)
        elif kind == "image":
            paragraph = document.add_paragraph()
            if block["center"]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run().add_picture(str(block["path"]), height=Cm(block["height_cm"]))
        elif kind == "rule":
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(paragraph.add_run("_" * 30), body_pt)
        elif kind == "people":
            table = document.add_table(rows=0, cols=4)
            table.autofit = False
            widths = block.get("widths") or (1.2, width * 0.32, width * 0.4, width * 0.28 - 1.2)
            for cells in block["rows"]:
                row = table.add_row()
                for cell, text, cm in zip(row.cells, cells, widths):
                    cell.width = Cm(cm)
                    _docx_cell(cell, text, body_pt)
        elif kind == "page_break":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "table":
            table = document.add_table(rows=1, cols=len(block["columns"]))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            _docx_repeat_header(table.rows[0])
            for cell, label in zip(table.rows[0].cells, block["columns"]):
                _docx_cell(cell, label, table_pt, bold=True)
            for cells in block["rows"]:
                row = table.add_row()
                _docx_keep_row(row)
                for cell, text in zip(row.cells, cells):
                    _docx_cell(cell, str(text), table_pt)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- .odt

def _odt_styles(settings, size):
    family = f"&apos;{FONT}&apos;"
    font = (f'fo:font-family="{family}" style:font-family-complex="{family}" style:font-family-asian="{family}" '
            f'fo:font-size="{size}pt" style:font-size-complex="{size}pt" style:font-size-asian="{size}pt"')
    spacing = f'fo:line-height="{round(_line_multiple(settings) * 100)}%"'
    number = 'style:num-format="๑"' if settings["thai_digits"] else 'style:num-format="1"'
    header = (f'<style:header><text:p text:style-name="KboCenter">- <text:page-number text:select-page="current" '
              f'{number}>2</text:page-number> -</text:p></style:header>') if settings["page_numbers"] else ""
    margins = (f'fo:margin-top="{settings["margin_top"]}cm" fo:margin-bottom="{settings["margin_bottom"]}cm" '
               f'fo:margin-left="{settings["margin_left"]}cm" fo:margin-right="{settings["margin_right"]}cm"')
    return {
        "styles": [
            f'<style:style style:name="KboText" style:family="paragraph"><style:paragraph-properties '
            f'fo:margin-top="0cm" fo:margin-bottom="0cm" {spacing}/><style:text-properties {font}/></style:style>',
            '<style:style style:name="KboCenter" style:family="paragraph" style:parent-style-name="KboText">'
            '<style:paragraph-properties fo:text-align="center"/></style:style>',
        ],
        "page_layout": (f'<style:page-layout style:name="KboPage"><style:page-layout-properties fo:page-width="21cm" '
                        f'fo:page-height="29.7cm" style:print-orientation="portrait" {margins}/>'
                        f'<style:header-style><style:header-footer-properties fo:min-height="0cm" '
                        f'fo:margin-bottom="0.4cm"/></style:header-style></style:page-layout>'),
        "masters": [
            '<style:master-page style:name="KboFirst" style:page-layout-name="KboPage" '
            'style:next-style-name="KboBody"/>',
            f'<style:master-page style:name="KboBody" style:page-layout-name="KboPage">{header}</style:master-page>',
        ],
    }


def _odt_para_style(document, cache, block, first_page=False):
    key = (block.get("bold"), block.get("center"), block.get("indent"), block.get("first"),
           block.get("space_before"), first_page, block.get("break_before"))
    if key not in cache:
        name = f"KboP{len(cache) + 1}"
        props = [f'fo:margin-left="{block.get("indent") or 0}cm"', f'fo:text-indent="{block.get("first") or 0}cm"',
                 f'fo:margin-top="{block.get("space_before") or 0}pt"']
        if block.get("center"):
            props.append('fo:text-align="center"')
        if block.get("break_before"):
            props.append('fo:break-before="page"')
        text = ' fo:font-weight="bold" style:font-weight-complex="bold"' if block.get("bold") else ""
        master = ' style:master-page-name="KboFirst"' if first_page else ""
        document.insert_style(
            f'<style:style style:name="{name}" style:family="paragraph" style:parent-style-name="KboText"{master}>'
            f'<style:paragraph-properties {" ".join(props)}/><style:text-properties{text}/></style:style>',
            automatic=True)
        cache[key] = name
    return cache[key]


def _odt_table(document, body, name, columns, rows, *, grid, size, widths=None):
    table = odfdo.Table(name, width=len(columns), height=0)
    if widths:
        for n, (column, cm) in enumerate(zip(table.get_columns(), widths)):
            style = f"{name}Col{n}"
            document.insert_style(f'<style:style style:name="{style}" style:family="table-column">'
                                  f'<style:table-column-properties style:column-width="{cm}cm"/></style:style>',
                                  automatic=True)
            column.style = style
            table.set_column(n, column)
    cell_style = "KboGridCell" if grid else "KboPlainCell"
    if grid:
        header = odfdo.Row()
        for label in columns:
            cell = odfdo.Cell(style=cell_style)
            cell.append(odfdo.Paragraph(label, style="KboTableHead"))
            header.append(cell)
        header_rows = odfdo.HeaderRows()
        header_rows.append(header)
        table.append(header_rows)
    for cells in rows:
        row = odfdo.Row(style="KboKeepRow")
        for text in cells:
            cell = odfdo.Cell(style=cell_style)
            cell.append(odfdo.Paragraph(str(text), style="KboTableText" if grid else "KboText"))
            row.append(cell)
        table.append(row)
    body.append(table)


def _odt(doc, blocks):
    settings = doc["settings"]
    body_pt, table_pt = _sizes(doc)
    document = odfdo.Document("text")
    body = document.body
    body.clear()
    parts = _odt_styles(settings, body_pt)
    for xml in parts["styles"]:
        document.insert_style(xml)
    document.insert_style(parts["page_layout"], automatic=True)
    for xml in parts["masters"]:
        document.insert_style(xml)
    small = f'fo:font-size="{table_pt}pt" style:font-size-complex="{table_pt}pt"'
    for xml in (
        f'<style:style style:name="KboTableText" style:family="paragraph" style:parent-style-name="KboText">'
        f'<style:text-properties {small}/></style:style>',
        f'<style:style style:name="KboTableHead" style:family="paragraph" style:parent-style-name="KboText">'
        f'<style:paragraph-properties fo:text-align="center"/><style:text-properties {small} fo:font-weight="bold" '
        f'style:font-weight-complex="bold"/></style:style>',
        '<style:style style:name="KboGridCell" style:family="table-cell"><style:table-cell-properties '
        'fo:border="0.5pt solid #000000" fo:padding="0.05cm"/></style:style>',
        '<style:style style:name="KboPlainCell" style:family="table-cell"><style:table-cell-properties '
        'fo:border="none" fo:padding="0.02cm"/></style:style>',
        '<style:style style:name="KboKeepRow" style:family="table-row"><style:table-row-properties '
        'fo:keep-together="always"/></style:style>',
    ):
        document.insert_style(xml, automatic=True)
    cache, first, break_next, tables = {}, True, False, 0
    for block in blocks:
        kind = block["type"]
        if kind == "p":
            block = {**block, "break_before": break_next}
            break_next = False
            style = _odt_para_style(document, cache, block, first_page=first)
            first = False
            paragraph = odfdo.Paragraph(style=style)
            if block["label"]:
                paragraph.append(odfdo.Span(block["label"], style="KboLabel"))
                if block["text"]:
                    paragraph.append("  ")
            if block["text"]:
                paragraph.append(block["text"])
            body.append(paragraph)
        elif kind == "image":
            first = False
            uri = document.add_file(str(block["path"]))
            width, height = block["height_cm"] * block["aspect"], block["height_cm"]
            frame = odfdo.Frame.image_frame(uri, size=(f"{width:.2f}cm", f"{height:.2f}cm"), anchor_type="as-char")
            paragraph = odfdo.Paragraph(style="KboCenter" if block["center"] else "KboText")
            paragraph.append(frame)
            body.append(paragraph)
        elif kind == "rule":
            body.append(odfdo.Paragraph("_" * 30, style="KboCenter"))
        elif kind == "page_break":
            break_next = True
        elif kind in ("people", "table"):
            tables += 1
            if break_next:
                body.append(odfdo.Paragraph("", style=_odt_para_style(document, cache, {"break_before": True})))
                break_next = False
            if kind == "people":
                _odt_table(document, body, f"People{tables}", ["", "", "", ""], block["rows"], grid=False,
                           size=body_pt, widths=block.get("widths"))
            else:
                _odt_table(document, body, f"Table{tables}", block["columns"], block["rows"], grid=True,
                           size=table_pt)
    document.insert_style('<style:style style:name="KboLabel" style:family="text"><style:text-properties '
                          'fo:font-weight="bold" style:font-weight-complex="bold" style:text-underline-style="solid" '
                          'style:text-underline-width="auto" style:text-underline-color="font-color"/></style:style>',
                          automatic=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


"""The agenda and the minutes as official Thai PDFs, through WeasyPrint.

Sarabun comes from the fontpkg-sarabun package by file:// URL (no network). Pango breaks
Thai lines with libthai's dictionary, so lines end at word boundaries and never split a
consonant from its vowel or tone mark (tests/meetings/test_pdf.py checks it).
"""

import functools
import io
import re

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from fontTools.ttLib import TTFont
from weasyprint.text.fonts import FontConfiguration

from . import record

# Glyph names like "uni0E4D0E49": Sarabun's nikhahit-with-tone ligature, used for น้ำ.
_THAI_GLYPH_NAME = re.compile(r"^uni((?:0E[0-7][0-9A-F])+)(?:\..*)?$")
SARA_AM_PARTS = ("\u0e4d",)


@functools.lru_cache(maxsize=32)
def _thai_glyph_text(font_bytes):
    """{glyph id: text} for the font's Thai glyphs, from their standard names.

    WeasyPrint maps each glyph to the text of the cluster it first appears in. HarfBuzz draws
    sara am (ำ) as two glyphs, nikhahit and sara aa, in one cluster, so the nikhahit maps to
    nothing and "ดำเนินการ" would be extracted, searched and copied as "ดาเนินการ". Naming
    the glyphs by their own characters gives "ดํา", the compatibility decomposition of "ดำ"
    (equal under NFKC), for search, copy and the tests.
    """
    font = TTFont(io.BytesIO(font_bytes), lazy=True)
    text = {}
    for glyph_id, name in enumerate(font.getGlyphOrder()):
        match = _THAI_GLYPH_NAME.match(name)
        if match:
            hexes = match.group(1)
            chars = [chr(int(hexes[i:i + 4], 16)) for i in range(0, len(hexes), 4)]
            # Unicode order puts the tone mark before the nikhahit (น้ำ = น ้ ํ า under NFKC).
            chars.sort(key=lambda c: c in SARA_AM_PARTS)
            text[glyph_id] = "".join(chars)
    return text


class _ThaiMappedFonts(dict):
    """Document.fonts that names Thai glyphs before WeasyPrint maps them from clusters."""

    def __setitem__(self, key, font):
        font.to_unicode.update(_thai_glyph_text(font.file_content))
        super().__setitem__(key, font)


def font_face_css():
    faces = []
    for weight, style, name in ((400, "normal", "Regular"), (400, "italic", "Italic"), (700, "normal", "Bold"),
                                (700, "italic", "BoldItalic")):
        path = (settings.SARABUN_DIR / f"Sarabun-{name}.ttf").as_uri()
        faces.append(f'@font-face {{ font-family: "Sarabun"; font-weight: {weight}; font-style: {style}; '
                     f'src: url("{path}"); }}')
    return "\n".join(faces)


def render_html(html):
    """PDF bytes from a complete HTML document whose styles are inline."""
    font_config = FontConfiguration()
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render(font_config=font_config)
    document.fonts = _ThaiMappedFonts()
    return document.write_pdf()


def render_document(doc):
    """PDF bytes for a document built by meetings.record.build."""
    with translation.override("th"):
        html = render_to_string(f"meetings/pdf/{doc['kind']}.html", {"doc": doc, "font_faces": font_face_css()})
    return render_html(html)


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
                     "page_numbers": True, "thai_digits": True},
    }
    return render_document(doc)

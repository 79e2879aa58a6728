"""Thai PDFs through WeasyPrint, for every app: Sarabun by file:// URL (fontpkg-sarabun, no
network) and Thai glyphs named by their own characters, so the text of a PDF (search, copy,
pdftotext) reads as it was written."""

import functools
import io
import re

from django.conf import settings

from kbo_site import lazy

weasyprint = lazy.module("weasyprint")
TTFont = lazy.name("fontTools.ttLib", "TTFont")
FontConfiguration = lazy.name("weasyprint.text.fonts", "FontConfiguration")

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

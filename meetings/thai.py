"""Thai line breaking for the PDF documents.

Thai has no spaces between words, so a line may only end where a word ends. Pango (inside
WeasyPrint) finds those places with libthai's dictionary, which is right for common words
but splits some names and compounds in the middle ("ชาด|อก" in "ชาดอกคำฝอย", the district
"กัลยา|ณิวัฒนา"). PyThaiNLP's newmm tokenizer makes different mistakes ("ด|ริ|ปแบ็ก").

`typeset(text)` therefore allows a break only where both agree: it marks the agreed
places with U+200B (zero-width space) and wraps each stretch between them that libthai
would still split in a no-wrap span. Numbers with their separators (4/2564, 09.00,
2,531, 2557-2564) are kept whole too. `keep_words(text)` keeps each space-separated part of
a person's name whole.
"""

import ctypes
import ctypes.util
import functools
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

ZWSP = "\u200b"
_THAI_RUN = re.compile(r"[\u0e01-\u0e4e]+")
_NUMBER = re.compile(r"[0-9\u0e50-\u0e59]+(?:[/.:,\-–][0-9\u0e50-\u0e59]+)+")
# Marks that can never start a line: a break before one would split a syllable.
_MARKS = set("\u0e31\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")


class _LibThai:
    """libthai's word breaks, the ones Pango uses, through ctypes."""

    def __init__(self):
        name = ctypes.util.find_library("thai") or "libthai.so.0"
        try:
            self.lib = ctypes.CDLL(name)
            self.lib.th_brk_new.restype = ctypes.c_void_p
            self.lib.th_brk_new.argtypes = [ctypes.c_char_p]
            self.lib.th_brk_find_breaks.restype = ctypes.c_int
            self.lib.th_brk_find_breaks.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                                    ctypes.POINTER(ctypes.c_int), ctypes.c_size_t]
            self.brk = self.lib.th_brk_new(None)
        except (OSError, AttributeError):
            self.lib = None

    def breaks(self, run):
        """Break positions inside a Thai run (character offsets, excluding 0 and len)."""
        if self.lib is None or not self.brk:
            # Without libthai, Pango may break between any two syllables: suppress them all.
            return {i for i in range(1, len(run)) if run[i] not in _MARKS}
        data = run.encode("tis-620")
        positions = (ctypes.c_int * (len(data) + 1))()
        count = self.lib.th_brk_find_breaks(self.brk, data, positions, len(data) + 1)
        return {p for p in positions[:count] if 0 < p < len(run)}


@functools.lru_cache(maxsize=1)
def _libthai():
    return _LibThai()


@functools.lru_cache(maxsize=1)
def _newmm():
    from pythainlp.tokenize import word_tokenize

    return functools.partial(word_tokenize, engine="newmm", keep_whitespace=True)


def tokenizer_breaks(run):
    """PyThaiNLP's word boundaries inside a Thai run."""
    offsets, position = set(), 0
    for word in _newmm()(run)[:-1]:
        position += len(word)
        offsets.add(position)
    return offsets


def agreed_breaks(run):
    """Where a line may end inside a Thai run: libthai and PyThaiNLP both see a word boundary."""
    return _libthai().breaks(run) & tokenizer_breaks(run)


def _thai_run_html(run):
    allowed = agreed_breaks(run)
    suppressed = _libthai().breaks(run) - allowed
    if not suppressed:
        return escape(run)
    cuts = [0, *sorted(allowed), len(run)]
    parts = []
    for start, end in zip(cuts, cuts[1:]):
        piece = escape(run[start:end])
        if any(start < p < end for p in suppressed):
            piece = f'<span class="nobr">{piece}</span>'
        parts.append(piece)
    return ZWSP.join(parts)


@functools.lru_cache(maxsize=4096)
def _typeset(text):
    out, last = [], 0
    for match in re.finditer(f"{_NUMBER.pattern}|{_THAI_RUN.pattern}", text):
        out.append(escape(text[last:match.start()]))
        chunk = match.group(0)
        if _NUMBER.fullmatch(chunk):
            out.append(f'<span class="nobr">{escape(chunk)}</span>')
        else:
            out.append(_thai_run_html(chunk))
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def typeset(text):
    """Safe HTML of `text` where lines may end only at agreed Thai word boundaries; a newline
    becomes a line break."""
    if text in (None, ""):
        return ""
    return mark_safe("<br>".join(_typeset(line) for line in str(text).split("\n")))


def keep_words(text):
    """Safe HTML of a person's name: it may wrap only at its spaces."""
    if text in (None, ""):
        return ""
    return mark_safe(" ".join(f'<span class="nobr">{escape(part)}</span>' for part in str(text).split()))

"""Thai text for the documents: cleaned, kept whole where it must be, broken only between words.

Thai has no spaces between words, so a line may only end where a word ends. Pango (inside
WeasyPrint) finds those places with libthai's dictionary, which is right for common words
but splits some names and compounds in the middle ("ชาด|อก" in "ชาดอกคำฝอย", the district
"กัลยา|ณิวัฒนา"). PyThaiNLP's newmm tokenizer makes different mistakes ("ด|ริ|ปแบ็ก").

- `clean(text)` makes any text a user typed fit to print: NFC, no control characters, no
  bidi overrides, and code points Unicode does not assign (U+0E3B–U+0E3E among them, which
  TIS-620 and so libthai do not know) replaced by U+FFFD. Nothing a user types is fatal.
- `Units(phrases)` finds known units in a text: a person's name, a producer's name, a
  district, a product code. `Units.mark(text)` wraps each in UNIT_OPEN … UNIT_CLOSE, two
  Unicode noncharacters that `clean` removes from typed text, so only the document builder
  (meetings/record.py) places them.
- `typeset(text)` allows a break only where libthai and PyThaiNLP agree: it marks those places
  with U+200B (zero-width space) and wraps each stretch that libthai would still split in a
  no-wrap span. Numbers with their separators (4/2564, 09.00, 2,531, 2557-2564) and hyphenated
  Latin words (Knowledge-Based) are kept whole, and so is each marked unit: it moves to the
  next line whole, and wraps inside only if it is longer than a whole line.
- `plain(text)` drops the markers, for formats that keep no spans (.docx, .odt, a title).
"""

import ctypes
import ctypes.util
import functools
import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe

ZWSP = "\u200b"
NBSP = "\u00a0"
# Noncharacters (U+FDD0–U+FDEF are for a program's internal use): never in typed text.
UNIT_OPEN, UNIT_CLOSE = "\ufdd0", "\ufdd1"
# The Thai letters, vowels, marks and digits that TIS-620 (and so libthai) encodes.
_THAI_RUN = re.compile(r"[\u0e01-\u0e3a\u0e3f-\u0e4e]+")
_NUMBER = re.compile(r"[0-9\u0e50-\u0e59]+(?:[/.:,\-–][0-9\u0e50-\u0e59]+)+")
# A hyphenated word in Latin letters, e.g. Knowledge-Based: no line ends at its hyphen.
_LATIN_COMPOUND = re.compile(r"[A-Za-z0-9]+(?:[-\u2010\u2011][A-Za-z0-9]+)+")
_UNIT = UNIT_PATTERN = re.compile(f"{UNIT_OPEN}([^{UNIT_OPEN}{UNIT_CLOSE}]*){UNIT_CLOSE}")
# Marks that can never start a line: a break before one would split a syllable.
_MARKS = set("\u0e31\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
# Bidi embeddings, overrides and isolates, and the marks: a name typed with them could show
# another name than the one stored. A tab is printed as a space.
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
REPLACEMENT = "\ufffd"
# Punctuation that stays with the word it touches.
_OPENERS = set("([{“‘\"'")
_CLOSERS = set(")]}”’\"'.,;:!?")


def _clean_char(char):
    if char in "\n":
        return char
    if char == "\t":
        return " "
    if char in _BIDI or char == "\ufeff":
        return ""
    category = unicodedata.category(char)
    if category == "Cc":
        return ""
    if category in ("Cn", "Cs"):
        # Unassigned (U+0E3B…), a noncharacter (our markers) or a lone surrogate.
        return REPLACEMENT
    return char


@functools.lru_cache(maxsize=4096)
def _clean(text):
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if text.isprintable() and not any(char in _BIDI for char in text):
        return text
    return "".join(_clean_char(char) for char in text)


def clean(text):
    """`text` fit to store and print: NFC; newlines kept, tabs as spaces, other control
    characters, bidi controls and byte-order marks removed; unassigned code points and
    noncharacters replaced by U+FFFD."""
    if text in (None, ""):
        return "" if text is None else text
    return _clean(str(text))


def clean_line(text):
    """`clean` for a one-line field (a name, a position): newlines become spaces, and runs of
    spaces one space."""
    return " ".join(clean(text).split())


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
        # One byte per character whatever the run holds: a character TIS-620 lacks becomes "?"
        # and the offsets still match.
        data = run.encode("tis-620", errors="replace")
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


def is_thai(text):
    """Whether `text` is one run of Thai letters and marks."""
    return bool(_THAI_RUN.fullmatch(text))


def agreed_breaks(run):
    """Where a line may end inside a Thai run: libthai and PyThaiNLP both see a word boundary."""
    return _libthai().breaks(run) & tokenizer_breaks(run)


# ---------------------------------------------------------------- known units

class Units:
    """Known phrases that a line must not split, found by longest match.

    Built from a trie as one regular expression, so a document's few thousand names, places
    and codes are found in one pass over each text.
    """

    def __init__(self, phrases):
        trie = {}
        for phrase in phrases:
            phrase = clean_line(phrase)
            # A single word cannot be split more than the typesetting already allows.
            if len(phrase) < 3:
                continue
            node = trie
            for char in phrase:
                node = node.setdefault(char, {})
            node[""] = True
        self.pattern = re.compile(_trie_pattern(trie)) if trie else None

    def mark(self, text):
        """`text` with each known unit wrapped in UNIT_OPEN … UNIT_CLOSE; a part already marked
        stays as it is."""
        if not text or self.pattern is None:
            return text
        wrap = functools.partial(self.pattern.sub, lambda m: f"{UNIT_OPEN}{m.group(0)}{UNIT_CLOSE}")
        if UNIT_OPEN not in text:
            return wrap(text)
        out, last = [], 0
        for match in _UNIT.finditer(text):
            out.append(wrap(text[last:match.start()]))
            out.append(match.group(0))
            last = match.end()
        out.append(wrap(text[last:]))
        return "".join(out)


@functools.lru_cache(maxsize=16)
def units_of(phrases):
    """`Units` of a frozenset of phrases, built once per set: a document's set changes only when
    its people, its round or the province's places do."""
    return Units(phrases)


def _trie_pattern(node):
    """A regular expression matching the trie's phrases, the longest first at each place."""
    branches = []
    for char, child in sorted(node.items()):
        if char == "":
            continue
        # A chain of single children becomes a literal.
        literal = re.escape(char)
        while len(child) == 1 and "" not in child:
            (char, child), = child.items()
            literal += re.escape(char)
        rest = _trie_pattern(child) if any(k != "" for k in child) else ""
        if rest and "" in child:
            rest = f"(?:{rest})?"
        branches.append(literal + rest)
    if len(branches) == 1:
        return branches[0]
    return f"(?:{'|'.join(branches)})"


def unit(text):
    """`text` marked as one unit, e.g. a name in a table cell."""
    return f"{UNIT_OPEN}{text}{UNIT_CLOSE}" if text else text


def plain(text):
    """`text` without unit markers."""
    if not text:
        return text
    return str(text).replace(UNIT_OPEN, "").replace(UNIT_CLOSE, "")


def joined(text):
    """`text` for a word processor: the markers dropped, the spaces inside a unit made
    non-breaking (Word and LibreOffice then keep a name on one line)."""
    if not text:
        return text
    return _UNIT.sub(lambda m: m.group(1).replace(" ", NBSP), str(text)).replace(UNIT_OPEN, "").replace(
        UNIT_CLOSE, "")


# ---------------------------------------------------------------- typesetting

def _split_units(text):
    """(text without markers, [(start, end)] of its units)."""
    plain_text, units, position = [], [], 0
    last = 0
    for match in _UNIT.finditer(text):
        before = text[last:match.start()].replace(UNIT_OPEN, "").replace(UNIT_CLOSE, "")
        plain_text.append(before)
        position += len(before)
        inner = match.group(1)
        plain_text.append(inner)
        if inner:
            units.append((position, position + len(inner)))
        position += len(inner)
        last = match.end()
    plain_text.append(text[last:].replace(UNIT_OPEN, "").replace(UNIT_CLOSE, ""))
    return "".join(plain_text), units


def _merge(intervals, cuts):
    """The intervals merged where they overlap, or touch where no break is allowed."""
    merged = []
    for start, end in sorted(intervals):
        if merged and (start < merged[-1][1] or (start == merged[-1][1] and start not in cuts)):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@functools.lru_cache(maxsize=4096)
def _typeset(text):
    text, units = _split_units(text)
    runs = []
    boundaries = set()  # every place either dictionary sees a word boundary
    for match in _THAI_RUN.finditer(text):
        run, start = match.group(0), match.start()
        libthai, tokenizer = _libthai().breaks(run), tokenizer_breaks(run)
        boundaries |= {start + p for p in libthai | tokenizer}
        runs.append((start, run, libthai, tokenizer))
    # A unit found inside a longer word (a place name within another word) is not one.
    units = [(a, b) for a, b in units if _edge_ok(text, a, boundaries) and _edge_ok(text, b, boundaries)]
    # A unit's ends are word boundaries: a line may end there, even where one dictionary
    # would have joined the unit to the word before or after it ("ผู้ว่าราชการ|จังหวัดเชียงใหม่").
    unit_ends = {a for a, _b in units} | {b for _a, b in units}
    keep = list(units)  # (start, end) stretches no line may end inside
    keep += [m.span() for m in _NUMBER.finditer(text)]
    keep += [m.span() for m in _LATIN_COMPOUND.finditer(text)]
    cuts = set()  # where a zero-width space marks a break
    for start, run, libthai, tokenizer in runs:
        allowed = (libthai & tokenizer) | {p - start for p in unit_ends if start < p < start + len(run)}
        suppressed = libthai - allowed
        cuts |= {start + p for p in allowed}
        pieces = [0, *sorted(allowed), len(run)]
        for a, b in zip(pieces, pieces[1:]):
            if any(a < p < b for p in suppressed):
                keep.append((start + a, start + b))
    return _html(text, keep, cuts)


def _edge_ok(text, position, boundaries):
    if position in (0, len(text)):
        return True
    thai = _THAI_RUN.fullmatch
    if not (thai(text[position - 1]) and thai(text[position])):
        return True
    return position in boundaries


def _html(text, keep, cuts):
    out, position = [], 0
    for start, end in _merge([_with_punctuation(text, start, end) for start, end in keep], cuts):
        out.append(_with_cuts(text, position, start, cuts))
        if start in cuts:
            out.append(ZWSP)
        # An inline block (base.css): it moves to the next line whole, and wraps inside only
        # when it is longer than the line (or the table cell) itself.
        out.append(f'<span class="nobr">{escape(text[start:end])}</span>')
        position = end
    out.append(_with_cuts(text, position, len(text), cuts))
    return "".join(out)


def _with_punctuation(text, start, end):
    """A kept stretch with the brackets and stops it touches: a line may start after the block,
    so "(" must not be left at the end of the line before."""
    while start > 0 and text[start - 1] in _OPENERS:
        start -= 1
    while end < len(text) and text[end] in _CLOSERS:
        end += 1
    return start, end


def _with_cuts(text, start, end, cuts):
    """The text from start to end with a zero-width space at each cut, the one at `start` too."""
    marks = sorted(p for p in cuts if start < p < end)
    lead = ZWSP if start in cuts and start < end else ""
    if not marks:
        return lead + escape(text[start:end])
    pieces = [start, *marks, end]
    return lead + ZWSP.join(escape(text[a:b]) for a, b in zip(pieces, pieces[1:]))


def typeset(text):
    """Safe HTML of `text` where lines may end only at agreed Thai word boundaries, never inside
    a number, a hyphenated word or a marked unit; a newline becomes a line break."""
    if text in (None, ""):
        return ""
    return mark_safe("<br>".join(_typeset(clean_marked(line)) for line in str(text).split("\n")))


def clean_marked(text):
    """`clean` for text the document builder marked: its markers survive, the rest is cleaned."""
    if UNIT_OPEN not in text and UNIT_CLOSE not in text:
        return clean(text)
    parts = re.split(f"([{UNIT_OPEN}{UNIT_CLOSE}])", text)
    return "".join(part if part in (UNIT_OPEN, UNIT_CLOSE) else clean(part) for part in parts)


def keep_whole(text):
    """Safe HTML of a name for the web pages: one span that never wraps (Bootstrap's text-nowrap)."""
    if text in (None, ""):
        return ""
    return mark_safe(f'<span class="text-nowrap">{escape(clean_line(plain(text)))}</span>')


def web(text):
    """Safe HTML, for the web pages, of text the document builder marked: each unit in a span
    that never wraps."""
    if text in (None, ""):
        return ""
    text = clean_marked(str(text))
    out, last = [], 0
    for match in _UNIT.finditer(text):
        out.append(escape(plain(text[last:match.start()])))
        out.append(f'<span class="text-nowrap">{escape(match.group(1))}</span>')
        last = match.end()
    out.append(escape(plain(text[last:])))
    return mark_safe("".join(out))

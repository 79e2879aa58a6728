"""Text as people type or paste it, made safe to store, compare, search and print.

    normalise(" กลุ่ม\u202eแม่บ้าน\x00 ")  → "กลุ่มแม่บ้าน" (trimmed by the caller's cleaning)
    normalise("บรรทัด 1\r\nบรรทัด 2", multiline=True)  → "บรรทัด 1\nบรรทัด 2"

What goes: control characters (a tab or line break becomes a space, or a line break in
multi-line text); the bidi controls that make a name read differently from what is stored
(U+202A–202E, U+2066–2069, U+200E/F, U+061C); the invisible zero-width space and BOM, which
make two equal names or codes differ; lone surrogates, which no database stores; unassigned
code points of the Basic Multilingual Plane (e.g. U+0E3B–U+0E3E in the Thai block), which no
font draws. What changes: the text is NFC, and a Thai SARA AM typed as NIKHAHIT + SARA AA
("ํา", from some keyboards and PDFs) becomes the one character "ำ".

Forms: put NormalisedInputMixin first in a form's bases and every CharField's input (Textarea
fields keep their line breaks) is normalised before the fields are cleaned:

    class MeetingForm(NormalisedInputMixin, forms.ModelForm): ...

The registry import and forms also pass every value through producers.cleaning.clean_text,
which calls normalise().
"""

import re
import unicodedata

from django import forms

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
INVISIBLE = "\u200b\ufeff"
_LINE_BREAKS = re.compile("\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
# NIKHAHIT + SARA AA, typed for SARA AM.
SARA_AM_SPLIT = "\u0e4d\u0e32"


def _ranges(code_points):
    """A regex character class body for a sorted list of code points, as ranges."""
    parts, start, previous = [], None, None
    for point in code_points:
        if start is None:
            start = previous = point
        elif point == previous + 1:
            previous = point
        else:
            parts.append((start, previous))
            start = previous = point
    if start is not None:
        parts.append((start, previous))
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in parts)


def _dropped():
    # Control characters other than the line breaks handled first, the bidi controls, the
    # invisible characters, surrogates and the BMP's unassigned code points (Python's Unicode
    # database; 18 ms to list them once per process).
    points = {point for point in range(0x10000) if unicodedata.category(chr(point)) in ("Cc", "Cs", "Cn")}
    points |= {ord(c) for c in BIDI_CONTROLS + INVISIBLE}
    points.discard(ord("\n"))  # what is left of the line breaks, in multi-line text
    return re.compile(f"[{_ranges(sorted(points))}]")


_DROPPED = _dropped()


def normalise(text, *, multiline=False):
    """The text, NFC, without control, bidi, invisible or unassigned characters (see above).

    One-line text gets a space for each tab or line break; multi-line text keeps its line
    breaks as "\\n" and gets a space for a tab. Not trimmed: the caller's cleaning does that.
    """
    if not isinstance(text, str):
        return text
    # The import cleans millions of cells: the usual text (printable: no control, format,
    # separator other than the space, surrogate or unassigned character) costs two C calls.
    if text.isprintable() and (text.isascii() or (unicodedata.is_normalized("NFC", text)
                                                  and SARA_AM_SPLIT not in text)):
        return text
    text = _LINE_BREAKS.sub("\n" if multiline else " ", text).replace("\t", " ")
    text = _DROPPED.sub("", text)
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        if SARA_AM_SPLIT in text:
            text = text.replace(SARA_AM_SPLIT, "\u0e33")
    return text


def normalised_data(form):
    """A copy of a bound form's data with the input of every CharField normalised."""
    data = form.data.copy()
    getlist = getattr(data, "getlist", None)
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField):
            continue
        multiline = isinstance(field.widget, forms.Textarea)
        key = form.add_prefix(name)
        if getlist is not None:
            values = getlist(key)
            if values:
                data.setlist(key, [normalise(value, multiline=multiline) for value in values])
        elif key in data:
            data[key] = normalise(data[key], multiline=multiline)
    return data


class NormalisedInputMixin:
    """A form mixin (first in the bases): the input of every CharField, including fields a
    form's __init__ adds, is normalised (see normalise) before the form is cleaned, so a
    name is stored, compared and redisplayed without control or bidi characters."""

    def full_clean(self):
        if self.is_bound and not getattr(self, "_input_normalised", False):
            self.data = normalised_data(self)
            self._input_normalised = True
        super().full_clean()

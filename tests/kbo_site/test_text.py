"""Text normalised at input (kbo_site/text.py): NFC, no control, bidi or invisible characters."""

import unicodedata

import pytest
from django import forms
from django.http import QueryDict
from django.utils.http import urlencode

from kbo_site.text import NormalisedInputMixin, normalise


@pytest.mark.parametrize("typed, expected", [
    ("กลุ่มแม่บ้าน", "กลุ่มแม่บ้าน"),
    ("P5013-001", "P5013-001"),
    # Bidi overrides, isolates and marks: the name would read differently from what is stored.
    ("\u202eกลุ่ม\u202c ทอผ้า", "กลุ่ม ทอผ้า"),
    ("OTOP\u2066-01\u2069", "OTOP-01"),
    ("\u200fกลุ่ม\u200e\u061c", "กลุ่ม"),
    ("\u202a\u202b\u202d\u2067\u2068x", "x"),
    # Control characters: NUL, escape, DEL, C1 controls.
    ("a\x00b\x1bc\x7fd\x9fe", "abcde"),
    # Line breaks and tabs in one-line text become spaces.
    ("a\r\nb\tc\u2028d", "a b c d"),
    # Zero-width space and BOM make two equal codes differ.
    ("\ufeffOTOP\u200b01", "OTOP01"),
    # Decomposed to composed (NFC).
    ("cafe\u0301", "caf\u00e9"),
    # NIKHAHIT + SARA AA, as some keyboards and PDFs give it, is SARA AM.
    ("น\u0e4d\u0e32พริก", "น\u0e33พริก"),
    # Code points the Thai block lacks (TIS-620 and the fonts too).
    ("ผ้า\u0e3b\u0e3cไหม\u0e5c", "ผ้าไหม"),
    # Lone surrogates cannot be stored.
    ("a\ud800b", "ab"),
])
def test_normalise_one_line_text(typed, expected):
    assert normalise(typed) == expected


def test_normalise_keeps_line_breaks_in_multiline_text():
    assert normalise("ข้อ 1\r\nข้อ 2\rข้อ 3\u2029\tข้อ 4\x00", multiline=True) == "ข้อ 1\nข้อ 2\nข้อ 3\n ข้อ 4"


def test_normalise_keeps_thai_emoji_and_other_scripts():
    text = "ผ้าไหม ๑๒ ลาย 🌸 ရှမ်း 中文 é"

    assert normalise(text) == text


def test_normalise_leaves_non_text_alone():
    assert normalise(None) is None
    assert normalise(12) == 12


def test_every_bidi_control_the_issue_names_is_dropped():
    controls = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)]

    assert normalise("x".join(controls)) == "x" * (len(controls) - 1)


def test_nothing_normalise_gives_is_a_control_or_format_character():
    every_bmp_character = "".join(chr(c) for c in range(0x10000))

    left = {unicodedata.category(c) for c in normalise(every_bmp_character)}

    assert left & {"Cc", "Cs", "Cn"} == set()
    invisible = "\u200b\u200e\u200f\u202a\u202e\u2066\u2069\ufeff"
    assert {c for c in normalise(every_bmp_character) if c in invisible} == set()


class NoteForm(NormalisedInputMixin, forms.Form):
    name = forms.CharField(max_length=50)
    body = forms.CharField(widget=forms.Textarea, required=False)
    count = forms.IntegerField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Added after Form.__init__, as the registry forms add a province field.
        self.fields["place"] = forms.ChoiceField(choices=[("a", "A")], required=False)
        self.fields["extra"] = forms.CharField(required=False)


def test_form_mixin_normalises_every_char_field_before_cleaning():
    # As a browser posts it: a QueryDict, immutable.
    form = NoteForm(QueryDict(urlencode({"name": "\u202eกลุ่ม\x00ทอผ้า", "body": "ข้อ 1\r\nข้อ\u200f 2", "count": "3",
                                         "extra": "a\tb\u2066"})))

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"name": "กลุ่มทอผ้า", "body": "ข้อ 1\nข้อ 2", "count": 3, "place": "",
                                 "extra": "a b"}


def test_form_mixin_shows_the_normalised_value_again_on_an_error():
    form = NoteForm({"name": "\u202e" + "ก" * 51})

    assert form.errors["name"] == ["Ensure this value has at most 50 characters (it has 51)."]
    assert form["name"].value() == "ก" * 51


def test_form_mixin_with_a_prefix():
    form = NoteForm({"p-name": "a\u202eb"}, prefix="p")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "ab"

"""meetings/thai.py: any typed text is printable, and known units are never split."""

import pytest

from meetings import thai

# The Thai block's code points TIS-620 (and so libthai) lacks, an emoji, bidi controls and
# control characters: what a user can paste into a name or a text.
NOT_IN_TIS_620 = "\u0e3b\u0e3c\u0e3d\u0e3e"
HOSTILE = f"ก{NOT_IN_TIS_620}ข 😀 \u202eกลับด้าน\u202c \u2066แยก\u2069 \x07\x1b[31m\x00\ufeff \ufdd0หน่วย\ufdd1"


@pytest.mark.parametrize("char", list(NOT_IN_TIS_620))
def test_typeset_of_a_thai_character_tis_620_lacks_is_no_error(char):
    html = thai.typeset(f"ผลิตภัณฑ์{char}ชุมชน")

    assert html.replace("\u200b", "") == "ผลิตภัณฑ์\ufffdชุมชน"


def test_breaks_of_a_run_with_a_character_tis_620_lacks_are_no_error():
    assert thai.agreed_breaks("ผลิตภัณฑ์\u0e3bชุมชน") <= set(range(1, 15))


def test_clean_replaces_unassigned_code_points_and_drops_controls_and_bidi():
    assert thai.clean(HOSTILE) == "ก\ufffd\ufffd\ufffd\ufffdข 😀 กลับด้าน แยก [31m \ufffdหน่วย\ufffd"


def test_clean_keeps_newlines_and_makes_tabs_spaces_and_nfc():
    assert thai.clean("e\u0301\tก\r\nข") == "\u00e9 ก\nข"


def test_clean_line_joins_a_name_onto_one_line():
    assert thai.clean_line("  นายวรญาณ \n  บุญณราช\u202e ") == "นายวรญาณ บุญณราช"


def test_typed_unit_markers_cannot_mark_a_unit():
    html = thai.typeset(thai.clean("ก\ufdd0นายวรญาณ บุญณราช\ufdd1"))

    assert "nobr" not in html


def test_units_mark_the_longest_known_phrase():
    units = thai.Units(["แม่แตง", "อำเภอแม่แตง", "นายวรญาณ บุญณราช"])

    marked = units.mark("ที่ตั้ง อำเภอแม่แตง ประธาน นายวรญาณ บุญณราช")

    assert marked == "ที่ตั้ง \ufdd0อำเภอแม่แตง\ufdd1 ประธาน \ufdd0นายวรญาณ บุญณราช\ufdd1"


def test_units_leave_a_part_already_marked_as_it_is():
    units = thai.Units(["บุญณราช"])

    assert units.mark(thai.unit("นายวรญาณ บุญณราช")) == "\ufdd0นายวรญาณ บุญณราช\ufdd1"


def test_typeset_keeps_a_district_whole():
    units = thai.Units(["อำเภอแม่แตง", "อำเภอดอยเต่า"])

    html = thai.typeset(units.mark("กลุ่มทอผ้าบ้านป่าแดด อำเภอแม่แตง และกลุ่มจักสาน อำเภอดอยเต่า"))

    assert '<span class="nobr">อำเภอแม่แตง</span>' in html
    assert '<span class="nobr">อำเภอดอยเต่า</span>' in html


def test_a_known_name_inside_a_longer_word_is_not_a_unit():
    units = thai.Units(["แตง"])

    html = thai.typeset(units.mark("แตงโมของกลุ่ม"))

    assert html.replace("\u200b", "|") == "แตงโม|ของ|กลุ่ม"


def test_typeset_keeps_a_hyphenated_word_whole_with_its_bracket():
    html = thai.typeset("เครือข่ายองค์ความรู้ (Knowledge-Based OTOP : KBO)")

    assert '<span class="nobr">(Knowledge-Based</span>' in html


def test_typeset_keeps_a_position_grade_whole():
    units = thai.Units(["ชำนาญการ"])

    html = thai.typeset(units.mark("นักวิชาการอุตสาหกรรมชำนาญการ"))

    assert html.endswith('<span class="nobr">ชำนาญการ</span>')


def test_joined_makes_the_spaces_of_a_unit_non_breaking():
    assert thai.joined(f"ประธาน {thai.unit('นายวรญาณ บุญณราช')}") == "ประธาน นายวรญาณ\u00a0บุญณราช"


def test_web_keeps_a_unit_on_one_line_and_escapes():
    assert thai.web(f"<b> {thai.unit('อำเภอแม่แตง')}") == '&lt;b&gt; <span class="text-nowrap">อำเภอแม่แตง</span>'

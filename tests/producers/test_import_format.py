"""The import format's template workbook (producers/import_format.py): its help sheet."""

import io
import re

import pytest
from django.utils import translation
from openpyxl import load_workbook

from producers.import_format import COLUMNS, template_workbook
from tests.factories import chiang_mai

pytestmark = pytest.mark.django_db


def help_rows(language):
    with translation.override(language):
        content = template_workbook(chiang_mai())
    sheet = load_workbook(io.BytesIO(content))["คำอธิบาย"]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("language", ["th", "en"])
def test_template_help_sheet_is_all_in_thai_whatever_the_readers_language(language):
    rows = help_rows(language)

    assert rows[0] == ["คอลัมน์", "วิธีกรอก"]
    assert rows[1] == ["รหัสผู้ผลิต", "ต้องมี · รหัสผู้ผลิต เป็นข้อความ · หัวคอลัมน์ภาษาอังกฤษที่ใช้แทนได้: producer_code"]
    assert rows[4] == ["ชื่อผู้ติดต่อ", "ไม่บังคับ · ข้อมูลส่วนบุคคล: แสดงเฉพาะเจ้าหน้าที่และผู้ดูแลระบบ · "
                                        "หัวคอลัมน์ภาษาอังกฤษที่ใช้แทนได้: contact_name"]
    assert rows[5] == ["เบอร์โทรศัพท์",
                       "ไม่บังคับ · เบอร์มือถือ 10 หลัก (06, 08, 09…) เบอร์โทรศัพท์พื้นฐาน 9 หลัก (02–05, 07…) "
                       "มีขีดหรือเว้นวรรคได้ เบอร์ต่อเขียนหลังคำว่า ต่อ เช่น 053-123-456 ต่อ 12 หลายเบอร์คั่นด้วยจุลภาค "
                       "หากเลข 0 ตัวหน้าหายไประบบจะเติมให้ · หัวคอลัมน์ภาษาอังกฤษที่ใช้แทนได้: phone"]
    assert rows[11] == ["รหัสไปรษณีย์", "ไม่บังคับ · ตัวเลข 5 หลัก ต้องเป็นรหัสของตำบลนั้น เว้นว่างแล้วระบบจะใช้รหัสของตำบล · "
                                       "หัวคอลัมน์ภาษาอังกฤษที่ใช้แทนได้: postcode"]
    assert rows[len(COLUMNS) + 1:] == [
        [None, "ตัวเลขไทย (๐–๙) อ่านเป็นตัวเลขในทุกคอลัมน์ที่เป็นตัวเลข รหัส ปี บ้านเลขที่ และเบอร์โทรศัพท์"],
        [None, "แถวท้ายตาราง เช่น แถวรวม (\"รวม 9 รายการ\") และแถวลงชื่อผู้รายงาน ระบบจะข้ามไป ไม่นับเป็นข้อมูล"],
    ]


def test_template_help_sheet_has_no_english_words_but_the_english_headers_and_the_official_names():
    text = " ".join(str(value) for row in help_rows("th") for value in row if value)

    english = set(re.findall(r"[A-Za-z_]+", text))

    assert english - {column.key for column in COLUMNS} == {"SMEs", "A", "B", "C", "D"}

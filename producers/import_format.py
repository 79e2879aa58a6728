"""The import format: the workbook's columns, how headers are recognised, and the template.

The README documents COLUMNS: the Thai header of each column, its English alias, and
whether the file is refused without it.
"""

import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from .cleaning import clean_text, key
from .models import Classification, District, ProducerType, ProductType
from .workbooks import write_template


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # Thai, as in the template workbook
    alias: str  # English alternative
    required: bool = False  # the file is refused without this column
    other_names: tuple = ()


# The import format, in the template's order. Headers match without regard to case, spaces,
# punctuation or a note in brackets: "ปีที่ลงทะเบียน (พ.ศ.)" is ปีที่ลงทะเบียน.
COLUMNS = (
    Column("producer_code", "รหัสผู้ผลิต", "producer_code", required=True),
    Column("producer_name", "ชื่อผู้ผลิต", "producer_name", required=True, other_names=("ชื่อกลุ่ม",)),
    Column("producer_type", "ประเภทผู้ผลิต", "producer_type", required=True),
    Column("contact_name", "ชื่อผู้ติดต่อ", "contact_name", other_names=("ผู้ติดต่อ", "ชื่อผู้ประสานงาน")),
    Column("phone", "เบอร์โทรศัพท์", "phone", other_names=("เบอร์โทร", "โทรศัพท์", "หมายเลขโทรศัพท์", "โทร")),
    Column("house_no", "บ้านเลขที่", "house_no", other_names=("เลขที่",)),
    Column("village_no", "หมู่ที่", "village_no", other_names=("หมู่",)),
    Column("subdistrict", "ตำบล", "subdistrict"),
    Column("district", "อำเภอ", "district", required=True),
    Column("province", "จังหวัด", "province"),
    Column("postcode", "รหัสไปรษณีย์", "postcode"),
    Column("registration_year", "ปีที่ลงทะเบียน", "registration_year", required=True),
    Column("product_code", "รหัสผลิตภัณฑ์", "product_code", required=True),
    Column("product_name", "ชื่อผลิตภัณฑ์", "product_name", required=True),
    Column("product_type", "ประเภทผลิตภัณฑ์", "product_type", required=True),
    Column("classification", "กลุ่มผลิตภัณฑ์", "classification", required=True, other_names=("กลุ่ม ABCD",)),
    Column("star_level", "ระดับดาว", "star_level", other_names=("ระดับดาว OPC",)),
    Column("star_year", "ปีที่คัดสรร", "star_year", other_names=("ปีที่ได้รับดาว",)),
    Column("standards", "มาตรฐานผลิตภัณฑ์", "standards", other_names=("มาตรฐาน",)),
)
COLUMNS_BY_FIELD = {column.field: column for column in COLUMNS}
HEADER_SEARCH_ROWS = 20
# A row naming fewer known columns than this is a title or a note, not the header.
MIN_HEADER_MATCHES = 3
_HEADER_NOTE = re.compile(r"\(.*?\)|\[.*?\]|\*")


def header_key(text):
    return key(_HEADER_NOTE.sub("", clean_text(text)))


FIELD_BY_HEADER = {}
for _column in COLUMNS:
    for _name in (_column.header, _column.alias, _column.field, *_column.other_names):
        FIELD_BY_HEADER[header_key(_name)] = _column.field


def template_workbook(province):
    """The blank import workbook for `province`, with drop-down lists for the typed columns and
    a help sheet. All in Thai, whatever the reader's language: the headers and the official
    names the district offices write are Thai."""
    with translation.override("th"):
        lists = {
            "ประเภทผู้ผลิต": [str(choice.label) for choice in ProducerType],
            "ประเภทผลิตภัณฑ์": [str(choice.label) for choice in ProductType],
            "กลุ่มผลิตภัณฑ์": Classification.values,
            "ระดับดาว": [1, 2, 3, 4, 5],
            "อำเภอ": list(District.objects.filter(province=province).order_by("code")
                          .values_list("name_th", flat=True)),
        }
        notes = _help_rows()
    return write_template([column.header for column in COLUMNS], lists, notes=notes,
                          text_columns={"รหัสผู้ผลิต", "เบอร์โทรศัพท์", "รหัสไปรษณีย์", "รหัสผลิตภัณฑ์", "บ้านเลขที่"},
                          widths={"ชื่อผู้ผลิต": 36, "ชื่อผลิตภัณฑ์": 36, "ประเภทผู้ผลิต": 30,
                                  "ประเภทผลิตภัณฑ์": 26, "มาตรฐานผลิตภัณฑ์": 22})


def _help_rows():
    rows = [(_("Column"), _("What to write"))]
    for column in COLUMNS:
        needed = _("required column") if column.required else _("optional column")
        english = _("English header also accepted: %(alias)s") % {"alias": column.alias}
        rows.append((column.header, f"{needed} · {_column_help(column)} · {english}"))
    rows.append((None, _("Thai digits (๐–๙) are read as digits in every column of numbers, codes, years, house "
                         "numbers and phones.")))
    rows.append((None, _("Rows below the table such as a total (\"รวม 9 รายการ\") or the reporter's signature are "
                         "skipped, not read as data.")))
    return rows


def _column_help(column):
    return {
        "producer_code": _("The producer's code, as text."),
        "producer_name": _("The group's or business's name."),
        "contact_name": _("Personal data: shown only to officers and administrators."),
        "house_no": _("As written, e.g. 12/1."),
        "postcode": _("5 digits, one the subdistrict uses; left empty, the subdistrict's is taken."),
        "product_name": _("The product's name."),
        "producer_type": _("One of the three official types, or the codes 1–3; \"SMEs\" is accepted."),
        "phone": _("A mobile number has 10 digits (06, 08, 09…), a landline 9 (02–05, 07…), with or without dashes "
                   "or spaces; an extension follows ต่อ, e.g. 053-123-456 ต่อ 12; several numbers are separated "
                   "by commas. A number that lost its leading zero gets it back."),
        "village_no": _("3, \"หมู่ 3\" or \"ม.3\"."),
        "subdistrict": _("A subdistrict of the district; \"ต.\" may stand before it."),
        "district": _("A district of the province; \"อ.\" or \"อำเภอ\" may stand before it."),
        "province": _("May be left empty; otherwise it must be this province."),
        "registration_year": _("Buddhist Era (2565) or CE (2022), from 2540 to this year."),
        "product_code": _("The product's code, unique in the registry."),
        "product_type": _("One of the five official types, or the codes 1–5."),
        "classification": _("A, B, C or D (\"กลุ่ม D\" is accepted)."),
        "star_level": _("1 to 5 (\"3 ดาว\" is accepted); empty if unrated."),
        "star_year": _("The year of the star level, BE or CE."),
        "standards": _("Several separated by commas, e.g. \"อย., มผช.\"."),
    }.get(column.field, "")

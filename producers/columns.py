"""The import's columns, in one table: everything else that needs them derives from it.

The workbook reader (import_reading.py), the template workbook and its help sheet (import_format.py),
the export (exporting.py), the registry form's initial values and the services' field lists
(forms.py, services.py), the history's exclusions (models.py), the national demo's COPY
(demo_national.py) and the README's column list (checked by tests/producers/test_columns.py)
all read COLUMNS. Adding a column means a row here and a field on the model.

Anchor: pretix's base/modelimport.py::ImportColumn. This module imports no model (models.py
imports it for the history's exclusions); a column names its model by its side.
"""

import enum
from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from . import cleaning
from .choices import Classification

PRODUCER = "producer"
PRODUCT = "product"


class Personal(enum.Enum):
    """Whether a column is personal data (PDPA)."""

    NO = "no"
    # Shown only to those who need it (officers and admins): left out of others' exports.
    PRIVATE = "private"
    # Part of the address every role reads, but the person's own: erased on their request.
    ADDRESS = "address"


@dataclass(frozen=True)
class Column:
    """One column of the import workbook.

    clean(value, **given) turns a cell into the field's value or raises ValidationError; given
    holds what `uses` names: "gazetteer" (the province's districts and subdistricts) or the key of
    an earlier column, whose clean value it receives (a subdistrict is one of its district's).
    """

    key: str  # the column's name in code, also accepted as its English header
    header: str  # Thai, as in the template workbook
    clean: object
    side: str  # PRODUCER or PRODUCT: whose field it fills
    field: str  # the model field it stands for
    required: bool = False  # the file is refused without this column
    # False: the import checks the value and writes nothing (the province is the import's own).
    written: bool = True
    personal: Personal = Personal.NO
    aliases: tuple = ()  # other Thai headers district offices write
    uses: tuple = ()
    repeats: bool = True  # values repeat over the rows (types, years): each is cleaned once
    help: str = ""
    # The template offers a list: these values, or True for the model's (its choices' labels, or
    # the province's districts).
    drop_down: tuple | bool = ()
    text: bool = False  # the template keeps the cells as text (leading zeros)
    width: int | None = None  # in the template and the export
    shown: object = None  # how the registry form shows a stored value, when not as stored

    @cached_property
    def model(self):
        from django.apps import apps

        return apps.get_model("producers", self.side)

    @cached_property
    def model_field(self):
        return self.model._meta.get_field(self.field)

    @cached_property
    def attname(self):
        """The name of the field's database column as values() and the import's dicts use it."""
        return self.model_field.attname

    @property
    def headers(self):
        return (self.header, self.key, *self.aliases)


def _district(value, gazetteer):
    return gazetteer.district(value)


def _province(value, gazetteer):
    gazetteer.check_province(value)


def _subdistrict(value, gazetteer, district):
    return None if district is None else gazetteer.subdistrict(value, district)


def _postcode(value, subdistrict):
    # Checked against the subdistrict; a blank one is filled once every row is read.
    return "" if cleaning.is_blank(value) else cleaning.postcode_in(value, subdistrict)


def _optional_year(value):
    return cleaning.year_be(value, required=False)


# A product's short description (shown to the committee above the scoring rubric): a few lines.
DESCRIPTION_MAX = 500


def _description(value):
    return cleaning.optional_text(value, max_length=DESCRIPTION_MAX)


# The import format, in the template's order. Headers match without regard to case, spaces,
# punctuation or a note in brackets: "ปีที่ลงทะเบียน (พ.ศ.)" is ปีที่ลงทะเบียน.
COLUMNS = (
    Column("producer_code", "รหัสผู้ผลิต", cleaning.code, PRODUCER, "code", required=True, repeats=False, text=True,
           help=_("The producer's code, as text.")),
    Column("producer_name", "ชื่อผู้ผลิต", cleaning.required_text, PRODUCER, "name", required=True,
           aliases=("ชื่อกลุ่ม",), repeats=False, width=36, help=_("The group's or business's name.")),
    Column("producer_type", "ประเภทผู้ผลิต", cleaning.producer_type, PRODUCER, "producer_type", required=True,
           drop_down=True, width=30,
           help=_("One of the three official types, or the codes 1–3; \"SMEs\" is accepted.")),
    Column("contact_name", "ชื่อผู้ติดต่อ", cleaning.optional_text, PRODUCER, "contact_name",
           personal=Personal.PRIVATE, aliases=("ผู้ติดต่อ", "ชื่อผู้ประสานงาน"), repeats=False, width=22,
           help=_("Personal data: shown only to officers and administrators.")),
    Column("phone", "เบอร์โทรศัพท์", cleaning.phone, PRODUCER, "phone", personal=Personal.PRIVATE,
           aliases=("เบอร์โทร", "โทรศัพท์", "หมายเลขโทรศัพท์", "โทร"), repeats=False, text=True, width=16,
           shown=cleaning.format_phone,
           help=_("A mobile number has 10 digits (06, 08, 09…), a landline 9 (02–05, 07…), with or without dashes "
                  "or spaces; an extension follows ต่อ, e.g. 053-123-456 ต่อ 12; several numbers are separated "
                  "by commas. A number that lost its leading zero gets it back.")),
    Column("house_no", "บ้านเลขที่", cleaning.house_no, PRODUCER, "house_no", personal=Personal.ADDRESS,
           aliases=("เลขที่",), text=True, help=_("As written, e.g. 12/1.")),
    Column("village_no", "หมู่ที่", cleaning.village_no, PRODUCER, "village_no", aliases=("หมู่",),
           help=_("3, \"หมู่ 3\" or \"ม.3\".")),
    Column("subdistrict", "ตำบล", _subdistrict, PRODUCER, "subdistrict", uses=("gazetteer", "district"),
           help=_("A subdistrict of the district; \"ต.\" may stand before it.")),
    Column("district", "อำเภอ", _district, PRODUCER, "district", required=True, uses=("gazetteer",),
           drop_down=True, help=_("A district of the province; \"อ.\" or \"อำเภอ\" may stand before it.")),
    Column("province", "จังหวัด", _province, PRODUCER, "province", written=False,
           uses=("gazetteer",),
           help=_("May be left empty; otherwise it must be this province.")),
    Column("postcode", "รหัสไปรษณีย์", _postcode, PRODUCER, "postcode", uses=("subdistrict",), text=True,
           help=_("5 digits, one the subdistrict uses; left empty, the subdistrict's is taken.")),
    Column("registration_year", "ปีที่ลงทะเบียน", cleaning.year_be, PRODUCER, "registration_year", required=True,
           help=_("Buddhist Era (2565) or CE (2022), from 2540 to this year.")),
    Column("product_code", "รหัสผลิตภัณฑ์", cleaning.code, PRODUCT, "code", required=True, repeats=False, text=True,
           help=_("The product's code, unique in the registry.")),
    Column("product_name", "ชื่อผลิตภัณฑ์", cleaning.required_text, PRODUCT, "name", required=True,
           repeats=False, width=36, help=_("The product's name.")),
    Column("product_type", "ประเภทผลิตภัณฑ์", cleaning.product_type, PRODUCT, "product_type", required=True,
           drop_down=True, width=26, help=_("One of the five official types, or the codes 1–5.")),
    Column("classification", "กลุ่มผลิตภัณฑ์", cleaning.classification, PRODUCT, "classification", required=True,
           aliases=("กลุ่ม ABCD",), drop_down=tuple(Classification.values),
           help=_("A, B, C or D (\"กลุ่ม D\" is accepted).")),
    Column("star_level", "ระดับดาว", cleaning.star_level, PRODUCT, "star_level", aliases=("ระดับดาว OPC",),
           drop_down=(1, 2, 3, 4, 5), help=_("1 to 5 (\"3 ดาว\" is accepted); empty if unrated.")),
    Column("star_year", "ปีที่คัดสรร", _optional_year, PRODUCT, "star_year", aliases=("ปีที่ได้รับดาว",),
           help=_("The year of the star level, BE or CE.")),
    Column("standards", "มาตรฐานผลิตภัณฑ์", cleaning.standards, PRODUCT, "standards", aliases=("มาตรฐาน",),
           width=22, help=_("Several separated by commas, e.g. \"อย., มผช.\".")),
    Column("description", "คำอธิบายผลิตภัณฑ์", _description, PRODUCT, "description",
           aliases=("รายละเอียดผลิตภัณฑ์",), repeats=False, width=48,
           help=_("A short description the committee reads before scoring: what it is, what it is made of, "
                  "what makes it special; at most 500 characters.")),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}


def columns_of(side):
    return tuple(column for column in COLUMNS if column.side == side)


def values_of(side):
    """A side's columns whose values the import writes, the code (the record's key) apart."""
    return tuple(column for column in columns_of(side) if column.written and column.field != "code")


def fields_of(side):
    """The model fields a side's columns fill, in the table's order (codes first)."""
    return tuple(column.field for column in columns_of(side) if column.written)


# Erased on the person's request (services.anonymise_producer), never filled again by an import,
# and kept out of the history, so that an erasure leaves no copy behind.
ERASED_FIELDS = tuple(column.field for column in columns_of(PRODUCER) if column.personal is not Personal.NO)
HISTORY_EXCLUDED = list(ERASED_FIELDS)
# Left out of what a person without the right to personal data reads.
PRIVATE_KEYS = tuple(column.key for column in COLUMNS if column.personal is Personal.PRIVATE)

"""The import's column table (producers/columns.py): what derives from it."""

import json
import os
import subprocess
import sys
from pathlib import Path

from producers.columns import COLUMNS, HISTORY_EXCLUDED, Personal
from producers.models import Producer

ROOT = Path(__file__).resolve().parents[2]


def readme_columns():
    """The README's table of import columns: (Thai header, English alias, also accepted, values)."""
    text = (ROOT / "README.md").read_text()
    table = text[text.index("| Thai header | English alias |"):].split("\n\n")[0]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()[2:]]
    return [(header, alias.strip("`"), also, values) for header, alias, also, values in rows]


def test_readme_lists_the_tables_columns_in_order_with_their_aliases_and_whether_required():
    rows = readme_columns()

    assert [(header, alias, also) for header, alias, also, _values in rows] == [
        (column.header, column.key, ", ".join(column.aliases)) for column in COLUMNS]
    assert [values.startswith("**required**") for *_rest, values in rows] == [column.required for column in COLUMNS]


def test_history_leaves_out_every_personal_column_and_nothing_else():
    historical = {field.name for field in Producer.history.model._meta.fields}

    assert sorted(HISTORY_EXCLUDED) == ["contact_name", "house_no", "phone"]
    assert historical.isdisjoint(HISTORY_EXCLUDED)
    assert {column.field for column in COLUMNS if column.personal is Personal.NO and column.side == "producer"
            } <= historical


# A developer adds a column: a row in the table, a field on the model, nothing else. The edits
# are made to the two modules' source as they are imported, in a process of its own (the
# model's field cannot come and go in this one), on a fresh SQLite database.
ADDED_COLUMN = (
    '    Column("office_postcode", "รหัสไปรษณีย์สำนักงาน", cleaning.postcode, PRODUCER, "office_postcode",\n'
    '           aliases=("ไปรษณีย์สำนักงาน",), text=True, help=_("5 digits.")),\n')
ADDED_FIELD = '    office_postcode = models.CharField(max_length=5, blank=True)\n'
SCRIPT = r"""
import importlib.abc, importlib.machinery, importlib.util, io, json, sys
from pathlib import Path

EDITS = {"producers.columns": ('    Column("registration_year",', ADDED_COLUMN + '    Column("registration_year",'),
         "producers.models": ('    registration_year = models.', ADDED_FIELD + '    registration_year = models.')}


class Edited(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name not in EDITS:
            return None
        origin = importlib.machinery.PathFinder.find_spec(name, path).origin
        return importlib.util.spec_from_file_location(name, origin, loader=self)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        old, new = EDITS[module.__name__]
        source = Path(module.__file__).read_text()
        assert source.count(old) == 1, old
        exec(compile(source.replace(old, new), module.__file__, "exec"), module.__dict__)


sys.meta_path.insert(0, Edited())
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from openpyxl import load_workbook

call_command("migrate", verbosity=0)
from producers.models import Producer, Product, Province
with connection.schema_editor() as editor:  # the migration the developer would write
    editor.add_field(Producer, Producer._meta.get_field("office_postcode"))
    editor.add_field(Producer.history.model, Producer.history.model._meta.get_field("office_postcode"))

from producers import demo_national, exporting, forms, importing, services
from producers.import_format import template_workbook
from tests.producers.workbooks import product_row, registry_sheet, xlsx

province = Province.objects.get(code="50")
template = load_workbook(io.BytesIO(template_workbook(province)))
good = product_row(producer_code="P1", product_code="X1")
good["office_postcode"] = "50200"
bad = product_row(producer_code="P2", product_code="X2")
bad["office_postcode"] = "502"
sheet = registry_sheet([good, bad])
sheet[0][sheet[0].index("รหัสไปรษณีย์สำนักงาน")] = "ไปรษณีย์สำนักงาน"  # found by its alias too
report = importing.import_registry(xlsx(sheet), province=province)
producer = Producer.objects.get(code="P1")
print(json.dumps({
    "template_headers": [cell.value for cell in template.worksheets[0][1]],
    "help": [row for row in template["คำอธิบาย"].iter_rows(values_only=True) if row[0] == "รหัสไปรษณีย์สำนักงาน"],
    "errors": [[error.row, error.column, error.value, error.message] for error in report.errors],
    "stored": producer.office_postcode,
    "history": producer.history.get().office_postcode,
    "services": "office_postcode" in services.PRODUCER_FIELDS,
    "form": forms.initial_values(producer, "producer")["office_postcode"],
    "export": [[cell.value for cell in row][11] for row in load_workbook(io.BytesIO(exporting.write_products(
        Product.objects.filter(code="X1"), personal_data=True))).worksheets[0].iter_rows()],
    "demo_national": "office_postcode" in demo_national.PRODUCER_FIELDS,
}, ensure_ascii=False))
"""


def test_a_column_added_to_the_table_and_the_model_reaches_the_reader_template_export_and_services(tmp_path):
    script = SCRIPT.replace("ADDED_COLUMN", repr(ADDED_COLUMN)).replace("ADDED_FIELD", repr(ADDED_FIELD))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'added.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "kbo_site.settings", "MEDIA_ROOT": str(tmp_path)}

    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)

    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["template_headers"][11] == "รหัสไปรษณีย์สำนักงาน"
    assert found["help"] == [["รหัสไปรษณีย์สำนักงาน", "ไม่บังคับ · 5 digits. · หัวคอลัมน์ภาษาอังกฤษที่ใช้แทนได้: office_postcode"]]
    assert found["errors"] == [[3, "ไปรษณีย์สำนักงาน", "502", "รหัสไปรษณีย์ต้องมี 5 หลัก"]]
    assert (found["stored"], found["history"], found["form"]) == ("50200", "50200", "50200")
    assert found["export"] == ["รหัสไปรษณีย์สำนักงาน", "50200"]
    assert (found["services"], found["demo_national"]) == (True, True)


"""Import a registry workbook from the command line.

    python manage.py import_registry FILE [--dry-run] [--json] [--province 50]

Exits 0 when the file was read, even if some rows have errors (they are reported and left
out); exits 1 with one Thai line on standard error, and nothing written, when the file
itself cannot be used.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from producers.import_batches import province_lock
from producers.importing import ImportFailed, ImportRun, closing_note, import_registry
from producers.models import Province
from producers.workbooks import WorkbookRefused


class Command(BaseCommand):
    help = "Import the OTOP producer registry from an .xlsx, .xls or .ods workbook."
    # Django's system checks import every view (and what they render with): not needed here.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="the workbook (.xlsx, .xls or .ods)")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the report as one JSON object")
        parser.add_argument("--province", default=None,
                            help=f"DOPA province code (default: KBO_PROVINCE_CODE, {settings.KBO_PROVINCE_CODE})")

    def handle(self, *args, file, dry_run, as_json, province, **options):
        translation.activate("th")
        code = province or settings.KBO_PROVINCE_CODE
        path = Path(file)
        try:
            province = Province.objects.get(code=code)
        except Province.DoesNotExist:
            self._fail(_("Unknown province code %(code)s: use a DOPA code such as 50.") % {"code": code})
        if not path.is_file():
            self._fail(_("File not found: %(file)s") % {"file": file})
        try:
            # One import at a time per province, the web's background imports included.
            with province_lock(province.code, on_wait=lambda: self.stderr.write(
                    _("Waiting for the previous import of the same province to finish"),
                    style_func=lambda text: text)):
                report = import_registry(path, province=province, dry_run=dry_run, run=ImportRun(file_name=path.name))
        except (WorkbookRefused, ImportFailed) as error:
            self._fail(error.message)
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            self._print_summary(report)

    def _fail(self, message):
        self.stderr.write(message, style_func=lambda text: text)
        raise SystemExit(1)

    def _print_summary(self, report):
        write = self.stdout.write
        if report.dry_run:
            write(_("Dry run: nothing was written."))
        write(_("Header row: %(row)d; data rows read: %(rows)d") % {"row": report.header_row, "rows": report.rows})
        for label, counts in ((_("Producers"), report.producers), (_("Products"), report.products)):
            write(_("%(label)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                  % {"label": label, "created": counts.created, "updated": counts.updated,
                     "unchanged": counts.unchanged})
        if report.ignored_columns:
            write(_("Ignored columns: %(columns)s") % {"columns": ", ".join(report.ignored_columns)})
        if report.closing_count:
            write(closing_note(report.as_dict()["closing_rows"]))
        write(_("Rows with errors (not imported): %(count)d") % {"count": len(report.error_rows)})
        for error in report.errors:
            write(_("Row %(row)d, column %(column)s (\"%(value)s\"): %(message)s") % {
                "row": error.row, "column": error.column, "value": error.value, "message": error.message})

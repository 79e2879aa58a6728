"""manage.py backup [--json] FILE: the database at one moment and the uploaded files, in one archive."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kbo_site.backup import JSON_FORM, BackupError, backup


class Command(BaseCommand):
    help = ("Back up the database (on PostgreSQL a pg_dump of one snapshot) and the uploaded files into FILE "
            "(.tar, or .tar.gz to compress); see README.md.")
    # Django's system checks import every view (and what they render with): not needed here.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to write, e.g. kbo-2026-11-24.tar")
        parser.add_argument("--json", action="store_true",
                            help="the portable JSON form, to move between SQLite and PostgreSQL (slower)")

    def handle(self, *args, file, json, **options):
        try:
            manifest = backup(file, form=JSON_FORM if json else None)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(_("Backed up %(rows)s rows and %(files)s files to %(file)s")
                          % {"rows": sum(manifest["counts"].values()), "files": len(manifest["files"]), "file": file})

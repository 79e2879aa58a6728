"""manage.py backup FILE: the whole database and the uploaded files in one portable .tar.gz."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from kbo_site.backup import backup


class Command(BaseCommand):
    help = "Back up the whole database and the uploaded files into FILE (.tar.gz); see README.md."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to write, e.g. kbo-2026-11-24.tar.gz")

    def handle(self, *args, file, **options):
        manifest = backup(file)
        self.stdout.write(_("Backed up %(rows)s rows and %(files)s files to %(file)s")
                          % {"rows": sum(manifest["counts"].values()), "files": len(manifest["files"]), "file": file})

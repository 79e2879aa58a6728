"""manage.py restore FILE [--force]: load a backup made by manage.py backup, all or nothing."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kbo_site.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore a backup made by manage.py backup into an empty database (--force replaces what is "
            "there); see README.md.")
    # Django's system checks import every view (and what they render with): not needed here.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive written by manage.py backup")
        parser.add_argument("--force", action="store_true", help="replace the data already in the database")

    def handle(self, *args, file, force, **options):
        try:
            manifest, pending = restore(file, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        except FileNotFoundError:
            raise CommandError(_("File not found: %(file)s") % {"file": file}) from None
        self.stdout.write(_("Restored %(rows)s rows and %(files)s files from %(file)s")
                          % {"rows": sum(manifest["counts"].values()), "files": len(manifest["files"]), "file": file})
        if pending:
            self.stdout.write(_("The backup is older than this program: run manage.py migrate now "
                                "(%(count)s migrations to apply).") % {"count": len(pending)})

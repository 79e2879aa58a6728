"""The download of an import's change list: every record it creates and updates (or would).

The list is written by the background check beside the stored workbook
(producers.change_list); this view only streams it. The preview page shows its first records
(templates/producers/_import_changes.html).
"""

from pathlib import Path

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from producers.roles import can_import_into, get_batch_for

from .import_batches import change_list_file
from .models import ImportBatch


@require_GET
def change_list(request, pk):
    batch = get_batch_for(request.user, pk, can_import_into, ImportBatch.objects.defer("errors", "summary"))
    path = change_list_file(batch)
    if path is None or not path.is_file():
        raise Http404(_("The list of changes is no longer kept: upload the workbook again."))
    stem = Path(batch.file_name).stem or "workbook"
    return FileResponse(open(path, "rb"), as_attachment=True,
                        filename=_("%(name)s - records created and updated.xlsx") % {"name": stem},
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

"""Permission rows for the producers app (registry pages and the workbook import).

See tests/permissions.py for the format. The registry rows are maintained by the registry
pages; the import rows (producers:import_*) by the import pages.
"""

from tests.factories import ProducerFactory, ProductFactory, ProductPhotoFactory, UserFactory
from tests.permissions import Case
from tests.producers.workbooks import import_files_folder, previewed_batch

READERS = {"viewer", "officer", "admin"}
EDITORS = {"officer", "admin"}
ADMINS = {"admin"}


def build_world(world):
    # Registry pages
    world["producer"] = ProducerFactory(code="PERM-P1", name="กลุ่มทดสอบสิทธิ์")
    world["product"] = ProductFactory(producer=world["producer"], code="PERM-OTOP1")
    world["product_photo"] = ProductPhotoFactory(product=world["product"], caption="ภาพทดสอบสิทธิ์")
    # Import pages
    uploader = UserFactory(username="perm-import-uploader", groups=["admin"])
    world["import_batch"] = previewed_batch(uploader, import_files_folder())


def _photo(w):
    return {"pk": w["product"].pk, "photo_pk": w["product_photo"].pk}


CASES = [
    # Registry pages
    Case("producers:dashboard", allowed=READERS),
    Case("producers:product_list", allowed=READERS),
    Case("producers:product_list", allowed=READERS, query="q=ทดสอบ&classification=D&sort=-name"),
    Case("producers:product_export", allowed=READERS),
    Case("producers:product_create", allowed=EDITORS),
    Case("producers:product_edit", scoped=True, kwargs=lambda w: {"pk": w["product"].pk}, allowed=EDITORS),
    # The product page and its photos
    Case("producers:product_detail", scoped=True, kwargs=lambda w: {"pk": w["product"].pk}, allowed=READERS),
    Case("producers:photo_add", scoped=True, kwargs=lambda w: {"pk": w["product"].pk}, method="post",
         allowed=EDITORS, ok=302, not_allowed_methods=("get",)),
    Case("producers:photo_main", scoped=True, kwargs=_photo, method="post", allowed=EDITORS, ok=302,
         not_allowed_methods=("get",)),
    Case("producers:photo_remove", scoped=True, kwargs=_photo, method="post", allowed=EDITORS, ok=302,
         not_allowed_methods=("get",)),
    Case("producers:photo_image", scoped=True, kwargs=_photo, allowed=READERS, not_allowed_methods=("post",)),
    Case("producers:photo_thumbnail", scoped=True, kwargs=_photo, allowed=READERS),
    Case("producers:producer_list", allowed=READERS),
    Case("producers:producer_create", allowed=EDITORS),
    Case("producers:producer_detail", scoped=True, kwargs=lambda w: {"pk": w["producer"].pk}, allowed=READERS),
    Case("producers:producer_edit", scoped=True, kwargs=lambda w: {"pk": w["producer"].pk}, allowed=EDITORS),
    # The change history names who changed what: for officers and admins, not read-only viewers.
    Case("producers:producer_history", scoped=True, kwargs=lambda w: {"pk": w["producer"].pk}, allowed=EDITORS),
    Case("producers:subdistrict_options", allowed=EDITORS, query="district=5001"),
    # Personal data (PDPA) pages
    Case("producers:pdpa_access_log", allowed=ADMINS),
    Case("producers:pdpa_access_log", allowed=ADMINS, query="since=01/01/2569&until=31/12/2569"),
    Case("producers:pdpa_anonymise", scoped=True, kwargs=lambda w: {"pk": w["producer"].pk}, allowed=ADMINS),
    Case("producers:pdpa_anonymise", scoped=True, kwargs=lambda w: {"pk": w["producer"].pk}, method="post",
         data=lambda w: {"reason": "คำขอลงวันที่ 1 มกราคม 2569"}, allowed=ADMINS, ok=302),
    # Import pages
    Case("producers:import_upload", allowed=ADMINS),
    Case("producers:import_template", allowed=ADMINS),
    Case("producers:import_history", allowed=ADMINS),
    Case("producers:import_preview", scoped=True, kwargs=lambda w: {"pk": w["import_batch"].pk}, allowed=ADMINS),
    Case("producers:import_progress", scoped=True, kwargs=lambda w: {"pk": w["import_batch"].pk}, allowed=ADMINS),
    Case("producers:import_errors", scoped=True, kwargs=lambda w: {"pk": w["import_batch"].pk}, allowed=ADMINS),
    Case("producers:import_changes", scoped=True, kwargs=lambda w: {"pk": w["import_batch"].pk}, allowed=ADMINS),
    Case("producers:import_confirm", scoped=True, kwargs=lambda w: {"pk": w["import_batch"].pk}, method="post", allowed=ADMINS,
         ok=302, not_allowed_methods=("get",)),
    Case("producers:import_discard", scoped=True, kwargs=lambda w: {"pk": w["import_batch"].pk}, method="post", allowed=ADMINS,
         ok=302, not_allowed_methods=("get",)),
]

"""Permission rows for the producers app (registry pages and the workbook import).

See tests/permissions.py for the format. The registry rows are maintained by the registry
pages; the import rows (producers:import_*) by the import pages.
"""

from tests.factories import ProducerFactory, ProductFactory
from tests.permissions import Case

READERS = {"viewer", "officer", "admin"}
EDITORS = {"officer", "admin"}
ADMINS = {"admin"}


def build_world(world):
    # Registry pages
    world["producer"] = ProducerFactory(code="PERM-P1", name="กลุ่มทดสอบสิทธิ์")
    world["product"] = ProductFactory(producer=world["producer"], code="PERM-OTOP1")
    # Import pages


CASES = [
    # Registry pages
    Case("producers:dashboard", allowed=READERS),
    Case("producers:product_list", allowed=READERS),
    Case("producers:product_list", allowed=READERS, query="q=ทดสอบ&classification=D&sort=-name"),
    Case("producers:product_export", allowed=READERS),
    Case("producers:product_create", allowed=EDITORS),
    Case("producers:product_edit", kwargs=lambda w: {"pk": w["product"].pk}, allowed=EDITORS),
    Case("producers:producer_list", allowed=READERS),
    Case("producers:producer_create", allowed=EDITORS),
    Case("producers:producer_detail", kwargs=lambda w: {"pk": w["producer"].pk}, allowed=READERS),
    Case("producers:producer_edit", kwargs=lambda w: {"pk": w["producer"].pk}, allowed=EDITORS),
    Case("producers:subdistrict_options", allowed=EDITORS, query="district=5001"),
    # Import pages
]

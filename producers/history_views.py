"""The history of a producer's registry record and its products (ประวัติการแก้ไข).

django-simple-history keeps a copy of the record at every save, by the forms (its signals) and
by the import (producers.bulk_sql.insert_history). This page lines the copies up and shows, for
each change, who made it, when, and which fields went from what to what.
"""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from kbo_site.actions import log_for_keys
from producers.roles import can_edit_record, get_producer_for

from .bulk_sql import IMPORT_REASON_PREFIX
from .models import Producer, Product

PAGE_SIZE = 50
# Bookkeeping columns: they change with every save and say nothing to a reader.
NOT_SHOWN = {"id", "version", "created_at", "updated_at"}
KINDS = {"+": "created", "~": "changed", "-": "deleted"}


def _shown_fields(model):
    historical = model.history.model
    names = {field.name for field in historical._meta.concrete_fields}
    return [field for field in model._meta.concrete_fields if field.name in names and field.name not in NOT_SHOWN]


def _display(field, value, related):
    if value is None or value == "":
        return "–"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return str(related.get((field.related_model, value), value))
    return str(value)


def _entries(rows, fields, label):
    """rows: one record's history, oldest first → its entries (dicts), oldest first."""
    entries, previous = [], None
    for row in rows:
        changes = []
        if row.history_type == "~" and previous is not None:
            changes = [(field, getattr(previous, field.attname), getattr(row, field.attname)) for field in fields
                       if getattr(previous, field.attname) != getattr(row, field.attname)]
            if not changes:
                previous = row
                continue
        reason = row.history_change_reason or ""
        entries.append({"row": row, "kind": KINDS.get(row.history_type, "changed"), "label": label(row),
                        "changes": changes,
                        "import_file": reason.removeprefix(IMPORT_REASON_PREFIX)
                        if reason.startswith(IMPORT_REASON_PREFIX) else None})
        previous = row
    return entries


def _related_names(entries):
    """One query per related model for every foreign key value the changes show."""
    wanted = {}
    for entry in entries:
        for field, old, new in entry["changes"]:
            if field.is_relation:
                wanted.setdefault(field.related_model, set()).update(v for v in (old, new) if v is not None)
    related = {}
    for model, pks in wanted.items():
        for pk, obj in model._default_manager.in_bulk(pks).items():
            related[(model, pk)] = obj
    return related


def producer_history(request, pk):
    producer = get_producer_for(request.user, pk, can_edit_record)
    producer_rows = Producer.history.filter(id=pk).select_related("history_user").order_by("history_date",
                                                                                           "history_id")
    # Every product that belonged to the producer at some time, with all its copies (also those from
    # before or after it belonged), so that each change has the copy before it to compare with.
    product_ids = Product.history.filter(producer_id=pk).values("id")
    product_rows = Product.history.filter(id__in=product_ids).select_related("history_user").order_by(
        "id", "history_date", "history_id")

    entries = _entries(producer_rows, _shown_fields(Producer), lambda row: _("Producer record"))
    by_product = {}
    for row in product_rows:
        by_product.setdefault(row.id, []).append(row)
    product_fields = _shown_fields(Product)
    for rows in by_product.values():
        entries += [entry for entry in _entries(rows, product_fields, lambda row: f"{row.code} {row.name}")
                    if entry["row"].producer_id == pk or any(f.name == "producer" for f, *_ in entry["changes"])]
    log = log_for_keys({Producer: [pk], Product: product_ids})
    return render(request, "producers/producer_history.html", {"producer": producer, "log": log,
                                                                "page": history_page(request, entries)})


def history_page(request, entries):
    """The requested page of `entries` (from _entries), newest first, each change made readable:
    the field's name, the old and the new value as a person reads them. The template
    _history_table.html shows it."""
    entries.sort(key=lambda entry: (entry["row"].history_date, entry["row"].history_id), reverse=True)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    related = _related_names(page.object_list)
    for entry in page.object_list:
        entry["changes"] = [{"field": field.verbose_name, "old": _display(field, old, related),
                             "new": _display(field, new, related)} for field, old, new in entry["changes"]]
    return page

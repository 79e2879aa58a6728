"""The import's second pass: compare the clean rows with the registry, and write the
differences in one short transaction with bulk operations (producers/bulk_sql.py).

A few queries read what the province holds; the comparison is Python (Plan.compare). The
writing (Plan.write) locks the records it updates, checks they are as they were read, then
inserts and updates in bulk and writes the history rows.
"""

import itertools

from django.utils import timezone
from django.utils.translation import gettext as _

from .bulk_sql import BATCH_SIZE, insert_history, insert_new, insert_values, update_rows
from .change_list import CREATED, UPDATED
from .columns import COLUMNS, ERASED_FIELDS, PRODUCER, PRODUCT
from .import_reading import COLUMN_ORDER, PRODUCER_FIELDS, PRODUCT_COLUMNS, PRODUCT_FIELDS
from .models import Producer, Product, Standard
from .workbooks import ImportFailed

# The preview shows this many records of each kind created and updated; the rest are in the
# change list's download.
PREVIEW_LIMIT = 50

def registry_changed():
    return _("Someone changed the registry while the workbook was being checked, so nothing was imported. "
             "Import the workbook again.")


def _preview_entry(entry):
    change, kind, row, code, name, producer, columns = entry
    shown = {"row": row, "code": code, "name": name}
    if kind == PRODUCT:
        shown["producer"] = producer
    if change == UPDATED:
        shown["columns"] = columns
    return shown


class Plan:
    """What the valid rows change in the registry, worked out in Python from a few queries."""

    def __init__(self, reader):
        self.province = reader.province
        self.report = reader.report
        self.headers = reader.headers
        self.present = reader.index.keys()
        # The code of each record to update, by (PRODUCER or PRODUCT, primary key): for the list.
        self.changed_codes = {}

    def compare(self, producers, products):
        report = self.report
        existing_producers = {
            row[0]: row for row in Producer.objects.filter(province=self.province).values_list(
                "code", "id", "version", *PRODUCER_FIELDS, "anonymised_at")}
        producer_codes_by_id = {row[1]: code for code, row in existing_producers.items()}
        self.producer_ids = {code: row[1] for code, row in existing_producers.items()}
        existing_products = {
            row[0]: row for row in Product.objects.filter(producer__province=self.province).values_list(
                "code", "id", "version", "producer_id", *[f for f in PRODUCT_FIELDS if f != "standards"])}

        self.new_producers, self.changed_producers = [], []
        # Without a postcode column, the one filled from the subdistrict is for new producers only.
        kept = set() if "postcode" in self.present else {"postcode"}
        for code, (row, data) in producers.items():
            current = existing_producers.get(code)
            if current is None:
                self.new_producers.append((code, data))
                continue
            values = dict(zip(PRODUCER_FIELDS, current[3:]))
            changes = {name: value for name, value in data.items() if values[name] != value and name not in kept}
            if current[-1] is not None and changes.keys() & ERASED_FIELDS:
                # Erased on the person's request: a later workbook must not bring the data back.
                report.anonymised_kept_empty += 1
                changes = {name: value for name, value in changes.items() if name not in ERASED_FIELDS}
            if changes:
                self.changed_producers.append((current[1], current[2], values, changes))
                self.changed_codes[PRODUCER, current[1]] = code
            else:
                report.producers.unchanged += 1
        report.producers.created = len(self.new_producers)
        report.producers.updated = len(self.changed_producers)

        held = {}
        if "standards" in self.present and existing_products:
            for product_id, name in Product.standards.through.objects.filter(
                    product__producer__province=self.province).values_list("product_id", "standard__name"):
                held.setdefault(product_id, set()).add(name)
        self.new_products, self.changed_products = [], []
        product_fields = [f for f in PRODUCT_FIELDS if f != "standards"]
        for code, (row, producer_code, data) in products.items():
            current = existing_products.get(code)
            if current is None:
                self.new_products.append((code, producer_code, data))
                continue
            values = dict(zip(product_fields, current[4:]))
            values["standards"] = tuple(sorted(held.get(current[1], ())))
            changes = {name: value for name, value in data.items() if values[name] != value}
            if producer_codes_by_id.get(current[3]) != producer_code:
                changes["producer_code"] = producer_code
            if changes:
                self.changed_products.append((current[1], current[2], current[3], values, changes))
                self.changed_codes[PRODUCT, current[1]] = code
            else:
                report.products.unchanged += 1
        report.products.created = len(self.new_products)
        report.products.updated = len(self.changed_products)
        column_order = {header: COLUMN_ORDER[name] for name, header in self.headers.items()}
        report.errors.sort(key=lambda error: (error.row, column_order.get(error.column, len(COLUMNS))))
        report.planned = {}
        for (change, kind), entries in self._listings(producers, products):
            if entries:
                first = itertools.islice(entries, PREVIEW_LIMIT)
                report.planned[f"{kind}s_{change}"] = [_preview_entry(entry) for entry in first]

    def listing(self, producers, products):
        """Every record created or updated (or that would be), from compare's producers and
        products: new producers, updated producers, new products, updated products, each in the
        workbook's order, as (CREATED or UPDATED, PRODUCER or PRODUCT, row, code, name,
        producer code, changed columns)."""
        for _kind, entries in self._listings(producers, products):
            yield from entries

    def _listings(self, producers, products):
        headers, codes = self.headers, self.changed_codes

        def columns(changes, fields):
            return ", ".join(headers[fields.get(name, name)] for name in changes)

        def updated_producers():
            for pk, _version, _values, changes in self.changed_producers:
                code = codes[PRODUCER, pk]
                row, data = producers[code]
                yield UPDATED, PRODUCER, row, code, data["name"], "", columns(changes, PRODUCER_FIELDS)

        def updated_products():
            for pk, _version, _producer_id, _values, changes in self.changed_products:
                code = codes[PRODUCT, pk]
                row, producer, data = products[code]
                yield UPDATED, PRODUCT, row, code, data["name"], producer, columns(changes, PRODUCT_COLUMNS)

        # Lists and dicts keep the workbook's order: a record comes where its first row is.
        return [
            ((CREATED, PRODUCER), self.new_producers and (
                (CREATED, PRODUCER, producers[code][0], code, data["name"], "", "")
                for code, data in self.new_producers)),
            ((UPDATED, PRODUCER), self.changed_producers and updated_producers()),
            ((CREATED, PRODUCT), self.new_products and (
                (CREATED, PRODUCT, products[code][0], code, data["name"], producer, "")
                for code, producer, data in self.new_products)),
            ((UPDATED, PRODUCT), self.changed_products and updated_products()),
        ]

    @property
    def has_writes(self):
        return bool(self.new_producers or self.changed_producers or self.new_products or self.changed_products)

    def write(self, by=None):
        """Write the planned changes; the caller holds the transaction."""
        now = timezone.now()
        # The history the registry's pages show (simple-history's signals do not see plain SQL).
        history = {"file_name": self.report.file_name, "by": by}
        self._lock_and_check_versions()
        standard_ids = self._standard_ids()
        created = insert_new(Producer, ({"province_id": self.province.pk, "code": code, **data}
                                     for code, data in self.new_producers), now=now, history=history)
        producer_ids = {**self.producer_ids, **{code: pk for (code, _data), pk in zip(self.new_producers, created)}}
        if self.changed_producers:
            objects, fields = [], {"version", "updated_at"}
            for pk, version, values, changes in self.changed_producers:
                objects.append(Producer(pk=pk, **{**values, **changes}, version=version + 1, updated_at=now))
                fields |= changes.keys()
            update_rows(Producer, objects, _field_names(fields))

        through = Product.standards.through
        created = insert_new(Product, (
            {"code": code, "producer_id": producer_ids[producer_code],
             **{name: value for name, value in data.items() if name != "standards"}}
            for code, producer_code, data in self.new_products), now=now, history=history)
        links = [(pk, standard_ids[name]) for pk, (_code, _producer, data) in zip(created, self.new_products)
                 for name in data.get("standards", ())]
        if self.changed_products:
            objects, fields, restandardised = [], {"version", "updated_at"}, []
            for pk, version, producer_id, values, changes in self.changed_products:
                changes = dict(changes)
                if "producer_code" in changes:
                    producer_id = producer_ids[changes.pop("producer_code")]
                    fields.add("producer_id")
                if "standards" in changes:
                    restandardised.append(pk)
                    links += [(pk, standard_ids[name]) for name in changes["standards"]]
                row = {**values, **changes}
                row.pop("standards")
                objects.append(Product(pk=pk, producer_id=producer_id, **row, version=version + 1, updated_at=now))
                fields |= changes.keys() - {"standards"}
            update_rows(Product, objects, _field_names(fields))
            for start in range(0, len(restandardised), BATCH_SIZE):
                through.objects.filter(product_id__in=restandardised[start:start + BATCH_SIZE]).delete()
        insert_values(through, ["product", "standard"], links)
        insert_history(Producer, [pk for pk, *_rest in self.changed_producers], "~", now=now, **history)
        insert_history(Product, [pk for pk, *_rest in self.changed_products], "~", now=now, **history)

    def _lock_and_check_versions(self):
        """The rows to update must still be as they were read; a concurrent edit aborts the import."""
        for model, planned in ((Producer, {pk: version for pk, version, *_ in self.changed_producers}),
                               (Product, {pk: version for pk, version, *_ in self.changed_products})):
            pks = sorted(planned)
            for start in range(0, len(pks), BATCH_SIZE):
                current = dict(model.objects.select_for_update().filter(pk__in=pks[start:start + BATCH_SIZE])
                               .values_list("pk", "version"))
                if any(current.get(pk) != planned[pk] for pk in pks[start:start + BATCH_SIZE]):
                    raise ImportFailed(registry_changed())

    def _standard_ids(self):
        names = {name for *_rest, data in self.new_products for name in data.get("standards", ())}
        names |= {name for *_rest, changes in self.changed_products for name in changes.get("standards", ())}
        if not names:
            return {}
        ids = dict(Standard.objects.filter(name__in=names).values_list("name", "id"))
        if names - ids.keys():
            Standard.objects.bulk_create([Standard(name=name) for name in sorted(names - ids.keys())],
                                         ignore_conflicts=True)
            ids = dict(Standard.objects.filter(name__in=names).values_list("name", "id"))
        return ids


def _field_names(attnames):
    return sorted(name[:-3] if name.endswith("_id") else name for name in attnames)

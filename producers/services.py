"""Saving producers and products typed in the registry forms.

Every save is optimistic: the form carries the `version` it was opened at, and a save from a
stale copy is refused, so the other person's change is kept rather than overwritten. A
repeated submit of the same data (a double click) is recognised and does nothing.
Every change leaves a row in the one action log (kbo_site.actions.log_action): who, when, which fields.
"""

import secrets

from django.db import IntegrityError, models, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kbo_site import i18n
from kbo_site.photos import delete_files_on_commit
from kbo_site.actions import log_action
from kbo_site.models import Action
from producers.roles import in_scope

from .columns import ERASED_FIELDS, PRODUCER, PRODUCT, fields_of
from .models import Producer, Product, Standard


class RegistryError(Exception):
    """A registry save that cannot be done; the message tells the person what to do."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleEditError(RegistryError):
    """Someone else saved the record after this form was opened. `current` is their version,
    `fields` the names of the fields where the two edits differ."""

    def __init__(self, message, *, current, fields):
        super().__init__(message)
        self.current = current
        self.fields = fields


PRODUCER_FIELDS = fields_of(PRODUCER)
# The product's standards are saved apart (_set_standards).
PRODUCT_FIELDS = ("producer", *(name for name in fields_of(PRODUCT) if not Product._meta.get_field(name).many_to_many))


def _stored(obj, name):
    """The stored value of a field, comparable with a cleaned form value (FKs by primary key)."""
    field = obj._meta.get_field(name)
    return getattr(obj, field.attname)


def _comparable(value):
    return value.pk if isinstance(value, models.Model) else value


def _differences(obj, data, names):
    return [name for name in names if name in data and _stored(obj, name) != _comparable(data[name])]


def _standard_names(product):
    return tuple(sorted(s.name for s in product.standards.all()))


def _set_standards(product, names):
    existing = {s.name: s for s in Standard.objects.filter(name__in=names)}
    missing = [Standard(name=name) for name in names if name not in existing]
    if missing:
        Standard.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {s.name: s for s in Standard.objects.filter(name__in=names)}
    product.standards.set([existing[name] for name in names])


def _log(obj, *, by, action, fields=()):
    """The record's row in the action log; the changed fields are kept by their English names
    (detail "fields", as Django's admin log keeps them) and listed in Thai in the note."""
    with translation.override(None):
        labels = [str(obj._meta.get_field(name).verbose_name) for name in fields]
    with translation.override(i18n.RECORD_LANGUAGE):
        note = ", ".join(str(obj._meta.get_field(name).verbose_name) for name in fields)
    log_action(by, obj, action, note=note, detail={"about": str(obj)[:200], **({"fields": labels} if fields else {})})


def _stale_message(kind):
    return _(
        "Someone else saved this %(kind)s while you were editing it. Their change has been kept. "
        "Check the values saved now (shown below), then save again if your change is still needed."
    ) % {"kind": kind}


def create_producer(data, *, province, by):
    """Create a producer from cleaned form data; returns (producer, created).

    Side effects: inserts the producer (version 1) and an action log row. A second submit of
    the same data returns the existing producer with created=False. A code already used by a
    different producer raises RegistryError on the "code" field.
    """
    with transaction.atomic():
        existing = Producer.objects.filter(province=province, code=data["code"]).first()
        if existing is not None:
            if not _differences(existing, data, PRODUCER_FIELDS):
                return existing, False
            raise RegistryError(_("The producer code %(code)s is already used by %(name)s.")
                                % {"code": data["code"], "name": existing.name}, field="code")
        producer = Producer(province=province, **{name: data[name] for name in PRODUCER_FIELDS})
        try:
            with transaction.atomic():
                producer.save()
        except IntegrityError:
            raise RegistryError(_("The producer code %(code)s is already used.") % {"code": data["code"]},
                                field="code") from None
        _log(producer, by=by, action=Action.RECORD_ADDED)
    return producer, True


def update_producer(producer, data, *, version, by):
    """Save an officer's edit of a producer opened at `version`; returns (producer, changed).

    Side effects: updates the changed fields, bumps `version`, writes an action log row naming
    the changed fields. Nothing is written when nothing changed. Raises StaleEditError when
    someone else saved in between and the two edits differ; RegistryError when the new code
    is taken.
    """
    with transaction.atomic():
        current = Producer.objects.select_for_update().get(pk=producer.pk)
        changed = _differences(current, data, PRODUCER_FIELDS)
        if current.version != version:
            if not changed:
                # The same change arrived twice (a double click, or two people agreeing).
                return current, False
            raise StaleEditError(_stale_message(_("producer")), current=current, fields=changed)
        if not changed:
            return current, False
        erased = [name for name in ERASED_FIELDS if name in changed]
        if current.anonymised_at is not None and erased:
            raise RegistryError(_("This producer's personal data was erased on request; it cannot be entered "
                                  "again. Leave the contact fields empty."), field=erased[0])
        if "code" in changed and Producer.objects.filter(province_id=current.province_id,
                                                         code=data["code"]).exclude(pk=current.pk).exists():
            raise RegistryError(_("The producer code %(code)s is already used.") % {"code": data["code"]},
                                field="code")
        for name in changed:
            setattr(current, name, data[name])
        current.version += 1
        current.save()
        _log(current, by=by, action=Action.RECORD_CHANGED, fields=changed)
    return current, True


def _code_taken(existing, data, by):
    """The message for a product code already used: the product is named only within the
    province of the product being created; elsewhere, the province only to a user who may see
    it, or else that it is another province."""
    province = existing.producer.province
    if province.pk == data["producer"].province_id:
        return _("The product code %(code)s is already used by %(name)s.") % {"code": data["code"],
                                                                             "name": existing.name}
    if in_scope(by, province.pk):
        return _("The product code %(code)s is already used in %(province)s province.") % {
            "code": data["code"], "province": province.name_th}
    return _("The product code %(code)s is already used in another province.") % {"code": data["code"]}


def create_product(data, *, by):
    """Create a product from cleaned form data (standards as a tuple of names); returns
    (product, created).

    Side effects: inserts the product (version 1), any standard not yet known, its standards
    and an action log row. A second submit of the same data returns the existing product with
    created=False; a code used by a different product raises RegistryError on "code", which
    names that product only if it is of the same province (product codes are unique in the
    whole registry, and another province's products are not the user's to read).
    """
    with transaction.atomic():
        existing = Product.objects.select_related("producer__province").filter(code=data["code"]).first()
        if existing is not None:
            same = not _differences(existing, data, PRODUCT_FIELDS)
            if same and _standard_names(existing) == tuple(data["standards"]):
                return existing, False
            raise RegistryError(_code_taken(existing, data, by), field="code")
        product = Product(**{name: data[name] for name in PRODUCT_FIELDS})
        try:
            with transaction.atomic():
                product.save()
        except IntegrityError:
            raise RegistryError(_("The product code %(code)s is already used.") % {"code": data["code"]},
                                field="code") from None
        _set_standards(product, data["standards"])
        _log(product, by=by, action=Action.RECORD_ADDED)
    return product, True


def update_product(product, data, *, version, by):
    """Save an officer's edit of a product opened at `version`; returns (product, changed).

    Side effects: updates the changed fields and standards, bumps `version`, writes an admin
    log row naming the changed fields. Raises StaleEditError when someone else saved in
    between and the edits differ; RegistryError when the new code is taken.
    """
    with transaction.atomic():
        current = Product.objects.select_for_update().get(pk=product.pk)
        changed = _differences(current, data, PRODUCT_FIELDS)
        if "standards" in data and _standard_names(current) != tuple(data["standards"]):
            changed.append("standards")
        if current.version != version:
            if not changed:
                return current, False
            raise StaleEditError(_stale_message(_("product")), current=current, fields=changed)
        if not changed:
            return current, False
        if "code" in changed and Product.objects.filter(code=data["code"]).exclude(pk=current.pk).exists():
            raise RegistryError(_("The product code %(code)s is already used.") % {"code": data["code"]},
                                field="code")
        for name in changed:
            if name != "standards":
                setattr(current, name, data[name])
        current.version += 1
        current.save()
        if "standards" in changed:
            _set_standards(current, data["standards"])
        _log(current, by=by, action=Action.RECORD_CHANGED, fields=changed)
    return current, True


def anonymise_producer(producer, *, by, reason, address=None):
    """Erase a producer's personal data on the person's request (PDPA); returns the producer.

    Side effects: clears contact name, phone and house number, sets anonymised_at/by, bumps
    `version` (an edit form opened before cannot bring the data back), writes an action log row
    and a PersonalDataAccess row with the reason. Products, scores and decisions are kept.
    Raises RegistryError when the record is already anonymised or no reason is given.
    """
    from django.utils import timezone

    from .models import PersonalDataAccess, PersonalDataAccessKind

    reason = (reason or "").strip()
    if not reason:
        raise RegistryError(_("Give the reason for the erasure (e.g. the request's date and reference)."),
                            field="reason")
    with transaction.atomic():
        current = Producer.objects.select_for_update().get(pk=producer.pk)
        if current.anonymised_at is not None:
            raise RegistryError(_("This producer's personal data was already erased. Nothing was changed."))
        changed = [name for name in ERASED_FIELDS if getattr(current, name)]
        for name in ERASED_FIELDS:
            setattr(current, name, "")
        current.anonymised_at = timezone.now()
        current.anonymised_by = by
        current.version += 1
        current.save()
        _log(current, by=by, action=Action.RECORD_CHANGED, fields=changed)
        PersonalDataAccess.objects.create(user=by, kind=PersonalDataAccessKind.ANONYMISE, producer=current,
                                          reason=reason, address=address)
    return current



# Photos -----------------------------------------------------------------------------------
# kbo_site.photos.prepare makes the stored copies (small, without metadata) before any of these
# is called: it takes a second for a camera's photo, which no transaction should wait on.

MAX_PHOTOS_PER_PRODUCT = 20


def _photo_note(message, **values):
    """An action log note in the record's language (Thai)."""
    with translation.override(i18n.RECORD_LANGUAGE):
        return str(message) % values


def _photo_label(photo):
    return photo.caption or photo.image.name.rsplit("/", 1)[-1]


def add_product_photos(product, prepared, *, by, caption=""):
    """Keep prepared photos (kbo_site.photos.Photo, in the order given) of `product`; returns the
    new ProductPhoto rows. The first photo of a product without a main photo becomes its main one.

    Side effects: writes each photo and its thumbnail under MEDIA_ROOT with random names
    (deleted again if the transaction fails), inserts the rows, one action log row on the
    product. Raises RegistryError when the product would hold more than MAX_PHOTOS_PER_PRODUCT.
    """
    from django.core.files.base import ContentFile

    from .models import ProductPhoto

    caption = (caption or "").strip()[:ProductPhoto._meta.get_field("caption").max_length]
    written, rows = [], []
    try:
        with transaction.atomic():
            current = Product.objects.select_for_update().get(pk=product.pk)
            held = list(current.photos.values_list("is_main", flat=True))
            if len(held) + len(prepared) > MAX_PHOTOS_PER_PRODUCT:
                raise RegistryError(_("A product keeps at most %(count)d photos. Remove some before adding more.")
                                    % {"count": MAX_PHOTOS_PER_PRODUCT}, field="photos")
            has_main = any(held)
            for photo in prepared:
                stem = secrets.token_hex(16)
                row = ProductPhoto(product=current, width=photo.width, height=photo.height, size=len(photo.data),
                                   is_main=not has_main, caption=caption, uploaded_by=by)
                has_main = True
                row.image.save(f"{stem}.jpg", ContentFile(photo.data), save=False)
                written.append(row.image)
                row.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(photo.thumbnail), save=False)
                written.append(row.thumbnail)
                row.save()
                rows.append(row)
            log_action(by, current, Action.RECORD_CHANGED,
                       note=_photo_note(_("Photos added: %(count)d"), count=len(rows)),
                       detail={"about": str(current)[:200], "photos": [row.pk for row in rows]})
    except BaseException:
        for field_file in written:
            field_file.storage.delete(field_file.name)
        raise
    return rows


def set_main_photo(photo, *, by):
    """Make `photo` its product's main photo (the one the committee sees first); returns it.

    Side effects: the product's former main photo is main no longer; one action log row on the
    product. Nothing is written when it is the main photo already.
    """
    from .models import ProductPhoto

    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=photo.product_id)
        current = ProductPhoto.objects.get(pk=photo.pk)
        if current.is_main:
            return current
        product.photos.filter(is_main=True).update(is_main=False)
        current.is_main = True
        current.save(update_fields=["is_main"])
        log_action(by, product, Action.RECORD_CHANGED,
                   note=_photo_note(_("Main photo chosen: %(name)s"), name=_photo_label(current)),
                   detail={"about": str(product)[:200], "photos": [current.pk]})
    return current


def remove_product_photo(photo, *, by):
    """Remove a product's photo. When it was the main photo, the earliest photo left becomes
    the main one.

    Side effects: deletes the row, and its two files once the transaction commits; one action
    log row on the product.
    """
    from .models import ProductPhoto

    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=photo.product_id)
        current = ProductPhoto.objects.filter(pk=photo.pk).first()
        if current is None:
            return
        label = _photo_label(current)
        delete_files_on_commit(current.image, current.thumbnail)
        current.delete()
        if current.is_main:
            following = product.photos.order_by("pk").first()
            if following is not None:
                following.is_main = True
                following.save(update_fields=["is_main"])
        log_action(by, product, Action.RECORD_CHANGED, note=_photo_note(_("Photo removed: %(name)s"), name=label),
                   detail={"about": str(product)[:200], "photos": [photo.pk]})

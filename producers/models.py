"""The registry of OTOP producers and products (ทะเบียนผู้ผลิต ผู้ประกอบการ OTOP)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kbo_site.photos import THUMB_SIDE

from .choices import EARLIEST_YEAR_BE, Classification, ProducerType, ProductType  # noqa: F401 (re-exported)
from .columns import HISTORY_EXCLUDED


class Province(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name_th = models.CharField(_("Thai name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self):
        return self.name_th


def home_province_code():
    """The instance's own province (setting KBO_PROVINCE_CODE): where users without an
    affiliation work and where new committees belong."""
    return settings.KBO_PROVINCE_CODE


class Affiliation(models.Model):
    """Where a user works: one province, or the national level (no province).

    A user without an affiliation works in the instance's own province, so a one-province
    installation needs no setup; a national instance gives each user one."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="affiliation",
                                verbose_name=_("user"))
    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("province"),
                                 help_text=_("Leave empty for the national level: sees every province."))

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")

    def __str__(self):
        return f"{self.user}: {self.province or _('national level')}"


class District(models.Model):
    """An อำเภอ, loaded from geothai (DOPA codes, e.g. 5001)."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")
    name_th = models.CharField(_("Thai name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self):
        return self.name_th


class Subdistrict(models.Model):
    """A ตำบล, loaded from geothai (e.g. 500101)."""

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="subdistricts")
    name_th = models.CharField(_("Thai name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    # Space-separated: a few subdistricts share or span postcodes.
    postcodes = models.CharField(_("postcodes"), max_length=60, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("subdistrict")
        verbose_name_plural = _("subdistricts")

    def __str__(self):
        return self.name_th

    @property
    def postcode_list(self):
        return self.postcodes.split()


class Standard(models.Model):
    """A product standard (มาตรฐานผลิตภัณฑ์): อย., มผช., GMP, HACCP, ฮาลาล, มอก., …"""

    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("standard")
        verbose_name_plural = _("standards")

    def __str__(self):
        return self.name


class Producer(models.Model):
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="producers")
    code = models.CharField(_("producer code"), max_length=40)
    name = models.CharField(_("producer name"), max_length=255)
    producer_type = models.CharField(_("producer type"), max_length=20, choices=ProducerType.choices)
    # Personal data (PDPA): shown only to officers and admins.
    contact_name = models.CharField(_("contact person"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    house_no = models.CharField(_("house number"), max_length=40, blank=True)
    village_no = models.PositiveSmallIntegerField(_("village number"), null=True, blank=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="producers",
                                 verbose_name=_("district"))
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="producers",
                                    null=True, blank=True, verbose_name=_("subdistrict"))
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    registration_year = models.PositiveSmallIntegerField(_("registration year (BE)"))
    # Bumped on every save; an edit made from a stale copy is refused, not overwritten.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # PDPA erasure on request (producers.services.anonymise_producer): the personal fields are
    # empty from then on, and the import does not fill them again.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    anonymised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="+", verbose_name=_("anonymised by"))
    # Every change, with who and when (django-simple-history); the producer's history page shows
    # them. The personal fields stay out, so that anonymising a producer leaves no copy behind.
    # History rows are read by the record's id only: the indexes simple-history would copy from
    # the columns (seven here, with the codes' LIKE indexes) would be written on every import's
    # row for no reader.
    # Who made a change is checked by Django, not by a database constraint on each history row:
    # an import writes hundreds of thousands of them with one user, and the constraint's check
    # of each at commit was a twentieth of a national import. Deleting a user still empties
    # the column (on_delete=SET_NULL, applied by Django's deletion).
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED, user_db_constraint=False,
                                no_db_index=["province", "district", "subdistrict", "anonymised_by", "code"])

    class Meta:
        ordering = ["code"]
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="producer_code_unique_per_province"),
            models.CheckConstraint(condition=Q(registration_year__gte=EARLIEST_YEAR_BE),
                                   name="producer_registration_year_be"),
            models.CheckConstraint(condition=Q(producer_type__in=ProducerType.values),
                                   name="producer_type_valid"),
        ]
        indexes = [
            # Registry filters: producer type and registration year on the product list.
            models.Index(fields=["producer_type"], name="producer_type_idx"),
            models.Index(fields=["registration_year"], name="producer_reg_year_idx"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def address(self):
        parts = []
        if self.house_no:
            parts.append(self.house_no)
        if self.village_no:
            parts.append(f"หมู่ {self.village_no}")
        if self.subdistrict_id:
            parts.append(f"ต.{self.subdistrict.name_th}")
        parts.append(f"อ.{self.district.name_th}")
        parts.append(f"จ.{self.province.name_th}")
        if self.postcode:
            parts.append(self.postcode)
        return " ".join(parts)


class Product(models.Model):
    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="products",
                                 verbose_name=_("producer"))
    code = models.CharField(_("product code"), max_length=40, unique=True)
    name = models.CharField(_("product name"), max_length=255)
    product_type = models.CharField(_("product type"), max_length=20, choices=ProductType.choices)
    classification = models.CharField(_("classification"), max_length=1, choices=Classification.choices)
    star_level = models.PositiveSmallIntegerField(_("OPC star level"), null=True, blank=True)
    star_year = models.PositiveSmallIntegerField(_("selection year (BE)"), null=True, blank=True)
    standards = models.ManyToManyField(Standard, blank=True, related_name="products",
                                       verbose_name=_("standards held"))
    # What the committee reads above the rubric (columns.DESCRIPTION_MAX).
    description = models.CharField(_("short description"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Every change, with who and when; shown on the producer's history page (read by the
    # product's id and its producer's, so only those are indexed besides simple-history's own).
    history = HistoricalRecords(no_db_index=["code"], user_db_constraint=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(condition=Q(star_level__isnull=True) | Q(star_level__gte=1, star_level__lte=5),
                                   name="product_star_level_1_5"),
            models.CheckConstraint(condition=Q(star_year__isnull=True) | Q(star_year__gte=EARLIEST_YEAR_BE),
                                   name="product_star_year_be"),
            models.CheckConstraint(condition=Q(classification__in=Classification.values),
                                   name="product_classification_valid"),
            models.CheckConstraint(condition=Q(product_type__in=ProductType.values),
                                   name="product_type_valid"),
        ]
        indexes = [
            # Registry filters and dashboard counts by type, classification and stars.
            models.Index(fields=["product_type"], name="product_type_idx"),
            models.Index(fields=["classification"], name="product_class_idx"),
            models.Index(fields=["star_level"], name="product_star_idx"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def star_label(self):
        if self.star_level is None:
            return ""
        return f"{self.star_level} ดาว" + (f" ({self.star_year})" if self.star_year else "")


def photo_path(instance, filename):
    """A random name under MEDIA_ROOT (outside the web root); the photo and its thumbnail
    share the stem."""
    return f"products/{instance.product_id}/{filename}"


class ProductPhoto(models.Model):
    """A photo of a product, as kbo_site.photos.prepare stored it: a JPEG of at most 1,600 px
    and 500 KB, a 320 px thumbnail, no metadata. One of a product's photos may be its main one
    (the committee sees it first). Served only through views, after the access check."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos",
                                verbose_name=_("product"))
    image = models.FileField(_("photo"), upload_to=photo_path, max_length=255)
    thumbnail = models.FileField(_("thumbnail"), upload_to=photo_path, max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField(default=0)
    is_main = models.BooleanField(_("main photo"), default=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        # The main photo first, then in the order they were added.
        ordering = ["-is_main", "pk"]
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        constraints = [
            # At most one main photo per product (also the index of "the main photo of these products").
            models.UniqueConstraint(fields=["product"], condition=Q(is_main=True), name="product_photo_one_main"),
        ]

    def __str__(self):
        return f"{self.product_id}: {self.caption or self.image.name}"

    @property
    def thumbnail_size(self):
        """The thumbnail's width and height (kbo_site.photos.THUMB_SIDE on the long side), for
        the <img> attributes that keep the page from jumping as thumbnails load."""
        ratio = min(1, THUMB_SIDE / max(self.width, self.height, 1))
        return max(1, round(self.width * ratio)), max(1, round(self.height * ratio))


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Being checked")
    PREVIEWED = "previewed", _("Previewed, awaiting confirmation")
    IMPORTING = "importing", _("Being imported")
    IMPORTED = "imported", _("Imported")
    REFUSED = "refused", _("Refused")
    DISCARDED = "discarded", _("Discarded")
    FAILED = "failed", _("Failed")


# A background task is working on (or waiting to work on) a batch in these states.
IMPORT_RUNNING_STATES = (ImportStatus.CHECKING, ImportStatus.IMPORTING)


class ImportBatch(models.Model):
    """One uploaded workbook: its preview, its confirmation, and the counts it gave.

    The row records each change of state: uploaded (previewed or refused) by and at,
    confirmed by and at, discarded by and at.
    """

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    # Relative to MEDIA_ROOT, random name, outside the web root. Kept after the import for the
    # bad-rows download; deleted when the batch is discarded or refused.
    stored_path = models.CharField(max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices,
                              default=ImportStatus.PREVIEWED)
    header_row = models.PositiveIntegerField(null=True, blank=True)
    # The report's as_dict() without its errors: counts and ignored columns (the preview's, then
    # the import's). The errors, possibly thousands, live apart so the history need not load them.
    summary = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+", verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    discarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+", verbose_name=_("discarded by"))
    discarded_at = models.DateTimeField(_("discarded at"), null=True, blank=True)
    # Progress of the background task (producers/tasks.py), updated every few thousand rows:
    # the batch page polls it. rows_total is the sheet's height, known before reading.
    task_id = models.CharField(max_length=64, blank=True)
    waiting = models.BooleanField(default=False)  # behind an earlier import of the same province
    rows_total = models.PositiveIntegerField(default=0)
    rows_read = models.PositiveIntegerField(default=0)
    rows_valid = models.PositiveIntegerField(default=0)
    rows_with_errors = models.PositiveIntegerField(default=0)
    writing = models.BooleanField(default=False)  # every row read; the registry is being written
    progress_at = models.DateTimeField(null=True, blank=True)
    # How many times the current step (the check, then the import) has been started, counted
    # before each start: a file that brings its worker down every time is given up after
    # import_batches.MAX_ATTEMPTS instead of being queued again at every restart.
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values), name="import_batch_status_valid"),
        ]
        indexes = [
            # The import history page: newest first.
            models.Index(fields=["-uploaded_at"], name="import_batch_uploaded_idx"),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("producers:import_preview", kwargs={"pk": self.pk})


class PersonalDataAccessKind(models.TextChoices):
    VIEW_PRODUCER = "view_producer", _("Viewed a producer page")
    VIEW_LIST = "view_list", _("Viewed a list with contacts")
    EXPORT = "export", _("Exported with personal columns")
    ANONYMISE = "anonymise", _("Anonymised a producer")


class PersonalDataAccess(models.Model):
    """One sight of personal data (PDPA): who, when, what, which producer or which filter,
    from which address. One row per request, written by producers.pdpa."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("user"))
    at = models.DateTimeField(_("when"), default=timezone.now)
    kind = models.CharField(_("what"), max_length=20, choices=PersonalDataAccessKind.choices)
    producer = models.ForeignKey(Producer, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("producer"))
    # The list's or the export's filter, as its query string.
    query = models.CharField(_("filter"), max_length=1000, blank=True)
    address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PersonalDataAccessKind.values),
                                   name="personal_data_access_kind_valid"),
        ]
        indexes = [
            # The access log page: newest first, and filtered by user.
            models.Index(fields=["-at"], name="pd_access_at_idx"),
            models.Index(fields=["user", "-at"], name="pd_access_user_at_idx"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

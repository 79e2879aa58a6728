"""Django admin for the registry: a back door for administrators, not the officers' tool.

The registry pages (and their version check) are where people edit. Geography comes from
geothai and is read-only here; imports are a history and are never edited by hand.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from kbo_site.admin import ReadOnlyAdmin

from .models import Affiliation, District, ImportBatch, PersonalDataAccess, Producer, Product, Province, Standard, Subdistrict


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdmin):
    list_display = ("code", "name_th", "name_en")
    search_fields = ("code", "name_th", "name_en")


@admin.register(District)
class DistrictAdmin(ReadOnlyAdmin):
    list_display = ("code", "name_th", "name_en", "province")
    list_filter = ("province",)
    search_fields = ("code", "name_th", "name_en")


@admin.register(Subdistrict)
class SubdistrictAdmin(ReadOnlyAdmin):
    list_display = ("code", "name_th", "name_en", "district", "postcodes")
    search_fields = ("code", "name_th", "name_en")
    list_select_related = ("district",)


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)


class ProductInline(admin.TabularInline):
    model = Product
    fields = ("code", "name", "product_type", "classification", "star_level", "star_year")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Producer)
class ProducerAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "producer_type", "district", "registration_year")
    list_filter = ("producer_type", "registration_year", "district")
    search_fields = ("code", "name")
    list_select_related = ("district",)
    raw_id_fields = ("province", "district", "subdistrict")
    # Erasure goes through services.anonymise_producer (logged, with a reason), not this form.
    readonly_fields = ("version", "created_at", "updated_at", "anonymised_at", "anonymised_by")
    inlines = [ProductInline]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "producer", "product_type", "classification", "star_level")
    list_filter = ("product_type", "classification", "star_level")
    search_fields = ("code", "name", "producer__name", "producer__code")
    list_select_related = ("producer",)
    raw_id_fields = ("producer",)
    filter_horizontal = ("standards",)
    readonly_fields = ("version", "created_at", "updated_at")


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ("file_name", "uploaded_by", "uploaded_at", "status", "error_count")
    list_filter = ("status",)
    search_fields = ("file_name", "sha256")
    list_select_related = ("uploaded_by",)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    """The PDPA access log: a record, never edited or deleted by hand."""

    list_display = ("at", "user", "kind", "producer", "query", "address")
    list_filter = ("kind",)
    list_select_related = ("user", "producer")
    raw_id_fields = ("user", "producer")


class AffiliationInline(admin.StackedInline):
    """A user's province (or the national level), set where the user is edited."""

    model = Affiliation
    can_delete = True
    max_num = 1
    fields = ("province",)


class UserWithAffiliationAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, AffiliationInline]
    list_display = (*UserAdmin.list_display, "province")

    @admin.display(description=Affiliation._meta.get_field("province").verbose_name)
    def province(self, user):
        affiliation = getattr(user, "affiliation", None)
        if affiliation is None:
            return Province.objects.filter(code=settings.KBO_PROVINCE_CODE).first()
        return affiliation.province or _("national level")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("affiliation__province")


User = get_user_model()
admin.site.unregister(User)
admin.site.register(User, UserWithAffiliationAdmin)

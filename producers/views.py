"""Registry pages: dashboard, product and producer lists, producer page, forms, export.

Thin views: check the role, bind the form or filter, call producers.services, turn its
error into a message. Lists run a fixed number of queries whatever the data size.

Province scope: every list, count and object lookup goes through `_producers(user)` or
`_products(user)` (producers.roles.scoped), so a provincial user sees and changes only their
province's registry and another province's producer answers 404.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from producers.roles import (
    can_edit_record,
    can_edit_registry,
    can_see_personal_data,
    can_view_record,
    can_view_registry,
    get_producer_for,
    get_product_for,
    in_scope,
    is_national,
    province_code,
    role_required,
    scoped,
)

from . import exporting, pdpa, services
from .dashboard import dashboard_data
from .filters import InSubquery, ProducerFilter, ProductFilter
from .forms import ProducerForm, ProductForm, subdistrict_choices
from .models import District, Producer, Product, Province

PAGE_SIZE = 50
# A national list across every province counts its rows up to this many, then says "more
# than": an exact count of a search over 300,000 products reads every match (see _list_page).
NATIONAL_COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most `cap` rows (COUNT(*) over a LIMIT cap + 1 subquery); `capped` says that
    there are more, and the pages stop at the cap.

    With `rows` (the unfiltered queryset with its select_related, prefetches and annotations),
    a page is read in one query that picks the page's keys first (the filters, the order,
    LIMIT and OFFSET) and joins only those rows: joined before the LIMIT, PostgreSQL read the
    producer and district of each of a province's 7,192 products to show 50, since it cannot
    size `producer_id = ANY(ARRAY(...))` (bench/saturation_bench.py); the filters are not
    checked a second time on the rows."""

    def __init__(self, *args, cap=None, rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = cap
        self.capped = False
        self.rows = rows

    @cached_property
    def count(self):
        if self.cap is None:
            return super().count
        count = self.object_list.order_by().values("pk")[:self.cap + 1].count()
        self.capped = count > self.cap
        return min(count, self.cap)

    def page(self, number):
        page = super().page(number)
        if self.rows is not None:
            ordering = self.object_list.query.order_by
            rows = self.rows.filter(pk__in=page.object_list.values("pk"))
            page.object_list = rows.order_by(*ordering) if ordering else rows
        return page


def _producers(user):
    """The producers the user may see: their province's, or every one for a national user."""
    return scoped(Producer.objects.all(), user)


def _products(user):
    """The products the user may see. Cut by `producer_id = ANY(ARRAY(their producers))`
    rather than a join on the producer's province: the planner then starts from the
    province's few thousand products instead of walking 300,000 in code order."""
    if is_national(user):
        return Product.objects.all()
    return Product.objects.filter(InSubquery("producer_id", _producers(user).order_by().values("pk")))


def _chosen_province(request):
    """A national user's ?province= (a valid code) or None; a provincial user's own province."""
    if not is_national(request.user):
        return province_code(request.user)
    code = request.GET.get("province", "")
    return code if code and Province.objects.filter(code=code).exists() else None


@role_required(can_view_registry)
def dashboard(request):
    national = is_national(request.user)
    province = _chosen_province(request)
    data = dashboard_data(province=province, national=national)
    if national:
        data["provinces"] = list(Province.objects.order_by("code"))
        data["chosen_province"] = province
        data["place_name"] = (next(p.name_th for p in data["provinces"] if p.code == province) if province
                              else _("Whole country"))
    for name in ("producer_count", "product_count"):
        data[f"{name}_html"] = format_html('<span class="kbo-headline-number">{}</span>',
                                           f"{data[name]:,}")
    return render(request, "producers/dashboard.html", data)


def _columns(request, filterset, columns):
    """Table headers; sortable ones link to ?sort=key, flipping the direction when active."""
    current = request.GET.get("sort", "")
    sorts = filterset.filters["sort"].sorts
    headers = []
    for key, label, css in columns:
        header = {"label": label, "css": css, "key": key, "sortable": key in sorts}
        if header["sortable"]:
            header["active"] = current.lstrip("-") == key
            header["descending"] = header["active"] and current.startswith("-")
            header["sort"] = f"-{key}" if header["active"] and not header["descending"] else key
        headers.append(header)
    return headers


def _list_page(request, filterset, rows, *, template, partial, columns, extra=None):
    # Across every province, a filtered list is for finding, not counting (the dashboard
    # counts): its count stops at NATIONAL_COUNT_CAP. Unfiltered, the count reads an index only.
    cap = NATIONAL_COUNT_CAP if filterset.chosen_province is None and filterset.active_count else None
    paginator = CappedPaginator(filterset.qs, PAGE_SIZE, cap=cap, rows=rows)
    page = paginator.get_page(request.GET.get("page"))
    show_personal = can_see_personal_data(request.user)
    if show_personal:
        # One row per page view, with its filter, not one per producer shown.
        pdpa.log_access(request, pdpa.Kind.VIEW_LIST, query=f"{request.path}?{pdpa.query_of(request)}")
    context = {
        "filter": filterset,
        "page": page,
        "headers": _columns(request, filterset, columns),
        "show_personal": show_personal,
        "sort": request.GET.get("sort", ""),
        **(extra or {}),
    }
    # htmx swaps only the table; a history restore asks for the whole page.
    if request.htmx and request.htmx.target == "results" and not request.htmx.history_restore_request:
        return render(request, partial, context)
    return render(request, template, context)


@role_required(can_view_registry)
def product_list(request):
    personal = can_see_personal_data(request.user)
    national = is_national(request.user)
    queryset = _products(request.user).select_related(
        "producer__district", *(["producer__province"] if national else [])).prefetch_related("standards")
    filterset = ProductFilter(request.GET, queryset=queryset, request=request)
    columns = [
        ("code", _("product code"), "d-none d-md-table-cell"),
        ("name", _("product name"), ""),
        ("producer", _("producer"), "d-none d-sm-table-cell"),
        *([("province", _("province"), "d-none d-md-table-cell")] if national else []),
        ("district", _("district"), "d-none d-md-table-cell"),
        ("product_type", _("product type"), "d-none d-lg-table-cell"),
        ("classification", _("Group"), ""),
        ("star", _("Stars"), ""),
        ("year", _("Registered"), "d-none d-lg-table-cell"),
    ]
    if personal:
        columns += [("contact", _("Contact"), "d-none d-xl-table-cell")]
    return _list_page(request, filterset, queryset, template="producers/product_list.html",
                      partial="producers/_product_table.html", columns=columns, extra={"national": national})


@role_required(can_view_registry)
def producer_list(request):
    personal = can_see_personal_data(request.user)
    national = is_national(request.user)
    queryset = _producers(request.user).select_related("district", "subdistrict",
                                                       *(["province"] if national else []))
    filterset = ProducerFilter(request.GET, queryset=queryset, request=request)
    columns = [
        ("code", _("producer code"), "d-none d-md-table-cell"),
        ("name", _("producer name"), ""),
        ("producer_type", _("producer type"), "d-none d-lg-table-cell"),
        *([("province", _("province"), "d-none d-md-table-cell")] if national else []),
        ("district", _("district"), "d-none d-md-table-cell"),
        ("subdistrict", _("subdistrict"), "d-none d-xl-table-cell"),
        ("year", _("Registered"), "d-none d-md-table-cell"),
        ("products", _("Products"), "text-end"),
    ]
    if personal:
        columns += [("contact", _("Contact"), "d-none d-xl-table-cell")]
    return _list_page(request, filterset, ProducerFilter.with_product_count(queryset),
                      template="producers/producer_list.html",
                      partial="producers/_producer_table.html", columns=columns, extra={"national": national})


@role_required(can_view_registry)
def product_export(request):
    filterset = ProductFilter(request.GET, queryset=_products(request.user), request=request)
    personal = can_see_personal_data(request.user)
    content = exporting.write_products(filterset.qs, personal_data=personal)
    if personal:
        pdpa.log_access(request, pdpa.Kind.EXPORT, query=pdpa.query_of(request))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = exporting.export_filename(timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def producer_detail(request, pk):
    producer = get_producer_for(request.user, pk, can_view_record,
                                Producer.objects.select_related("province", "district", "subdistrict"))
    products = producer.products.prefetch_related("standards").order_by("code")
    show_personal = can_see_personal_data(request.user)
    if show_personal and producer.anonymised_at is None:
        pdpa.log_access(request, pdpa.Kind.VIEW_PRODUCER, producer=producer)
    return render(request, "producers/producer_detail.html", {
        "producer": producer,
        "products": products,
        "show_personal": show_personal,
    })


def _producer_url(producer):
    return reverse("producers:producer_detail", args=[producer.pk])


def _stale(form, error):
    """Keep what the person typed, show what is saved now, and let the next save go through."""
    form.set_version(error.current.version)
    return {"message": error.message, "fields": [
        {"label": form.fields[name].label, "saved": _saved_display(error.current, name)}
        for name in error.fields if name in form.fields]}


def _saved_display(obj, name):
    if name == "standards":
        return ", ".join(s.name for s in obj.standards.all()) or "–"
    field = obj._meta.get_field(name)
    if field.choices:
        return getattr(obj, f"get_{name}_display")()
    value = getattr(obj, name)
    if name == "producer":
        return value.code
    return "–" if value in (None, "") else str(value)


def _save(request, form, save, *, success_url, message):
    """Run a service save; a RegistryError becomes a form error, nothing is lost.
    Returns (redirect or None, the stale-edit conflict to show or None)."""
    try:
        obj, changed = save(form.cleaned_data)
    except services.StaleEditError as error:
        return None, _stale(form, error)
    except services.RegistryError as error:
        form.add_error(error.field, error.message)
        return None, None
    if changed:
        messages.success(request, message)
    else:
        messages.info(request, _("Nothing changed: the record already holds these values."))
    return redirect(success_url(obj)), None


@role_required(can_edit_registry)
def producer_create(request):
    # A national user picks the province in the form; ?province= preselects it.
    form = ProducerForm(request.POST or None, user=request.user, initial_province=request.GET.get("province"))
    conflicts = None
    if request.method == "POST" and form.is_valid():
        response, conflicts = _save(
            request, form, lambda data: services.create_producer(data, province=form.province, by=request.user),
            success_url=_producer_url, message=_("The producer has been saved."))
        if response:
            return response
    return render(request, "producers/producer_form.html", {"form": form, "producer": None, "conflicts": conflicts})


def producer_edit(request, pk):
    producer = get_producer_for(request.user, pk, can_edit_record,
                                Producer.objects.select_related("province", "district", "subdistrict"))
    form = ProducerForm(request.POST or None, instance=producer, user=request.user)
    if request.method == "GET" and producer.anonymised_at is None:
        # The edit form shows the contact fields: a sight of personal data like the producer page.
        pdpa.log_access(request, pdpa.Kind.VIEW_PRODUCER, producer=producer)
    conflicts = None
    if request.method == "POST" and form.is_valid():
        response, conflicts = _save(
            request, form,
            lambda data: services.update_producer(producer, data, version=form.cleaned_data["version"],
                                                  by=request.user),
            success_url=_producer_url, message=_("The changes have been saved."))
        if response:
            return response
    return render(request, "producers/producer_form.html",
                  {"form": form, "producer": producer, "conflicts": conflicts})


@role_required(can_edit_registry)
def product_create(request):
    producer = None
    if request.GET.get("producer", "").isdigit():
        producer = _producers(request.user).select_related("province").filter(pk=request.GET["producer"]).first()
    form = ProductForm(request.POST or None, producer=producer, user=request.user)
    conflicts = None
    if request.method == "POST" and form.is_valid():
        response, conflicts = _save(
            request, form, lambda data: services.create_product(data, by=request.user),
            success_url=lambda p: _producer_url(p.producer), message=_("The product has been saved."))
        if response:
            return response
    return render(request, "producers/product_form.html", {"form": form, "product": None, "conflicts": conflicts})


def product_edit(request, pk):
    product = get_product_for(request.user, pk, can_edit_record, Product.objects.select_related("producer__province"))
    form = ProductForm(request.POST or None, instance=product, user=request.user)
    conflicts = None
    if request.method == "POST" and form.is_valid():
        response, conflicts = _save(
            request, form,
            lambda data: services.update_product(product, data, version=form.cleaned_data["version"],
                                                 by=request.user),
            success_url=lambda p: _producer_url(p.producer), message=_("The changes have been saved."))
        if response:
            return response
    return render(request, "producers/product_form.html", {"form": form, "product": product, "conflicts": conflicts})


@require_GET
@role_required(can_edit_registry)
def subdistrict_options(request):
    """The <option>s of the subdistrict select for ?district=CODE (htmx, on district change).
    A district outside the user's province gives no options."""
    code = request.GET.get("district") or None
    district = District.objects.filter(code=code).first() if code else None
    if district is not None and in_scope(request.user, district.province_id):
        choices = subdistrict_choices(district.province_id, district.code)
    elif code is None and not is_national(request.user):
        choices = subdistrict_choices(province_code(request.user))
    else:
        choices = subdistrict_choices(None)
    return render(request, "producers/_subdistrict_options.html", {"choices": choices, "grouped": not code})

"""The product page: the product's facts, its description and its photos; officers add photos
from a phone's camera, choose the main one and remove them.

Photos are served only through these views, after the product's access check
(producers.roles.get_product_for): another province's product answers 404.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kbo_site.files import photo_response
from producers.roles import can_edit_record, can_view_record, get_product_for

from . import services
from .forms import ProductPhotoForm
from .models import Product, ProductPhoto


def _product(request, pk, predicate):
    return get_product_for(request.user, pk, predicate,
                           Product.objects.select_related("producer__district", "producer__province"))


def _photo(product, photo_pk):
    return get_object_or_404(ProductPhoto, pk=photo_pk, product=product)


def product_detail(request, pk):
    product = _product(request, pk, can_view_record)
    return render(request, "producers/product_detail.html", {
        "product": product,
        "standards": list(product.standards.all()),
        "photos": list(product.photos.all()),
        "photo_form": ProductPhotoForm(),
        "max_photos": services.MAX_PHOTOS_PER_PRODUCT,
    })


def _detail(product):
    return redirect("producers:product_detail", pk=product.pk)


@require_POST
def photo_add(request, pk):
    product = _product(request, pk, can_edit_record)
    form = ProductPhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _detail(product)
    try:
        added = services.add_product_photos(product, form.prepared, caption=form.cleaned_data["caption"],
                                            by=request.user)
    except services.RegistryError as error:
        messages.error(request, error.message)
        return _detail(product)
    messages.success(request, _("%(count)d photos added.") % {"count": len(added)})
    for name, message in form.refused:
        messages.error(request, f"{name}: {message}")
    return _detail(product)


@require_POST
def photo_main(request, pk, photo_pk):
    product = _product(request, pk, can_edit_record)
    services.set_main_photo(_photo(product, photo_pk), by=request.user)
    messages.success(request, _("The main photo has been chosen."))
    return _detail(product)


@require_POST
def photo_remove(request, pk, photo_pk):
    product = _product(request, pk, can_edit_record)
    services.remove_product_photo(_photo(product, photo_pk), by=request.user)
    messages.success(request, _("The photo has been removed."))
    return _detail(product)


@require_GET
def photo_image(request, pk, photo_pk):
    product = _product(request, pk, can_view_record)
    return photo_response(_photo(product, photo_pk).image)


@require_GET
def photo_thumbnail(request, pk, photo_pk):
    product = _product(request, pk, can_view_record)
    return photo_response(_photo(product, photo_pk).thumbnail)

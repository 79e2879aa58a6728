"""Registry pages. (Being built: see issue 2.)"""

from django.shortcuts import render

from kbo_site.roles import can_view_registry, role_required

from .models import Producer, Product


@role_required(can_view_registry)
def dashboard(request):
    return render(request, "producers/dashboard.html", {
        "producer_count": Producer.objects.count(),
        "product_count": Product.objects.count(),
    })


def _todo(request, *args, **kwargs):
    raise NotImplementedError


product_list = product_export = product_create = product_edit = _todo
producer_list = producer_create = producer_detail = producer_edit = subdistrict_options = _todo

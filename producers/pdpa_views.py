"""Personal data pages (PDPA), admins only: the access log and erasure on request."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from producers.roles import NATIONAL, can_anonymise, get_producer_for, is_admin, province_code, role_required
from kbo_site.forms import BEDateField

from . import pdpa, services
from .models import Affiliation, PersonalDataAccess, Producer, home_province_code

PAGE_SIZE = 50


def province_users(code):
    """The users who work in province `code`: affiliated to it, or (in the instance's own
    province) not affiliated at all."""
    condition = Q(pk__in=Affiliation.objects.filter(province_id=code).values("user_id"))
    if code == home_province_code():
        condition |= Q(affiliation__isnull=True)
    return condition


def entries_in_scope(rows, user):
    """A provincial admin sees the sights of their province: a producer of the province, or a
    list or export viewed by one of the province's users. A national user sees all."""
    code = province_code(user)
    if code is NATIONAL:
        return rows
    by_province_user = get_user_model().objects.filter(province_users(code)).values("pk")
    return rows.filter(Q(producer__province_id=code) | Q(producer__isnull=True, user__in=by_province_user))


class AccessFilterForm(forms.Form):
    user = forms.ModelChoiceField(label=gettext_lazy("user"), required=False,
                                  queryset=get_user_model().objects.order_by("username"))
    since = BEDateField(label=gettext_lazy("From date"), required=False)
    until = BEDateField(label=gettext_lazy("To date"), required=False)

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        code = province_code(viewer)
        if code is not NATIONAL:
            self.fields["user"].queryset = self.fields["user"].queryset.filter(province_users(code))


class AnonymiseForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason (the person's request: date, reference)"),
                             widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@role_required(is_admin)
def access_log(request):
    form = AccessFilterForm(request.GET or None, viewer=request.user)
    rows = entries_in_scope(PersonalDataAccess.objects.select_related("user", "producer"), request.user)
    if form.is_valid():
        if form.cleaned_data["user"]:
            rows = rows.filter(user=form.cleaned_data["user"])
        if form.cleaned_data["since"]:
            rows = rows.filter(at__gte=_day_start(form.cleaned_data["since"]))
        if form.cleaned_data["until"]:
            rows = rows.filter(at__lt=_day_start(form.cleaned_data["until"] + datetime.timedelta(days=1)))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "producers/pdpa_access_log.html", {"form": form, "page": page})


def anonymise(request, pk):
    producer = get_producer_for(request.user, pk, can_anonymise,
                                Producer.objects.select_related("province", "district", "anonymised_by"))
    form = AnonymiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.anonymise_producer(producer, by=request.user, reason=form.cleaned_data["reason"],
                                        address=pdpa.client_address(request))
        except services.RegistryError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The producer's personal data has been erased."))
        return redirect("producers:producer_detail", pk=producer.pk)
    return render(request, "producers/pdpa_anonymise.html", {"producer": producer, "form": form})

"""The meetings that carry a selection round and the workshops held for it, as links on the
round's overview (selection/round_links.py): each only for a reader who may open it."""

from django.urls import reverse
from django.utils.translation import gettext as _

from kbo_site.i18n import reader_language
from kbo_site.thaidates import format_date, format_date_range
from selection.round_links import RoundLink

from . import rules
from .models import Meeting, Workshop


def meetings_and_workshops(user, round):
    meetings = Meeting.objects.filter(round=round).select_related("committee").order_by("date", "number")
    workshops = Workshop.objects.filter(round=round).select_related("committee").order_by("start_date", "pk")
    language = reader_language()
    return [
        *(RoundLink(_("Meeting"), _("Meeting %(label)s") % {"label": meeting.label},
                    reverse("meetings:detail", args=[meeting.pk]), format_date(meeting.date, language=language))
          for meeting in meetings if rules.can_read(user, meeting)),
        *(RoundLink(_("Workshop"), workshop.title, reverse("meetings:workshop_detail", args=[workshop.pk]),
                    format_date_range(workshop.start_date, workshop.end_date, language=language))
          for workshop in workshops if rules.can_view_workshop(user, workshop)),
    ]

"""In English (the language switch), what the system writes follows the reader's language.

Names, titles and places people typed or imported stay as written, and so does what the
official record holds in Thai (audit details, minutes: selection.services.RECORD_LANGUAGE).
Everything else the pages generate (states, roles, screening reasons, rule texts, dates,
the admin's model names) is English. The world is the demo (a small registry, the round
selected, meeting 1/2565 closed), built through the services as a real round would be.
"""

import datetime
import random
import re

import lxml.html
import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from kbo_site.actions import log_for
from meetings import demo as meetings_demo
from meetings.models import Meeting
from producers import demo as registry_demo
from producers.models import Producer
from selection import demo as selection_demo
from tests.factories import UserFactory

THAI = re.compile(r"[\u0E00-\u0E7F]")
# Fields whose Thai text the system generates for the reader: shown in the reader's language.
GENERATED_FIELDS = {
    "selection.ScreeningResult.reason",
    "kbo_site.ActionLog.from_state",
    "kbo_site.ActionLog.to_state",
    "meetings.Attendance.committee_role",
}
# The language switch names Thai in Thai, as language menus do.
LANGUAGE_NAMES = {"ภาษาไทย"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@pytest.fixture
def demo(db):
    users = registry_demo.create_users()
    registry_demo.build_registry(random.Random(2565), producers=400, products=1100)
    selection_round = selection_demo.build(random.Random(2565), stage="selected", users=users)
    meeting = meetings_demo.build(random.Random(2565), users=users, selection_round=selection_round)
    return {"users": users, "round": selection_round, "meeting": meeting}


def reader(client, user, language):
    client.force_login(user)
    client.post(reverse("set_language"), {"language": language})
    return client


@pytest.fixture
def english(client, demo):
    return reader(client, demo["users"]["officer"], "en")


@pytest.fixture
def thai(client, demo):
    return reader(client, demo["users"]["officer"], "th")


def page_text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    document = lxml.html.fromstring(response.content.decode())
    for hidden in document.xpath("//script | //style | //template"):
        hidden.drop_tree()
    for name in document.xpath("//*[contains(concat(' ', @class, ' '), ' kbo-name ')]"):
        # A name whose words are kept apart for line breaking reads as one text.
        text = name.text_content()
        for child in list(name):
            name.remove(child)
        name.text = text
    return [" ".join(text.split()) for text in document.itertext() if text.strip()]


def data_texts():
    """Every text people typed or imported, and what the record holds in Thai on purpose."""
    texts = set()
    for model in apps.get_models():
        if model._meta.app_label not in ("kbo_site", "producers", "selection", "meetings", "auth"):
            continue
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField))
                  and f"{model._meta.label}.{f.name}" not in GENERATED_FIELDS]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            texts.update(value for value in row if value)
    for user in apps.get_model("auth", "User").objects.all():
        texts.add(user.get_full_name())
    texts.update(producer.address for producer in Producer.objects.select_related("district", "subdistrict",
                                                                                   "province"))
    return texts | LANGUAGE_NAMES


def unexplained_thai(texts, data):
    """The texts that still hold Thai once every datum in them is taken out."""
    joined = "\n".join(texts)
    present = sorted((d for d in data if d in joined), key=len, reverse=True)
    left = []
    for text in texts:
        rest = text
        for datum in present:
            if datum in rest:
                rest = rest.replace(datum, " ")
        if THAI.search(rest):
            left.append(text)
    return left


def english_datetime(value):
    value = timezone.localtime(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year + 543} BE, {value:%H:%M}"


PAGES = {
    "dashboard": lambda demo: reverse("producers:dashboard"),
    "round_detail": lambda demo: reverse("selection:round_detail", args=[demo["round"].pk]),
    "screening_summary": lambda demo: reverse("selection:screening_summary", args=[demo["round"].pk]) + "?show=all",
    "round_history": lambda demo: reverse("selection:history", args=[demo["round"].pk]),
    "ranking": lambda demo: reverse("selection:ranking", args=[demo["round"].pk]),
    "results_board": lambda demo: reverse("selection:results_board", args=[demo["round"].pk]),
    "committee": lambda demo: reverse("selection:committee", args=[demo["round"].pk]),
    "meeting_list": lambda demo: reverse("meetings:list"),
    "meeting_detail": lambda demo: reverse("meetings:detail", args=[demo["meeting"].pk]),
}


@pytest.mark.parametrize("screen", PAGES)
def test_english_page_shows_thai_only_in_data_and_the_record(english, demo, screen):
    texts = page_text(english, PAGES[screen](demo))

    assert unexplained_thai(texts, data_texts()) == []


def test_english_round_detail_states_the_rules_and_the_tie_break_in_english(english, demo):
    texts = page_text(english, PAGES["round_detail"](demo))

    assert "The producer is a Community producer group" in texts
    assert "The product is in group D, or its latest star level is 1–3 stars" in texts
    assert ("Equal scores are ordered by (1) the higher median (2) the higher mean score on “คุณภาพผลิตภัณฑ์” "
            "(3) the chair's decision, recorded with a reason") in texts


def test_english_round_detail_dates_are_english_with_the_be_year(english, demo):
    first = log_for(demo["round"]).filter(action="state_changed").order_by("at", "pk").first()

    texts = page_text(english, PAGES["round_detail"](demo))

    assert any(text.startswith(f"{english_datetime(first.at)} · Draft → Screening") for text in texts)


def test_english_screening_reasons_are_english(english, demo):
    texts = page_text(english, PAGES["screening_summary"](demo))

    assert "✗ The producer type is SME producer, not Community producer group" in texts
    assert "✗ The product is in group A with 5 stars (OPC 2564), not group D or 1–3 stars" in texts


def test_thai_screening_reasons_stay_thai(thai, demo):
    texts = page_text(thai, PAGES["screening_summary"](demo))

    assert "✗ ประเภทผู้ผลิตเป็น ผู้ผลิตที่เป็นวิสาหกิจขนาดกลางและขนาดย่อม ไม่ใช่ กลุ่มผู้ผลิตชุมชน" in texts


def table_rows(client, url):
    document = lxml.html.fromstring(client.get(url).content.decode())
    return [[" ".join(cell.text_content().split()) for cell in row.xpath("./td")]
            for row in document.xpath("//main//table/tbody/tr")]


def test_english_history_names_the_states_in_english(english, demo):
    rows = table_rows(english, PAGES["round_history"](demo) + "?action=state_changed")

    # When, who, what, product, from, to, why; newest first.
    assert [row[2:6] for row in rows] == [
        ["State changed", "", "Ranking", "Approved"],
        ["State changed", "", "Scoring", "Ranking"],
        ["State changed", "", "Screening", "Scoring"],
        ["State changed", "", "Draft", "Screening"],
    ]


def test_english_history_says_the_record_is_kept_in_thai(english, demo):
    english_texts = page_text(english, PAGES["round_history"](demo))

    assert ("Details and reasons are kept as they were recorded, in Thai, the language of the official record."
            in english_texts)


def test_thai_history_has_no_note_on_the_record_language(thai, demo):
    texts = page_text(thai, PAGES["round_history"](demo))

    assert [text for text in texts if "บันทึกไว้เป็นภาษาไทย" in text] == []


def test_english_meeting_detail_date_and_roles(english, demo):
    texts = page_text(english, PAGES["meeting_detail"](demo))

    assert any(text.startswith("Tuesday 11 January 2565 BE · at 09:00") for text in texts)
    assert ("Chair of the committee", "Committee member and secretary") == (
        texts[texts.index("นายวรญาณ บุญณราช") + 1], texts[texts.index("นายเจริญ สีวาโย") + 1])


def test_thai_meeting_detail_date_and_roles_stay_thai(thai, demo):
    texts = page_text(thai, PAGES["meeting_detail"](demo))

    assert any(text.startswith("วันอังคารที่ 11 มกราคม 2565 · เวลา 09.00") for text in texts)
    assert texts[texts.index("นายวรญาณ บุญณราช") + 1] == "ประธานกรรมการ"


def test_english_meeting_list_date(english, demo):
    texts = page_text(english, PAGES["meeting_list"](demo))

    assert "11 January 2565 BE 09:00 hrs" in texts


def test_english_admin_index_names_the_models_in_english(client, db):
    admin = reader(client, UserFactory(username="site-admin", is_staff=True, is_superuser=True), "en")

    texts = page_text(admin, reverse("admin:index"))

    assert ("Action log entries" in texts, "Action log entrys" in texts) == (True, False)


def test_thai_admin_index_names_every_model_of_ours_in_thai(client, db):
    admin = reader(client, UserFactory(username="site-admin", is_staff=True, is_superuser=True), "th")
    response = admin.get(reverse("admin:index"))
    document = lxml.html.fromstring(response.content.decode())

    names = {app: [" ".join(a.text_content().split())
                   for a in document.xpath(f"//div[contains(@class, 'app-{app}')]//th[@scope='row']//a")]
             for app in ("producers", "selection", "meetings")}

    assert {app: [n for n in names[app] if not THAI.search(n)] for app in names} == {
        "producers": [], "selection": [], "meetings": []}
    assert all(names.values())


def test_meeting_fixture_is_1_2565(demo):
    assert (demo["meeting"].label, demo["meeting"].date) == ("1/2565", datetime.date(2022, 1, 11))
    assert Meeting.objects.count() == 2

"""kbo_site.i18n: generated texts kept as messages, and recorded Thai labels shown to readers."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy, gettext_noop

from kbo_site import i18n
from selection.models import RoundState


def test_message_renders_in_the_active_language_with_translated_values():
    stars = i18n.message(gettext_noop("%(level)s stars (OPC %(year)s)"), level=2, year=2564)
    msg = i18n.message(gettext_noop("The product has %(stars)s"), stars=stars)

    with translation.override("th"):
        thai = i18n.render(msg)
    with translation.override("en"):
        english = i18n.render(msg)

    assert (thai, english) == ("ผลิตภัณฑ์มีระดับ 2 ดาว (OPC 2564)", "The product has 2 stars (OPC 2564)")


def test_message_keeps_a_choice_label_as_its_source_text():
    msg = i18n.message(gettext_noop("The producer type is %(actual)s"), actual=gettext_lazy("SME producer"))

    assert msg == {"text": "The producer type is %(actual)s",
                   "values": {"actual": {"text": "SME producer", "values": {}}}}


def test_in_reader_language_shows_a_recorded_state_in_english():
    with translation.override("th"):
        recorded = str(RoundState.SCORING.label)

    with translation.override("en"):
        shown = i18n.in_reader_language(recorded)

    assert (recorded, shown) == ("ให้คะแนน", "Scoring")


def test_in_reader_language_leaves_names_and_sentences_as_written():
    with translation.override("en"):
        shown = [i18n.in_reader_language(text) for text in ("นายวรญาณ บุญณราช", "กรรมการส่งคะแนนแล้ว 8 จาก 8 คน", "")]

    assert shown == ["นายวรญาณ บุญณราช", "กรรมการส่งคะแนนแล้ว 8 จาก 8 คน", ""]


def test_in_reader_language_leaves_thai_readers_the_record():
    with translation.override("th"):
        assert i18n.in_reader_language("ให้คะแนน") == "ให้คะแนน"


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "en", "en-GB", "*"])
def test_a_browser_set_up_in_english_still_gets_thai(client, accept):
    """A government PC's Chrome in English asks for English in every request; the site stays
    Thai until the person chooses English with the switch."""
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept)

    assert response.headers["Content-Language"] == "th"
    assert "เข้าสู่ระบบ" in response.content.decode()


@pytest.mark.django_db
def test_english_chosen_with_the_switch_is_kept_whatever_the_browser_asks(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"}, HTTP_ACCEPT_LANGUAGE="th")

    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="th-TH,th;q=0.9")

    assert response.headers["Content-Language"] == "en"
    assert "Log in" in response.content.decode()

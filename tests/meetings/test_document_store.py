"""Documents are rendered once per change of what they show, then served from the stored file."""

import logging
import threading

import pytest
from django.test import Client
from django.urls import reverse

from meetings import document_store, record, services
from meetings.models import Meeting

RENDERED = "Rendered the"


@pytest.fixture(autouse=True)
def store(settings, tmp_path):
    settings.KBO_DOCUMENT_CACHE_DIR = tmp_path / "documents"
    return settings.KBO_DOCUMENT_CACHE_DIR


def renders(caplog):
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith(RENDERED)]


def download(user, meeting, which="minutes", fmt="pdf"):
    client = Client()
    client.force_login(user)
    response = client.get(reverse("meetings:document", args=[meeting.pk, which, fmt]))
    return response, b"".join(response.streaming_content)


def test_six_requests_at_once_render_the_minutes_once(meeting, caplog):
    caplog.set_level(logging.INFO, logger="meetings.document_store")
    doc = record.build(meeting, record.MINUTES)
    start, contents = threading.Barrier(6), []

    def fetch():
        start.wait()
        with document_store.stored(meeting.pk, "minutes", "pdf", doc) as handle:
            contents.append(handle.read())

    threads = [threading.Thread(target=fetch) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(renders(caplog)) == 1
    assert len(contents) == 6 and len(set(contents)) == 1 and contents[0].startswith(b"%PDF")


def test_a_second_download_is_served_from_the_stored_file(meeting, officer, caplog):
    caplog.set_level(logging.INFO, logger="meetings.document_store")

    first, first_bytes = download(officer, meeting)
    second, second_bytes = download(officer, meeting)

    assert (first.status_code, second.status_code, first_bytes == second_bytes) == (200, 200, True)
    assert second["Content-Disposition"] == 'attachment; filename="minutes-1-2565.pdf"'
    assert len(renders(caplog)) == 1


def test_a_change_to_an_item_renders_the_minutes_again(meeting, officer, store, caplog):
    caplog.set_level(logging.INFO, logger="meetings.document_store")
    download(officer, meeting)
    services.add_item(meeting, by=officer, title="เรื่องที่เพิ่มภายหลัง")

    _response, content = download(officer, Meeting.objects.get(pk=meeting.pk))

    assert len(renders(caplog)) == 2
    assert b"%PDF" in content
    # The older file of the same document is gone; the agenda has none yet.
    assert len(list((store / str(meeting.pk)).glob("minutes-*.pdf"))) == 1


def test_attendance_and_settings_changes_render_again(meeting, officer, caplog):
    caplog.set_level(logging.INFO, logger="meetings.document_store")
    download(officer, meeting, "minutes", "docx")
    row = meeting.attendance.first()
    services.mark_attendance(meeting, {row.pk: {"status": "absent", "reason": "ติดราชการ"}}, by=officer)
    download(officer, meeting, "minutes", "docx")
    services.save_document_settings(meeting.committee, by=officer, font_size_pt=18)

    download(officer, Meeting.objects.get(pk=meeting.pk), "minutes", "docx")

    assert len(renders(caplog)) == 3


def test_each_format_and_document_is_stored_apart(meeting, officer, caplog):
    caplog.set_level(logging.INFO, logger="meetings.document_store")

    kinds = [download(officer, meeting, which, fmt)[0]["Content-Type"]
             for which, fmt in (("agenda", "pdf"), ("agenda", "odt"), ("minutes", "docx"))]

    assert kinds == ["application/pdf", "application/vnd.oasis.opendocument.text",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
    assert len(renders(caplog)) == 3

"""kbo_site.uploads: a file's kind comes from its content, whatever its name says."""

import io
import zipfile

import pytest
from docx import Document
from openpyxl import Workbook

from kbo_site import uploads


def _docx():
    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def _xlsx():
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def _odt():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def _zip_of_anything():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    return out.getvalue()


@pytest.mark.parametrize("name, content, extension", [
    ("a.pdf", b"%PDF-1.7\n...", "pdf"),
    ("photo.png", b"\x89PNG\r\n\x1a\n....", "png"),
    ("photo.jpeg", b"\xff\xd8\xff\xe0....", "jpg"),
    ("letter.docx", _docx(), "docx"),
    ("letter.pdf", _docx(), "docx"),  # a Word file misnamed .pdf is still a Word file
    ("sheet.xlsx", _xlsx(), "xlsx"),
    ("minutes.odt", _odt(), "odt"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "xls"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "doc"),
], ids=lambda value: value if isinstance(value, str) else "-")
def test_allowed_kinds_are_recognised_by_content(name, content, extension):
    assert uploads.sniff(io.BytesIO(content), name).extension == extension


@pytest.mark.parametrize("name, content", [
    ("page.pdf", b"<!doctype html><script>alert(1)</script>"),
    ("setup.docx", b"MZ\x90\x00program"),
    ("archive.docx", _zip_of_anything()),
    ("broken.xlsx", b"PK\x03\x04 not really a zip"),
    ("empty.pdf", b""),
    ("script.svg", b"<svg onload='alert(1)'/>"),
], ids=lambda value: value if isinstance(value, str) else "-")
def test_anything_else_is_refused(name, content):
    assert uploads.sniff(io.BytesIO(content), name) is None


def test_sniffing_leaves_the_file_at_its_start():
    handle = io.BytesIO(b"%PDF-1.7 body")
    uploads.sniff(handle, "a.pdf")
    assert handle.read() == b"%PDF-1.7 body"


@pytest.mark.parametrize("original, expected", [
    ("ประกาศ.docx", "ประกาศ.docx"),
    ("letter.pdf", "letter.docx"),
    ("C:\\Users\\me\\report.docx", "report.docx"),
    ("", "file.docx"),
])
def test_the_download_name_keeps_the_users_name_with_the_real_extension(original, expected):
    assert uploads.download_name(original, uploads.DOCX) == expected

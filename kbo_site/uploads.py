"""What an uploaded file is, decided by its content, never by its name.

Meeting attachments may be PDF, PNG or JPEG pictures, Word/Excel/PowerPoint files (Office Open
XML or the older binary formats) and OpenDocument files. Anything else (a program, a web page,
a script with a .pdf name) is refused. The stored file gets a random name and the extension of
what it really is; the name the user gave is kept only to name the download.
"""

import zipfile
from dataclasses import dataclass

HEAD_BYTES = 8


@dataclass(frozen=True)
class Kind:
    label: str
    extension: str
    content_type: str


PDF = Kind("PDF", "pdf", "application/pdf")
PNG = Kind("PNG", "png", "image/png")
JPEG = Kind("JPEG", "jpg", "image/jpeg")
# The old binary Office formats share one container (OLE2); its name's extension says which.
OLE2 = {
    "doc": Kind("Word 97–2003", "doc", "application/msword"),
    "xls": Kind("Excel 97–2003", "xls", "application/vnd.ms-excel"),
    "ppt": Kind("PowerPoint 97–2003", "ppt", "application/vnd.ms-powerpoint"),
}
OLE2_UNNAMED = Kind("Office 97–2003", "bin", "application/octet-stream")
DOCX = Kind("Word", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = Kind("Excel", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = Kind("PowerPoint", "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")
OPENDOCUMENT = {
    "application/vnd.oasis.opendocument.text": Kind("OpenDocument", "odt", "application/vnd.oasis.opendocument.text"),
    "application/vnd.oasis.opendocument.spreadsheet": Kind(
        "OpenDocument", "ods", "application/vnd.oasis.opendocument.spreadsheet"),
    "application/vnd.oasis.opendocument.presentation": Kind(
        "OpenDocument", "odp", "application/vnd.oasis.opendocument.presentation"),
}
OOXML_PARTS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
ALLOWED_LABELS = "PDF, PNG, JPEG, Word, Excel, PowerPoint, OpenDocument"


def _zip_kind(fileobj):
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                return OPENDOCUMENT.get(archive.read("mimetype")[:100].decode("ascii", "replace").strip())
            if "[Content_Types].xml" in names:
                for prefix, kind in OOXML_PARTS:
                    if any(name.startswith(prefix) for name in names):
                        return kind
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    return None


def extension(name):
    return (name or "").rsplit(".", 1)[-1].lower() if "." in (name or "") else ""


def sniff(fileobj, name=""):
    """The Kind of an open binary file, from its content; None when it is not an allowed kind.
    `name` only tells the old Office formats apart (their container is the same). Leaves the
    file positioned at its start."""
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    fileobj.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            return OLE2.get(extension(name), OLE2_UNNAMED)
        if head.startswith(b"PK\x03\x04"):
            return _zip_kind(fileobj)
        return None
    finally:
        fileobj.seek(0)


def download_name(original, kind):
    """The name a download is offered under: the user's name, with the real extension."""
    stem = (original or "").replace("\\", "/").rsplit("/", 1)[-1]
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    return f"{stem or 'file'}.{kind.extension}"

"""Activity 2, the development of the selected products (issue 12).

- The development board of one province (20 products, each with plan items, mentors and visits)
  and the national overview of 77 provinces × 20 products: p95 < 150 ms, and the same number
  of queries at both sizes (counted at 1 and at 77 provinces).
- A 12 MB phone photo (about 4,000 × 3,000 px, noisy like a real picture, with a GPS position)
  stored as a visit's photo: resized to ≤ 1,600 px and ≤ 500 KB without its metadata, < 2 s.

Builds its own world: in each of the 77 provinces a producer with 20 products, a committee and
an approved round with the 20 products' development records (3 to 5 plan items each, some done
and some late, a mentor, 3 visits). Run alone against a migrated PostgreSQL database:
DATABASE_URL=postgres://… .venv/bin/python -m bench.development_bench
"""

import datetime
import random
import time
from io import BytesIO

from .common import Row, median, ms, percentile, seconds, time_requests

REQUESTS = 60
PAGE_TARGET_P95 = 0.150
PHOTO_TARGET_S = 2.0
PRODUCTS = 20
PREFIX = "DEVB"


def _build(today):
    from django.contrib.auth.models import Group, User
    from django.db import transaction

    from producers.models import District, Producer, Product, Province
    from selection.models import (
        Approval,
        Committee,
        DevelopmentArea,
        DevelopmentRecord,
        Mentor,
        PlanItem,
        RoundState,
        SelectionRound,
        Visit,
    )

    rng = random.Random(12)
    officer = User.objects.get_or_create(username="bench-dev-officer")[0]
    officer.groups.add(Group.objects.get(name="officer"))
    if Producer.objects.filter(code__startswith=PREFIX).exists():  # a standalone run again: reuse it
        return officer, {r.committee.province_id: r for r in SelectionRound.objects.filter(
            developments__product__code__startswith=PREFIX).distinct().select_related("committee")}
    areas = DevelopmentArea.values
    rounds = {}
    with transaction.atomic():
        records, items, mentors, visits = [], [], [], []
        for province in Province.objects.order_by("code"):
            district = District.objects.filter(province=province).first()
            producer = Producer.objects.create(province=province, code=f"{PREFIX}{province.code}",
                                               name=f"กลุ่มพัฒนาผลิตภัณฑ์ {province.name_th}",
                                               producer_type="community_group", district=district,
                                               registration_year=2560)
            products = Product.objects.bulk_create(
                Product(producer=producer, code=f"{PREFIX}{province.code}-{n:02d}", name=f"ผลิตภัณฑ์ทดสอบ {n}",
                        product_type="food", classification="D") for n in range(1, PRODUCTS + 1))
            committee = Committee.objects.create(name=f"คณะกรรมการ KBO {province.name_th}", province=province)
            round_ = SelectionRound.objects.create(committee=committee, name=f"KBO {province.name_th} 2568",
                                                   fiscal_year=2568, state=RoundState.APPROVED)
            Approval.objects.create(round=round_, approved_by=officer, snapshot={"rows": [
                {"rank": n, "product_code": p.code, "status": "selected"} for n, p in enumerate(products, 1)]})
            rounds[province.code] = round_
            for n, product in enumerate(products, 1):
                records.append(DevelopmentRecord(round=round_, product=product, rank=n, budget=20000,
                                                 starts_on=today - datetime.timedelta(days=120),
                                                 ends_on=today + datetime.timedelta(days=240)))
        DevelopmentRecord.objects.bulk_create(records)
        for record in records:
            for k in range(rng.randint(3, 5)):
                due = today + datetime.timedelta(days=rng.randint(-90, 150))
                done = due < today and rng.random() < 0.7
                items.append(PlanItem(record=record, area=areas[k], description=f"รายการ {k + 1}", due_on=due,
                                      done_on=due if done else None, order=k))
            mentors.append(Mentor(record=record, name="ผู้เชี่ยวชาญ", kind="expert", added_by=officer))
            for k in range(3):
                visits.append(Visit(record=record, visited_on=today - datetime.timedelta(days=30 * k + 5),
                                    people="เจ้าหน้าที่", activities="ลงพื้นที่ให้คำปรึกษา", recorded_by=officer))
        PlanItem.objects.bulk_create(items)
        Mentor.objects.bulk_create(mentors)
        Visit.objects.bulk_create(visits)
    return officer, rounds


def _user(username, province):
    from django.contrib.auth.models import Group, User

    from producers.models import Affiliation

    user = User.objects.get_or_create(username=username)[0]
    user.groups.add(Group.objects.get(name="officer"))
    Affiliation.objects.update_or_create(user=user, defaults={"province_id": province})
    return user


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def _page(label, client, url, queries, small=None):
    """A page's timings; `small`: its query count at the small size (1 province), to show that
    the count does not grow with the data (the board's own two sizes are tested in pytest)."""
    durations = time_requests(client, url, count=REQUESTS)
    p95 = percentile(durations, 0.95)
    same = small is None or small == queries
    counted = f"{queries} queries" + ("" if small is None else f" ({small} at 1 province)")
    return Row(label, f"median {ms(median(durations))} · p95 {ms(p95)} · {counted}",
               f"p95 < {PAGE_TARGET_P95 * 1000:.0f} ms" + ("" if small is None else ", fixed queries"),
               p95 < PAGE_TARGET_P95 and same)


def _camera_photo():
    """12–13 MB: a 4,032 × 3,024 JPEG at quality 99 of a noisy gradient, with EXIF GPS."""
    from PIL import Image

    width, height = 4032, 3024
    rng = random.Random(5)
    noise = Image.frombytes("L", (width // 2, height // 2), rng.randbytes(width * height // 4)).resize(
        (width, height))
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.5)))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (18.0, 47.0, 12.5), 3: "E", 4: (98.0, 59.0, 3.1)}
    out = BytesIO()
    image.save(out, "JPEG", quality=99, exif=exif)
    return out.getvalue()


def _photo_row(officer, record):
    """The photo stored: from the uploaded file (as Django hands it to the view, spooled to disk
    above 5 MB) to the visit and its photo saved, i.e. kbo_site.photos.prepare and
    development.record_visit, as the view runs them; and, for reference, the whole request
    through the test client (which also spends time encoding the 13 MB multipart body)."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
    from django.test import Client
    from django.urls import reverse
    from PIL import Image

    from kbo_site import photos
    from selection import development
    from selection.models import DevelopmentPhoto

    data = _camera_photo()
    stores = []
    for _ in range(5):
        upload = TemporaryUploadedFile("IMG_20250101.jpg", "image/jpeg", len(data), None)
        upload.write(data)
        upload.seek(0)
        started = time.perf_counter()
        prepared = photos.prepare(upload)
        development.record_visit(record, visited_on=dt.date.today(), kind="visit", people="เจ้าหน้าที่",
                                 activities="ถ่ายภาพบรรจุภัณฑ์", photos=[prepared], by=officer)
        stores.append(time.perf_counter() - started)
        upload.close()
    client = Client()
    client.force_login(officer)
    url = reverse("selection:development_visit_add", kwargs={"rid": record.pk})
    requests = []
    for _ in range(3):
        upload = SimpleUploadedFile("IMG_20250101.jpg", data, content_type="image/jpeg")
        started = time.perf_counter()
        response = client.post(url, {"visited_on": "01/06/2568", "kind": "visit", "people": "เจ้าหน้าที่",
                                     "activities": "ถ่ายภาพบรรจุภัณฑ์", "photos": [upload]})
        requests.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
    stored = DevelopmentPhoto.objects.filter(record=record).order_by("-pk").first()
    content = stored.file.read()
    image = Image.open(BytesIO(content))
    clean = not dict(image.getexif()) and b"Exif" not in content
    worst = max(stores)
    return [
        Row(f"Visit with a {len(data) / 2**20:.1f} MB phone photo (4032 × 3024) stored (prepare + save)",
            f"median {seconds(median(stores))} · worst {seconds(worst)} · stored {image.size[0]} × {image.size[1]}, "
            f"{len(content) / 1024:.0f} KB, metadata {'none' if clean else 'KEPT'}",
            f"< {PHOTO_TARGET_S:.0f} s, ≤ 1600 px, ≤ 500 KB, no metadata",
            worst < PHOTO_TARGET_S and max(image.size) <= 1600 and len(content) <= 500 * 1024 and clean),
        Row("  the whole visit POST through the test client (multipart encoding and parsing included)",
            f"median {seconds(median(requests))} · worst {seconds(max(requests))}", "reference", None),
    ]


def development_figures(ctx):
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from selection.models import DevelopmentRecord

    today = timezone.localdate()
    officer, rounds = _build(today)
    chiang_mai = rounds.get("50") or next(iter(rounds.values()))
    provincial = Client()
    provincial.force_login(_user("bench-dev-province", chiang_mai.committee.province_id))
    national = Client()
    national.force_login(_user("bench-dev-national", None))
    lone = Client()
    lone.force_login(_user("bench-dev-lone", "10"))  # sees one province's overview: the small size

    board_url = reverse("selection:development_board", kwargs={"pk": chiang_mai.pk})
    overview_url = reverse("selection:development_overview")
    rows = [
        _page(f"Development board, one province ({PRODUCTS} products), its officer", provincial, board_url,
              _queries(provincial, board_url)),
        _page(f"Development board, one province ({PRODUCTS} products), a national officer", national, board_url,
              _queries(national, board_url)),
        _page(f"Development overview, national ({len(rounds)} provinces × {PRODUCTS})", national, overview_url,
              _queries(national, overview_url), small=_queries(lone, overview_url)),
    ]
    record = DevelopmentRecord.objects.filter(round=chiang_mai).order_by("rank").first()
    rows += _photo_row(_user("bench-dev-province", chiang_mai.committee.province_id), record)
    return rows


if __name__ == "__main__":
    from .common import run_standalone

    run_standalone(development_figures, "a migrated database with the registry's provinces")

"""The demo's year of development (`build_demo --stage year`), on a small registry."""

import datetime
import random

import pytest

from producers import demo as registry_demo
from selection import demo, development_demo
from selection.models import DevelopmentPhoto, DevelopmentRecord, DevelopmentState, Mentor, ProductStatus, Visit


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_demo_year_develops_the_20_approved_products(db):
    users = registry_demo.create_users()
    registry_demo.build_registry(random.Random(2565), producers=400, products=1100)
    round_ = demo.build(random.Random(2565), stage="selected", users=users)

    development_demo.build(random.Random(2565), round=round_, users=users, today=datetime.date(2026, 9, 1))

    records = DevelopmentRecord.objects.filter(round=round_)
    assert records.count() == 20
    assert Visit.objects.filter(record__round=round_).count() == 60
    assert DevelopmentPhoto.objects.filter(record__round=round_).count() == 60 + 20 + 8
    assert records.filter(state=DevelopmentState.COMPLETED).count() == 8
    assert ProductStatus.objects.filter(record__round=round_, registry_updated_at__isnull=False).count() == 3
    assert Mentor.objects.filter(record__round=round_, user__username="mentor").count() == 4

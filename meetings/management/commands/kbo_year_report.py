"""The year's figures of a province's KBO programme, as the year's summary shows them.

    python manage.py kbo_year_report 2565 [--province 50] [--json]

--json prints one object with the figures (meetings.year_report.FIGURES); without it, one line
a figure, in Thai.
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

LABELS = {
    "selected": "ผลิตภัณฑ์ที่ได้รับการคัดเลือก",
    "developed": "ผลิตภัณฑ์ที่พัฒนาแล้ว (ทำตามแผนอย่างน้อย 1 รายการ)",
    "visits": "การลงพื้นที่และให้คำปรึกษา (ครั้ง)",
    "plan_items": "รายการตามแผนพัฒนา",
    "plan_items_done": "รายการที่ดำเนินการแล้ว",
    "budget_thb": "งบประมาณ (บาท)",
    "standards_gained": "มาตรฐานที่ได้รับเพิ่ม",
    "star_level_up": "ผลิตภัณฑ์ที่ระดับดาวสูงขึ้น",
    "showcase_winner": "ผลิตภัณฑ์ที่มีความโดดเด่น",
    "national_entries": "ผลิตภัณฑ์ที่ส่งเข้าประกวดระดับประเทศ",
    "workshop_attendance_rate": "อัตราการเข้าร่วมการอบรม (ร้อยละ)",
}


class Command(BaseCommand):
    help = "Print the figures of a province's KBO year (the year's summary), optionally as JSON."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="fiscal year, BE (e.g. 2565)")
        parser.add_argument("--province", default=None, help="province code (default: this instance's)")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print one JSON object")

    def handle(self, *args, year, province=None, as_json=False, **options):
        from producers.models import Province

        from meetings import year_report

        code = province or settings.KBO_PROVINCE_CODE
        if not 2500 <= year <= 2700:
            raise CommandError(f"{year}: give the fiscal year in the Buddhist Era, e.g. 2565")
        if not Province.objects.filter(pk=code).exists():
            raise CommandError(f"{code}: no such province code")
        figures = year_report.summary(year, code)["figures"]
        if as_json:
            self.stdout.write(json.dumps({key: figures[key] for key in year_report.FIGURES}, ensure_ascii=False))
            return
        for key in year_report.FIGURES:
            value = figures[key]
            self.stdout.write(f"{LABELS[key]}: {'-' if value is None else value}")


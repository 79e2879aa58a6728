"""The year's summary of a province's KBO programme (issue 12): "สรุปผลการดำเนินงานโครงการ
ส่งเสริมกระบวนการเครือข่ายองค์ความรู้ (KBO) จังหวัด… ปี 2565".

`summary(year_be, province_code)` reads one fiscal year (BE) of one province from the rows the
year left behind, as plain JSON-serialisable data:
- the selection: the province's first approved round of the year that takes its entries from
  the registry (submitted, ineligible with their reasons counted, selected);
- the workshop (meetings.workshops): each workshop's attendance, and the rate over its days;
- the development of the selected products (selection.development_models): per product the
  plan's items and how many are done, the visits, the budget, and before → after (standards
  gained, star level, price, sales);
- the showcase: the round chained from the selection (its first selected product);
- the national contest: this province's entries in the year's national rounds, and their result.

The meetings app renders it (PDF and .docx, meetings/year_documents.py), the command
`kbo_year_report` prints it, and item 1.2 of the next year's meetings shows it
(RoundFacts.YEAR_SUMMARY, frozen with the meeting's other facts when it closes).
Texts are Thai: the summary is an official record.
"""

from collections import Counter
from decimal import Decimal

from django.db.models import Count

from producers.models import Province
from selection import facts as selection_facts
from selection.development_models import DevelopmentRecord, DevelopmentState, StatusStage
from selection.models import RoundState, SelectionRound, Submission

from . import workshops

# The figures `kbo_year_report --json` prints, in this order.
FIGURES = ("selected", "developed", "visits", "plan_items", "plan_items_done", "budget_thb", "standards_gained",
           "star_level_up", "showcase_winner", "national_entries", "workshop_attendance_rate")


def selection_round(year_be, province_code):
    """The year's selection from the registry: the province's first approved round of the
    fiscal year that is not chained from another (None if there is none yet)."""
    return (SelectionRound.objects
            .filter(committee__province_id=province_code, fiscal_year=year_be, state=RoundState.APPROVED,
                    source_round__isnull=True)
            .select_related("committee__province").order_by("number", "pk").first())


def _selection(chosen):
    if chosen is None:
        return {"round": None, "submitted": 0, "ineligible": 0, "ineligible_reasons": [], "selected": 0,
                "selected_codes": []}
    screened = selection_facts.screening_summary(chosen)
    reasons = Counter(reason for failure in screened["failures"] for reason in failure["reasons"])
    approved = selection_facts.approved_list(chosen)
    return {
        "round": {"pk": chosen.pk, "name": chosen.name, "number": chosen.number},
        "submitted": screened["submitted"],
        "ineligible": screened["failed"],
        # Most frequent first; a product failing two rules counts under both.
        "ineligible_reasons": [{"reason": reason, "count": count}
                               for reason, count in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))],
        "selected": len(approved["selected"]),
        "selected_codes": [row["product_code"] for row in approved["selected"]],
    }


def _number(value):
    """A Decimal as an int when whole, else a float (JSON has no decimals)."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _status(status):
    if status is None:
        return None
    return {"star_level": status.star_level, "star_year": status.star_year,
            "classification": status.classification or "", "standards": sorted(status.standards or []),
            "price_per_unit": _number(status.price_per_unit), "monthly_sales": _number(status.monthly_sales),
            "group_members": status.group_members}


def _development(chosen):
    records = []
    if chosen is not None:
        records = list(
            DevelopmentRecord.objects.filter(round=chosen).exclude(state=DevelopmentState.WITHDRAWN)
            .select_related("product__producer__district")
            .prefetch_related("items", "statuses")
            .annotate(visit_count=Count("visits", distinct=True))
            .order_by("rank", "product__code"))
    products, totals = [], Counter()
    budget = Decimal(0)
    for record in records:
        items = list(record.items.all())
        done = sum(1 for item in items if item.done_on is not None)
        statuses = {status.stage: status for status in record.statuses.all()}
        before, after = _status(statuses.get(StatusStage.BEFORE)), _status(statuses.get(StatusStage.AFTER))
        gained = sorted(set(after["standards"]) - set(before["standards"])) if before and after else []
        star_up = bool(before and after and before["star_level"] is not None and after["star_level"] is not None
                       and after["star_level"] > before["star_level"])
        budget += record.budget or 0
        totals.update(plan_items=len(items), plan_items_done=done, visits=record.visit_count,
                      developed=1 if done else 0, standards_gained=len(gained), star_level_up=int(star_up))
        product = record.product
        products.append({
            "product_code": product.code, "product_name": product.name, "producer_name": product.producer.name,
            "district": product.producer.district.name_th,
            "areas": [item.get_area_display() for item in items], "done": [item.get_area_display()
                                                                              for item in items if item.done_on],
            "plan_items": len(items), "plan_items_done": done, "visits": record.visit_count,
            "budget_thb": _number(record.budget or 0), "before": before, "after": after,
            "standards_gained": gained, "star_level_up": star_up,
        })
    return {"products": products, "budget_thb": _number(budget),
            **{key: totals[key] for key in ("plan_items", "plan_items_done", "visits", "developed",
                                           "standards_gained", "star_level_up")}}


def _showcase(chosen):
    """The round chained from the selection (e.g. the June round that picks 1 of the developed
    20), approved: its name and first selected product."""
    if chosen is None:
        return None
    showcase = (SelectionRound.objects.filter(source_round=chosen, state=RoundState.APPROVED)
                .order_by("number", "pk").first())
    if showcase is None:
        return None
    selected = selection_facts.approved_list(showcase)["selected"]
    winner = selected[0] if selected else None
    return {"round": showcase.name, "winner": winner and winner["product_code"],
            "winner_name": winner and winner["product_name"], "producer_name": winner and winner["producer_name"]}


def _national(year_be, province_code):
    """This province's entries in the year's national rounds, with their result so far."""
    entries = (Submission.objects
               .filter(round__fiscal_year=year_be, round__committee__province__isnull=True,
                       product__producer__province_id=province_code)
               .select_related("round", "product").order_by("round__number", "product__code"))
    results = []
    approved = {}
    for entry in entries:
        if entry.round_id not in approved:
            rows = selection_facts.approved_list(entry.round) if entry.round.state == RoundState.APPROVED else None
            approved[entry.round_id] = rows and {row["product_code"]: row for row in rows["selected"]}
        chosen = approved[entry.round_id]
        results.append({"round": entry.round.name, "product_code": entry.product.code,
                        "product_name": entry.product.name,
                        "result": None if chosen is None else ("selected" if entry.product.code in chosen
                                                               else "not_selected"),
                        "rank": chosen and chosen.get(entry.product.code, {}).get("rank")})
    return results


def _workshop(year_be, province_code):
    report = workshops.workshop_attendance_rate(year_be, province_code)
    return {
        "percent": report["percent"], "present": report["present"], "expected": report["expected"],
        "workshops": [{**w, "start_date": w["start_date"].isoformat(), "end_date": w["end_date"].isoformat(),
                       "days": [{**day, "date": day["date"].isoformat()} for day in w["days"]]}
                      for w in report["workshops"]],
    }


def summary(year_be, province_code):
    """The year's summary of one province (see the module's docstring), JSON-serialisable."""
    province = Province.objects.get(pk=province_code)
    chosen = selection_round(year_be, province_code)
    selection = _selection(chosen)
    development = _development(chosen)
    workshop = _workshop(year_be, province_code)
    showcase = _showcase(chosen)
    national = _national(year_be, province_code)
    return {
        "year": year_be, "province": province.code, "province_name": province.name_th,
        "selection": selection, "development": development, "workshop": workshop, "showcase": showcase,
        "national": national,
        "figures": {
            "selected": selection["selected"], "developed": development["developed"],
            "visits": development["visits"], "plan_items": development["plan_items"],
            "plan_items_done": development["plan_items_done"], "budget_thb": development["budget_thb"],
            "standards_gained": development["standards_gained"], "star_level_up": development["star_level_up"],
            "showcase_winner": showcase and showcase["winner"], "national_entries": len(national),
            "workshop_attendance_rate": workshop["percent"],
        },
    }


def provinces_with_rounds(year_be):
    """The codes of the provinces with an approved round in the fiscal year, for national users."""
    return list(SelectionRound.objects.filter(fiscal_year=year_be, state=RoundState.APPROVED,
                                              committee__province__isnull=False)
                .order_by("committee__province_id").values_list("committee__province_id", flat=True).distinct())

"""The round's facts for the minutes, as plain JSON-serialisable data (dicts, lists, str,
int, float, None). The meetings app renders these and freezes them into the minutes.

Texts are Thai whatever the reader's language: they are written into an official record.
"""

from django.utils import translation

from producers.models import Producer, Product

from . import ranking as ranking_module
from . import screening
from .models import Approval, Conflict, RoundState, Score


# A national round's place in the record, in Thai (the record is official).
NATIONAL_PLACE = "ระดับประเทศ"


def _province_name(round):
    return NATIONAL_PLACE if round.is_national else round.committee.province.name_th


def registry_summary(round):
    """Live counts of the registry in the round's registration years (every province's, for a
    national round)."""
    years = {"registration_year__gte": round.registration_year_from,
             "registration_year__lte": round.registration_year_to}
    code = round.committee.province_id
    producers = Producer.objects.filter(**years)
    products = Product.objects.filter(**{f"producer__{k}": v for k, v in years.items()})
    if code is not None:
        producers, products = producers.filter(province_id=code), products.filter(producer__province_id=code)
    return {
        "province": _province_name(round),
        "year_from": round.registration_year_from,
        "year_to": round.registration_year_to,
        "producers": producers.count(),
        "products": products.count(),
    }


def eligibility_rules(round):
    """The Thai texts of the rules switched on in the round."""
    return [str(t) for t in screening.rule_texts(round)]


def _product_facts(product, national=False):
    facts = {
        "product_code": product.code,
        "product_name": product.name,
        "producer_name": product.producer.name,
        "district": product.producer.district.name_th,
    }
    if national:
        # A national round's codes are unique only within a province; its rows say whose they are.
        facts.update(province_code=product.producer.province_id, province=product.producer.province.name_th)
    return facts


def screening_summary(round):
    """{"submitted", "failed", "failures": [{product…, "reasons": [Thai reasons of failed rules]}]}."""
    submissions = list(round.submissions.select_related("product__producer__district")
                       .prefetch_related("results").order_by("product__code"))
    failures = []
    for submission in submissions:
        if submission.eligible is False:
            reasons = [r.reason for r in submission.results.all() if not r.effective_passed]
            failures.append({**_product_facts(submission.product), "reasons": reasons})
    return {"submitted": len(submissions), "failed": len(failures), "failures": failures}


def _round2(value):
    return None if value is None else round(value, 2)


def ranking_row(row, round):
    with translation.override("th"):
        flags = [str(t) for t in ranking_module.flag_texts(row, round)]
    return {
        "rank": row.rank,
        # "=20" for each row of an exact tie, as the ranking page and the board show it.
        "rank_label": row.rank_label,
        **_product_facts(row.submission.product, national=round.is_national),
        "score": _round2(row.calibrated if round.deciding == "calibrated" else row.score),
        "raw_score": _round2(row.score),
        "calibrated_score": _round2(row.calibrated),
        "median": _round2(row.median),
        "stdev": _round2(row.stdev),
        "scorers": row.scorers,
        "flags": flags,
        "status": row.status,
        "tie": row.tie,
    }


def ranking(round, computed=None):
    """The ranking as it stands (or as approved, once the round is approved)."""
    if round.state == RoundState.APPROVED:
        approval = current_approval(round)
        if approval is not None:
            snap = approval.snapshot
            return {"rows": snap["rows"], "tie_break_rule": snap["tie_break_rule"], "deciding": snap["deciding"]}
    computed = computed or ranking_module.compute_ranking(round)
    return {
        "rows": [ranking_row(row, round) for row in computed.rows],
        "tie_break_rule": computed.tie_break_rule,
        "deciding": computed.deciding,
    }


def current_approval(round):
    return Approval.objects.filter(round=round, superseded_at__isnull=True).select_related("approved_by").first()


def approved_list(round):
    """The approved selection and reserves, or the proposed ones (approved_by None) before approval."""
    approval = current_approval(round) if round.state == RoundState.APPROVED else None
    if approval is not None:
        rows = approval.snapshot["rows"]
        by = approval.approved_by
        approved_by, approved_at = (by.get_full_name() or by.username), approval.approved_at.isoformat()
    else:
        rows = ranking(round)["rows"]
        approved_by = approved_at = None
    return {
        "selected": [r for r in rows if r["status"] == ranking_module.SELECTED],
        "reserves": [r for r in rows if r["status"] == ranking_module.RESERVE],
        "approved_by": approved_by,
        "approved_at": approved_at,
    }


def recusals(round):
    """Every declared conflict, for the minutes."""
    conflicts = (Conflict.objects.filter(submission__round=round)
                 .select_related("member__user", "submission__product")
                 .order_by("member__order", "submission__product__code"))
    out = []
    with translation.override("th"):
        for c in conflicts:
            out.append({
                "member": c.member.full_name,
                "position": c.member.position,
                "product_code": c.submission.product.code,
                "product_name": c.submission.product.name,
                "conflict_type": str(c.get_conflict_type_display()),
                "note": c.note,
            })
    return out


def snapshot(round, computed):
    """What an approval freezes: the ranking rows, each member's totals and every score."""
    rows = []
    for row in computed.rows:
        data = ranking_row(row, round)
        data["member_totals"] = {m.full_name: _round2(row.totals.get(m.pk)) for m in computed.members}
        data["decisions"] = [{"kind": d.kind, "reason": d.reason} for d in row.decisions]
        rows.append(data)
    scores = list(Score.objects.filter(submission__round=round)
                  .values_list("submission__product__code", "member__user__username", "criterion__name", "value",
                               "version")
                  .order_by("submission__product__code", "member__order", "criterion__order"))
    return {
        "rows": rows,
        "tie_break_rule": computed.tie_break_rule,
        "deciding": computed.deciding,
        "quota": round.quota,
        "reserves": round.reserves,
        "criteria": [{"name": c.name, "max_score": c.max_score, "weight": float(c.weight)} for c in computed.criteria],
        "members": [m.full_name for m in computed.members],
        "scores": [[code, user, criterion, None if value is None else float(value), version]
                   for code, user, criterion, value, version in scores],
    }

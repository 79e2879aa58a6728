"""Eligibility screening: the round's rules, run on every submission, each with a Thai reason.

`check_submission(round, submission, context)` returns [(rule, passed, reason, message)] for
the rules switched on in the round. The reason is always written in Thai (it goes into the
minutes), whatever language the officer's screen is in; the message (kbo_site.i18n.message)
keeps the same reason as its English source and values, so that a reader in English reads
it in English.
"""

from collections import defaultdict

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kbo_site.i18n import message, render
from producers.models import Classification, ProducerType

from .models import ScreeningRule

REASON_LANGUAGE = "th"


def enabled_rules(round):
    rules = []
    if round.rule_producer_type:
        rules.append(ScreeningRule.PRODUCER_TYPE)
    if round.rule_registration:
        rules.append(ScreeningRule.REGISTRATION)
    if round.rule_classification:
        rules.append(ScreeningRule.CLASSIFICATION)
    if round.rule_standards:
        rules.append(ScreeningRule.STANDARDS)
    if round.rule_one_per_producer:
        rules.append(ScreeningRule.ONE_PER_PRODUCER)
    return rules


def rule_texts(round, required_standards=None, *, language=REASON_LANGUAGE):
    """The rules switched on, as sentences for the minutes (in Thai) or for a reader's page
    (language=the reader's)."""
    if required_standards is None:
        required_standards = [s.name for s in round.required_standards.all()]
    province = _province_name(round)
    texts = []
    with translation.override(language):
        if round.rule_producer_type:
            texts.append(_("The producer is a %(type)s") % {"type": ProducerType.COMMUNITY_GROUP.label})
        if round.rule_registration and province is None:
            texts.append(_("The producer registered in its province between %(start)s and %(end)s") % {
                "start": round.registration_year_from, "end": round.registration_year_to})
        elif round.rule_registration:
            texts.append(_("The producer registered in %(province)s between %(start)s and %(end)s") % {
                "province": province, "start": round.registration_year_from, "end": round.registration_year_to})
        if round.rule_classification:
            texts.append(_("The product is in group D, or its latest star level is 1–%(max)s stars") % {
                "max": round.max_star_level})
        if round.rule_standards:
            texts.append(_("The product holds the standards: %(standards)s") % {
                "standards": ", ".join(required_standards) or "-"})
        if round.rule_one_per_producer:
            texts.append(_("One product per producer"))
    return texts


def _province_name(round):
    """None for a national round: each entry is checked against its own province."""
    return None if round.is_national else round.committee.province.name_th


def _stars(product):
    if product.star_level is None:
        return message(gettext_noop("no star level"))
    if product.star_year:
        return message(gettext_noop("%(level)s stars (OPC %(year)s)"), level=product.star_level,
                       year=product.star_year)
    return message(gettext_noop("%(level)s stars"), level=product.star_level)


# Each check returns (passed, message); check_submission writes the message in Thai.
def check_producer_type(round, product, context):
    actual = ProducerType(product.producer.producer_type).label
    required = ProducerType.COMMUNITY_GROUP.label
    if product.producer.producer_type == ProducerType.COMMUNITY_GROUP:
        return True, message(gettext_noop("The producer type is %(actual)s"), actual=actual)
    return False, message(gettext_noop("The producer type is %(actual)s, not %(required)s"), actual=actual,
                          required=required)


def check_registration(round, product, context):
    producer = product.producer
    year = producer.registration_year
    span = {"start": round.registration_year_from, "end": round.registration_year_to}
    if context["province_code"] is None:
        if not round.registration_year_from <= year <= round.registration_year_to:
            return False, message(gettext_noop("The producer registered in %(year)s, outside %(start)s–%(end)s"),
                                  year=year, **span)
        return True, message(gettext_noop("The producer registered in %(province)s in %(year)s, within "
                                          "%(start)s–%(end)s"), province=producer.province.name_th, year=year, **span)
    if producer.province_id != context["province_code"]:
        return False, message(gettext_noop("The producer registered in %(actual)s, not in %(province)s"),
                              actual=producer.province.name_th, province=context["province_name"])
    if not round.registration_year_from <= year <= round.registration_year_to:
        return False, message(gettext_noop("The producer registered in %(year)s, outside %(start)s–%(end)s"),
                              year=year, **span)
    return True, message(gettext_noop("The producer registered in %(province)s in %(year)s, within %(start)s–%(end)s"),
                         province=context["province_name"], year=year, **span)


def check_classification(round, product, context):
    group = product.classification
    stars = product.star_level
    if group == Classification.D:
        return True, message(gettext_noop("The product is in group D (adapting to develop)"))
    if stars is not None and 1 <= stars <= round.max_star_level:
        return True, message(gettext_noop("The product has %(stars)s"), stars=_stars(product))
    return False, message(
        gettext_noop("The product is in group %(group)s with %(stars)s, not group D or 1–%(max)s stars"),
        group=group, stars=_stars(product), max=round.max_star_level)


def check_standards(round, product, context):
    required = context["required_standards"]
    held = {s.name for s in product.standards.all()}
    missing = [name for name in required if name not in held]
    if missing:
        return False, message(gettext_noop("The product lacks the required standards: %(missing)s"),
                              missing=", ".join(missing))
    return True, message(gettext_noop("The product holds the required standards: %(standards)s"),
                         standards=", ".join(required) or "-")


def check_one_per_producer(round, product, context):
    first = context["first_by_producer"][product.producer_id]
    if first.pk == context["submission"].pk:
        return True, message(gettext_noop("The first product submitted by this producer"))
    return False, message(gettext_noop("The producer already submitted another product: %(code)s %(name)s"),
                          code=first.product.code, name=first.product.name)


CHECKS = {
    ScreeningRule.PRODUCER_TYPE: check_producer_type,
    ScreeningRule.REGISTRATION: check_registration,
    ScreeningRule.CLASSIFICATION: check_classification,
    ScreeningRule.STANDARDS: check_standards,
    ScreeningRule.ONE_PER_PRODUCER: check_one_per_producer,
}


def build_context(round, submissions):
    """What the checks share: computed once per screening run, not per submission."""
    first_by_producer = {}
    by_producer = defaultdict(list)
    for submission in submissions:
        by_producer[submission.product.producer_id].append(submission)
    for producer_id, items in by_producer.items():
        first_by_producer[producer_id] = min(items, key=lambda s: (s.submitted_at, s.pk))
    return {
        "province_code": round.committee.province_id,
        "province_name": _province_name(round),
        "required_standards": sorted(s.name for s in round.required_standards.all()),
        "first_by_producer": first_by_producer,
    }


def check_submission(round, submission, context):
    """[(rule, passed, Thai reason, message)] for every rule the round has switched on."""
    context = {**context, "submission": submission}
    outcomes = []
    for rule in enabled_rules(round):
        passed, reason = CHECKS[rule](round, submission.product, context)
        with translation.override(REASON_LANGUAGE):
            outcomes.append((rule, passed, render(reason), reason))
    return outcomes

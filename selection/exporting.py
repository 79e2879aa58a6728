"""The round's results as an .xlsx workbook: the ranking with flags, the per-criterion means and
each member's totals. Headers are Thai (the workbook goes to the meeting). Text that a
spreadsheet would run as a formula is written as a plain string, the same rule as the
registry export (producers.exporting.FORMULA_STARTS): so a shared rank ("=20") stays text.
"""

import io

from django.utils import translation
from django.utils.translation import gettext as _

from kbo_site import lazy
from kbo_site.thaidates import BE_OFFSET
from producers.exporting import FORMULA_STARTS

from .ranking import flag_texts

Workbook = lazy.name("openpyxl", "Workbook")
WriteOnlyCell = lazy.name("openpyxl.cell", "WriteOnlyCell")
Font = lazy.name("openpyxl.styles", "Font")


def filename(round, today):
    """kbo-results-1-2565-2565-01-11.xlsx: the round and the date, in the Buddhist Era."""
    return (f"kbo-results-{round.number}-{round.fiscal_year}-"
            f"{today.year + BE_OFFSET}-{today.month:02d}-{today.day:02d}.xlsx")


def _cell(sheet, value, *, bold=False):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    return cell


def _row(sheet, values, *, bold=False):
    sheet.append([_cell(sheet, v, bold=bold) for v in values])


def _num(value):
    return None if value is None else round(value, 2)


def status_label(status):
    return {"selected": _("Selected"), "reserve": _("Reserve"), "not_selected": _("Not selected")}[status]


def write_results(round, ranking):
    with translation.override("th"):
        return _write(round, ranking)


def _write(round, ranking):
    book = Workbook(write_only=True)
    product_headers = [_("Product code"), _("Product name"), _("Producer"), _("District")]

    sheet = book.create_sheet(_("Ranking"))
    sheet.column_dimensions["C"].width = 36
    sheet.column_dimensions["D"].width = 36
    _row(sheet, [round.name, _("Round %(label)s") % {"label": round.label}], bold=True)
    _row(sheet, [ranking.tie_break_rule])
    _row(sheet, [_("Deciding ranking: %(ranking)s") % {"ranking": round.get_deciding_display()}])
    _row(sheet, [])
    _row(sheet, [_("Rank"), *product_headers, _("Mean score"), _("Median"), _("Standard deviation"),
                 _("Calibrated score"), _("Scorers"), _("Result"), _("Tie"), _("Flags"), _("Chair's decisions")],
         bold=True)
    for row in ranking.rows:
        product = row.submission.product
        # A shared rank is the text "=20"; any other rank stays a number to sort by.
        rank = row.rank_label if row.tie else row.shared_rank
        _row(sheet, [
            rank, product.code, product.name, product.producer.name, product.producer.district.name_th,
            _num(row.score), _num(row.median), _num(row.stdev), _num(row.calibrated), row.scorers,
            str(status_label(row.status)), _("Yes") if row.tie else "",
            "; ".join(str(t) for t in flag_texts(row, round)),
            "; ".join(f"{d.get_kind_display()}: {d.reason}" for d in row.decisions),
        ])

    sheet = book.create_sheet(_("Per-criterion means"))
    _row(sheet, [*product_headers[:2], *[f"{c.name} ({c.max_score})" for c in ranking.criteria]], bold=True)
    for row in ranking.rows:
        product = row.submission.product
        _row(sheet, [product.code, product.name, *[_num(row.criterion_means.get(c.pk)) for c in ranking.criteria]])

    sheet = book.create_sheet(_("Per-member totals"))
    _row(sheet, [*product_headers[:2], *[m.full_name for m in ranking.members]], bold=True)
    conflict = _("Conflict of interest")
    for row in ranking.rows:
        product = row.submission.product
        cells = [str(conflict) if m.pk in row.conflicted else _num(row.totals.get(m.pk)) for m in ranking.members]
        _row(sheet, [product.code, product.name, *cells])

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

"""An approved round with its development records, for the development tests (issue 12): the
approval is stored as services.approve stores it (a snapshot whose selected rows name the
products), then selection.development.open_records opens the records, as on approval."""

from selection import development
from selection.models import Approval, RoundState
from tests.factories import ProductFactory, SelectionRoundFactory, UserFactory


def approved_round(*, committee=None, products=None, count=3, by=None, **round_fields):
    """A round in the approved state whose list selects `products` (or `count` new ones), with
    their development records opened."""
    by = by or UserFactory(username="dev-approver")
    round_ = SelectionRoundFactory(state=RoundState.APPROVED, **({"committee": committee} if committee else {}),
                                   **round_fields)
    products = products if products is not None else [ProductFactory() for _ in range(count)]
    rows = [{"rank": n, "product_code": p.code, "status": "selected"} for n, p in enumerate(products, 1)]
    Approval.objects.create(round=round_, approved_by=by, snapshot={"rows": rows})
    development.open_records(round_, by=by)
    return round_

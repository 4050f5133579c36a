"""Reading institutions."""

from rectrack.institutions.models import Institution


def institution_choices() -> list[tuple[int, str]]:
    """Every institution, for filter lists (plain values, not instances)."""
    return list(Institution.objects.order_by("name").values_list("pk", "name"))

"""Every write to indicators and their measurements goes through here."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rectrack.audit.services import create_tracked, save_tracked
from rectrack.indicators.models import Indicator, Measurement


def indicator_create(*, actor, **fields: Any) -> Indicator:
    """Create an indicator, linked to recommendations, activities, projects and clusters if given.

    The target date may not precede the baseline date.
    """
    return create_tracked(model=Indicator, actor=actor, fields=fields)


def indicator_update(*, indicator: Indicator, actor, expected_version: int | None = None, **fields: Any) -> dict:
    """Change an indicator; refuses a stale `expected_version` (ConflictError)."""
    return save_tracked(instance=indicator, actor=actor, fields=fields, expected_version=expected_version)


def _check_measurement(indicator: Indicator, measured_on: date | None, value: Decimal | None, breakdown: str) -> None:
    errors = {}
    if measured_on is None:
        errors["measured_on"] = _("Give the date the value was measured.")
    elif measured_on > timezone.localdate():
        errors["measured_on"] = _("The date cannot be in the future: record a value once it has been measured.")
    if value is None:
        errors["value"] = _("Give the value measured, as a number.")
    if errors:
        raise ValidationError(errors)
    if indicator.measurements.filter(measured_on=measured_on, breakdown=breakdown).exists():
        group = breakdown or _("the total")
        raise ValidationError(
            _(
                "A value for %(group)s on %(date)s is already recorded. Remove it first to correct it, or "
                "choose another date or breakdown."
            )
            % {"group": group, "date": measured_on.isoformat()}
        )


@transaction.atomic
def measurement_add(
    *,
    indicator: Indicator,
    actor,
    measured_on: date | None,
    value: Decimal | None,
    breakdown: str = "",
    source: str = "",
    note: str = "",
) -> Measurement:
    """Record a value of the indicator; the indicator's history records it.

    The date may not be in the future, and each date holds one value for the
    total and one per breakdown.
    """
    breakdown = " ".join((breakdown or "").split())
    _check_measurement(indicator, measured_on, value, breakdown)
    measurement = Measurement(
        indicator=indicator,
        measured_on=measured_on,
        value=value,
        breakdown=breakdown,
        source=(source or "").strip(),
        note=(note or "").strip(),
        created_by=actor if actor and actor.pk else None,
    )
    measurement.full_clean()
    measurement.save()
    save_tracked(
        instance=indicator, actor=actor, fields={}, also={"measurements": {"added": [measurement.label], "removed": []}}
    )
    return measurement


@transaction.atomic
def measurement_remove(*, measurement: Measurement, actor) -> None:
    """Remove a recorded value; the indicator's history keeps what it was."""
    indicator = measurement.indicator
    label = measurement.label
    measurement.delete()
    save_tracked(instance=indicator, actor=actor, fields={}, also={"measurements": {"added": [], "removed": [label]}})

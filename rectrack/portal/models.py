"""What the public portal shows is decided per object, within default rules.

The portal keeps no tables of its own: recommendations, projects and
activities carry a `publication` field (and activities a
`budget_publication`), and the default rules live in the instance settings.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Publication(models.TextChoices):
    DEFAULT = "default", _("Follows the default rule")
    PUBLISHED = "published", _("Published")
    WITHHELD = "withheld", _("Not published")


def publication_field(verbose_name=None) -> models.CharField:
    return models.CharField(
        verbose_name or _("on the public portal"),
        max_length=10,
        choices=Publication.choices,
        default=Publication.DEFAULT,
    )

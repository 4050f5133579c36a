"""Reference data for the recommendations app: the mechanisms."""

from pathlib import Path

import yaml

from rectrack.recommendations.models import Mechanism

MECHANISMS_FILE = Path(__file__).parent / "data" / "mechanisms.yaml"


def seed_mechanisms() -> int:
    """Create or refresh the mechanisms listed in the data file; returns how many."""
    entries = yaml.safe_load(MECHANISMS_FILE.read_text(encoding="utf-8"))
    for position, entry in enumerate(entries):
        Mechanism.objects.update_or_create(
            acronym=entry["acronym"],
            defaults={
                "kind": entry["kind"],
                "name": entry["name"],
                "translations": entry.get("names", {}),
                "position": position,
            },
        )
    return len(entries)

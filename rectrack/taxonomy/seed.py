"""Seed the vocabularies from the data files in taxonomy/data/."""

from pathlib import Path

import yaml
from django.db import transaction

from rectrack.taxonomy.models import TermStatus, VocabularyKind
from rectrack.taxonomy.services import term_ensure, vocabulary_ensure

DATA_DIR = Path(__file__).parent / "data"
SDG_LANGUAGES = {"en": "en", "fr": "fr", "es": "es", "ar": "ar", "ru": "ru", "zh-Hans": "zh-hans"}
UHRI_SOURCE = "Universal Human Rights Index (OHCHR), labels as observed; see taxonomy/data/README.md."


def _lines(name: str) -> list[str]:
    text = (DATA_DIR / "uhri" / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _sdg_texts() -> dict[str, dict[str, str]]:
    """{language: {key: text}} from the goals and targets files."""
    texts = {}
    for folder, language in SDG_LANGUAGES.items():
        merged = {}
        for name in ("global_goals.yml", "global_targets.yml"):
            merged.update(yaml.safe_load((DATA_DIR / "sdg" / folder / name).read_text(encoding="utf-8")))
        texts[language] = {key: " ".join(str(value).split()) for key, value in merged.items()}
    return texts


def _uhri_translations() -> dict[str, dict[str, str]]:
    """{English label: {language: label}}, prepared by the project (see the README)."""
    return yaml.safe_load((DATA_DIR / "uhri" / "translations.yaml").read_text(encoding="utf-8")) or {}


def _flat_vocabulary(slug, kind, name, version, is_current, filename, status=TermStatus.REVIEWED) -> int:
    vocabulary = vocabulary_ensure(
        slug=slug, kind=kind, name=name, version=version, is_current=is_current, source=UHRI_SOURCE
    )
    labels = _lines(filename)
    translations = _uhri_translations()
    for position, label in enumerate(labels):
        term_ensure(
            vocabulary=vocabulary,
            label=label,
            translations=translations.get(label, {}),
            position=position,
            status=status,
        )
    return len(labels)


def _seed_sdgs() -> tuple[int, int]:
    texts = _sdg_texts()
    english = texts["en"]
    vocabulary = vocabulary_ensure(
        slug="sdg-2030",
        kind=VocabularyKind.SDG,
        name="Sustainable Development Goals",
        version="2030 Agenda",
        is_current=True,
        source="United Nations; texts from open-sdg/sdg-translations (MIT), see taxonomy/data/README.md.",
    )
    goals = targets = 0
    for goal in range(1, 18):
        goal_term = term_ensure(
            vocabulary=vocabulary,
            code=str(goal),
            label=english[f"{goal}-short"],
            description=english[f"{goal}-title"],
            translations={
                lang: texts[lang].get(f"{goal}-short", "")
                for lang in texts
                if lang != "en" and texts[lang].get(f"{goal}-short")
            },
            position=goal * 1000,
        )
        goals += 1
        target_keys = sorted(
            (key for key in english if key.startswith(f"{goal}-") and key.count("-") == 2 and key.endswith("-title")),
            key=lambda key: (
                not key.split("-")[1].isdigit(),
                int(key.split("-")[1]) if key.split("-")[1].isdigit() else 0,
                key,
            ),
        )
        for index, key in enumerate(target_keys, start=1):
            code = key.removesuffix("-title").replace("-", ".")
            term_ensure(
                vocabulary=vocabulary,
                code=code,
                label=english[key],
                parent=goal_term,
                translations={lang: texts[lang][key] for lang in texts if lang != "en" and texts[lang].get(key)},
                position=goal * 1000 + index,
            )
            targets += 1
    return goals, targets


@transaction.atomic
def seed_taxonomy() -> dict[str, int]:
    """Create or refresh every seeded vocabulary. Idempotent; returns counts."""
    counts = {
        "themes": _flat_vocabulary(
            "uhri-themes-current", VocabularyKind.THEME, "UHRI themes", "current", True, "themes-current.txt"
        ),
        "affected_persons": _flat_vocabulary(
            "uhri-affected-persons-current",
            VocabularyKind.AFFECTED_PERSONS,
            "UHRI affected persons",
            "current",
            True,
            "affected-persons-current.txt",
        ),
        "affected_persons_legacy": _flat_vocabulary(
            "uhri-affected-persons-legacy",
            VocabularyKind.AFFECTED_PERSONS,
            "UHRI affected persons (before 2019)",
            "legacy",
            False,
            "affected-persons-legacy.txt",
        ),
    }
    counts["sdg_goals"], counts["sdg_targets"] = _seed_sdgs()
    vocabulary_ensure(
        slug="national-clusters",
        kind=VocabularyKind.NATIONAL_CLUSTER,
        name="National clusters",
        version="national",
        is_current=True,
        source="Defined by this instance's NMIRF.",
    )
    return counts

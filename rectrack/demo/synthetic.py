"""Synthetic recommendations at UHRI scale, for benchmarks.

Texts and their themes, affected persons and SDGs come from the 1,230 real
OHCHR thematic-list rows (data/README.md), mixed so that texts vary; documents,
mechanisms, dates, positions, statuses and assignments are drawn at random
with realistic proportions. Rows are written in bulk, without history entries:
this is benchmark data, not anyone's work. Marked with source "generated".
"""

import csv
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from rectrack.demo.loaders import DATA_FILE, _split, _states
from rectrack.institutions.models import Institution
from rectrack.planning.models import Activity, ActivityStatus, Project, ProjectStatus
from rectrack.recommendations.models import (
    Document,
    ImplementationStatus,
    Mechanism,
    MechanismKind,
    Recommendation,
    RecommendationKind,
    Source,
    UprPosition,
    paragraph_sort_key,
    upr_cycle_for_session,
)
from rectrack.recommendations.seed import seed_mechanisms
from rectrack.recommendations.services import country_get_or_create
from rectrack.taxonomy.models import VocabularyKind
from rectrack.taxonomy.seed import seed_taxonomy
from rectrack.taxonomy.services import resolve_term

BATCH = 2_000
_TRAILING_STATE_RE = re.compile(r"\s*\([^()]*\)\s*[;.]?\s*$")
_LEADING_NUMBER_RE = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s*")

MINISTRIES = (
    "Justice", "Foreign Affairs", "Interior", "Labour and Social Affairs", "Education", "Health", "Culture",
    "Finance", "Defence", "Agriculture", "Environment", "Digital Affairs", "Women and Family", "Youth and Sports",
    "Economy", "Infrastructure", "Housing", "Regional Development", "Public Administration", "Minorities",
)  # fmt: skip
STATUS_WEIGHTS = {
    ImplementationStatus.NOT_STARTED: 34,
    ImplementationStatus.IN_PROGRESS: 25,
    ImplementationStatus.PARTIALLY_IMPLEMENTED: 18,
    ImplementationStatus.FULLY_IMPLEMENTED: 15,
    ImplementationStatus.NOT_IMPLEMENTED: 6,
    ImplementationStatus.NO_LONGER_APPLICABLE: 2,
}
# Share of recommendations by mechanism kind, and recommendations per document.
KIND_WEIGHTS = {MechanismKind.UPR: 62, MechanismKind.TREATY_BODY: 31, MechanismKind.SPECIAL_PROCEDURE: 5,
                MechanismKind.REGIONAL: 2}  # fmt: skip
DOCUMENT_SIZE = {MechanismKind.UPR: (120, 280), MechanismKind.TREATY_BODY: (30, 90),
                 MechanismKind.SPECIAL_PROCEDURE: (15, 45), MechanismKind.REGIONAL: (10, 40)}  # fmt: skip


@dataclass
class PoolRow:
    text: str
    themes: list[int]
    affected: list[int]
    sdgs: list[int]


def _clean(text: str) -> str:
    text = _LEADING_NUMBER_RE.sub("", text)
    return _TRAILING_STATE_RE.sub("", text).strip(" ;") + "."


def _pool() -> tuple[list[PoolRow], list[str]]:
    cache: dict = {}

    def ids(kind, labels):
        for label in labels:
            if (kind, label) not in cache:
                term = resolve_term(kind, label)
                cache[kind, label] = term.pk if term else None
        return sorted({cache[kind, label] for label in labels if cache[kind, label]})

    rows, states = [], set()
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            first_ask = row["text"].split(");", 1)[0] + ")" if ");" in row["text"] else row["text"]
            rows.append(
                PoolRow(
                    text=_clean(first_ask),
                    themes=ids(VocabularyKind.THEME, _split(row["themes"])),
                    affected=ids(VocabularyKind.AFFECTED_PERSONS, _split(row["affected_persons"])),
                    sdgs=ids(VocabularyKind.SDG, _split(row["sdgs"])),
                )
            )
            states.update(_states(row["recommending_states"]))
    return rows, sorted(states)


def _country_code(name: str, used: set[str]) -> str:
    letters = re.sub(r"[^A-Z]", "", name.upper())
    code = (letters + "XXX")[:3]
    n = 0
    while code in used:
        n += 1
        code = f"{letters[:2]}{n}"[:3]
    used.add(code)
    return code


class Generator:
    def __init__(self, count: int, seed: int, progress: Callable[[str], None]):
        self.count = count
        self.rng = random.Random(seed)
        self.progress = progress
        self.today = timezone.localdate()

    def setup(self) -> None:
        seed_taxonomy()
        seed_mechanisms()
        self.pool, state_names = _pool()
        # Two names of one State ("Turkey", "Türkiye") are one row: keep it once.
        self.countries = list({c.pk: c for c in (country_get_or_create(name=name) for name in state_names)}.values())
        used: set[str] = set()
        self.codes = {c.pk: _country_code(c.name, used) for c in self.countries}
        by_kind: dict[str, list[Mechanism]] = {}
        for mechanism in Mechanism.objects.all():
            by_kind.setdefault(mechanism.kind, []).append(mechanism)
        self.mechanisms = by_kind
        Institution.objects.bulk_create(
            [Institution(name=f"Ministry of {name}", acronym=f"M{i:02d}") for i, name in enumerate(MINISTRIES)],
            ignore_conflicts=True,
        )
        self.institutions = list(Institution.objects.filter(name__in=[f"Ministry of {n}" for n in MINISTRIES]))
        self.serial = Recommendation.objects.filter(source=Source.GENERATED).count()

    def _document(self, kind: str, number: int) -> Document:
        mechanism = self.rng.choice(self.mechanisms[kind])
        country = self.rng.choice(self.countries)
        code = self.codes[country.pk]
        issued = date(2008, 1, 1) + timedelta(days=self.rng.randrange((self.today - date(2008, 1, 1)).days))
        if kind == MechanismKind.UPR:
            session = min(48, max(1, (issued.year - 2008) * 3 + self.rng.randint(1, 3)))
            return Document(
                symbol=f"A/HRC/{session + 6}/{number}", mechanism=mechanism, country=country, date=issued,
                upr_session=session, upr_cycle=upr_cycle_for_session(session), session=str(session),
            )  # fmt: skip
        if kind == MechanismKind.TREATY_BODY:
            symbol = f"{mechanism.acronym}/C/{code}/CO/{number}"
        elif kind == MechanismKind.SPECIAL_PROCEDURE:
            symbol = f"A/HRC/{issued.year - 1960}/{number}/Add.{self.rng.randint(1, 4)}"
        else:
            symbol = f"{mechanism.acronym}({issued.year}){number}"
        return Document(symbol=symbol, mechanism=mechanism, country=country, date=issued)

    def _text(self, row: PoolRow) -> str:
        if self.rng.random() < 0.35:  # join a second ask, as many real recommendations do
            other = self.rng.choice(self.pool).text
            return f"{row.text[:-1]}, and {other[0].lower()}{other[1:]}"
        return row.text

    def run(self) -> dict[str, int]:
        self.setup()
        written = documents = 0
        statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
        kinds, kind_weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
        pending: list[tuple[Recommendation, PoolRow, list[int]]] = []
        number = Document.objects.count() + 1
        while written < self.count:
            kind = self.rng.choices(kinds, weights=kind_weights)[0]
            document = self._document(kind, number)
            number += 1
            if Document.objects.filter(symbol=document.symbol).exists():
                continue
            document.save()
            documents += 1
            low, high = DOCUMENT_SIZE[kind]
            size = min(self.rng.randint(low, high), self.count - written)
            section = self.rng.randint(90, 160)
            for i in range(1, size + 1):
                row = self.rng.choice(self.pool)
                paragraph = f"{section}.{i}" if kind == MechanismKind.UPR else str(i + 8)
                self.serial += 1
                rec = Recommendation(
                    mechanism=document.mechanism,
                    document=document,
                    paragraph=paragraph,
                    paragraph_key=paragraph_sort_key(paragraph),
                    text=f"{paragraph} {self._text(row)}",
                    kind=RecommendationKind.RECOMMENDATION if kind == MechanismKind.UPR else (
                        RecommendationKind.CONCERN if self.rng.random() < 0.3 else RecommendationKind.RECOMMENDATION
                    ),
                    upr_position=(
                        self.rng.choices([UprPosition.SUPPORTED, UprPosition.NOTED], weights=[75, 25])[0]
                        if kind == MechanismKind.UPR else ""
                    ),
                    issued_on=document.date,
                    source=Source.GENERATED,
                    external_id=f"generated-{self.serial}",
                    status=self.rng.choices(statuses, weights=weights)[0],
                    lead_institution=self.rng.choice(self.institutions) if self.rng.random() < 0.7 else None,
                )  # fmt: skip
                states = (
                    [c.pk for c in self.rng.sample(self.countries, self.rng.choice([1, 1, 1, 2, 3]))]
                    if kind == MechanismKind.UPR else []
                )  # fmt: skip
                pending.append((rec, row, states))
                if len(pending) >= BATCH:
                    self._flush(pending)
                    pending = []
            written += size
            if pending and written >= self.count:
                self._flush(pending)
                pending = []
            if documents % 50 == 0:
                self.progress(f"{written:,} / {self.count:,} recommendations")
        if pending:
            self._flush(pending)
        projects, activities = self._planning()
        return {"recommendations": written, "documents": documents, "projects": projects, "activities": activities}

    @transaction.atomic
    def _flush(self, pending) -> None:
        recs = Recommendation.objects.bulk_create([rec for rec, _row, _states in pending])
        through = Recommendation
        links = {"themes": [], "affected_persons": [], "sdgs": [], "recommending_states": []}
        for rec, (_, row, states) in zip(recs, pending, strict=True):
            links["themes"] += [through.themes.through(recommendation_id=rec.pk, term_id=t) for t in row.themes]
            links["affected_persons"] += [
                through.affected_persons.through(recommendation_id=rec.pk, term_id=t) for t in row.affected
            ]
            links["sdgs"] += [through.sdgs.through(recommendation_id=rec.pk, term_id=t) for t in row.sdgs]
            links["recommending_states"] += [
                through.recommending_states.through(recommendation_id=rec.pk, country_id=c) for c in states
            ]
        for name, rows in links.items():
            getattr(Recommendation, name).through.objects.bulk_create(rows, batch_size=5_000)

    @transaction.atomic
    def _planning(self) -> tuple[int, int]:
        """Projects holding a tenth of the recommendations, and one activity per fifty."""
        ids = list(Recommendation.objects.filter(source=Source.GENERATED).values_list("pk", flat=True))
        projects = [
            Project(
                name=f"Action plan {n + 1}: {self.rng.choice(self.pool).text[:60].rstrip(' ,.')}",
                status=self.rng.choice([ProjectStatus.ACTIVE] * 3 + [ProjectStatus.PLANNED, ProjectStatus.COMPLETED]),
                lead_institution=self.rng.choice(self.institutions),
            )
            for n in range(max(1, min(60, len(ids) // 4_000)))
        ]
        projects = Project.objects.bulk_create(projects)
        links = Project.recommendations.through
        chosen = self.rng.sample(ids, len(ids) // 10)
        links.objects.bulk_create(
            [links(project_id=self.rng.choice(projects).pk, recommendation_id=pk) for pk in chosen], batch_size=5_000
        )
        activity_statuses = list(ActivityStatus)
        activities = Activity.objects.bulk_create(
            [
                Activity(
                    title=f"Follow-up: {self.rng.choice(self.pool).text[:80].rstrip(' ,.')}",
                    status=self.rng.choice(activity_statuses),
                    lead_institution=self.rng.choice(self.institutions),
                    budget_amount=Decimal(self.rng.randrange(1_000, 2_000_000, 500)),
                    budget_currency="USD",
                    deadline=self.today + timedelta(days=self.rng.randint(-400, 900)),
                )
                for _ in range(max(1, len(ids) // 50))
            ],
            batch_size=BATCH,
        )
        rec_links, project_links = Activity.recommendations.through, Activity.projects.through
        rec_links.objects.bulk_create(
            [
                rec_links(activity_id=a.pk, recommendation_id=pk)
                for a in activities
                for pk in set(self.rng.sample(ids, self.rng.randint(1, 3)))
            ],
            batch_size=5_000,
        )
        project_links.objects.bulk_create(
            [project_links(activity_id=a.pk, project_id=self.rng.choice(projects).pk) for a in activities],
            batch_size=5_000,
        )
        return len(projects), len(activities)


def generate_recommendations(count: int, *, seed: int = 42, progress: Callable[[str], None] = lambda _: None) -> dict:
    """Write `count` synthetic recommendations (with documents, projects and activities)."""
    return Generator(count, seed, progress).run()

"""The demonstration instance: Slovenia's three UPR cycles with invented follow-up.

Recommendations, their labels, positions and recommending States are real
(OHCHR thematic lists, see data/README.md). Institutions are Slovenia's, but
the assignments, statuses, projects, activities and budgets are invented so
that every screen has something to show.
"""

import csv
import random
import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from rectrack.agenda import services as agenda_services
from rectrack.agenda.models import Audience, Event, EventKind
from rectrack.indicators import services as indicator_services
from rectrack.indicators.models import Indicator, IndicatorKind
from rectrack.instance import services as instance_services
from rectrack.instance.models import InstanceSettings
from rectrack.institutions.models import Institution, InstitutionKind, Level
from rectrack.planning import services as planning_services
from rectrack.planning.models import ActivityStatus, Project, ProjectStatus
from rectrack.recommendations import services as recommendation_services
from rectrack.recommendations.models import (
    ImplementationStatus,
    Mechanism,
    Recommendation,
    Source,
    UprPosition,
)
from rectrack.recommendations.seed import seed_mechanisms
from rectrack.taxonomy.models import VocabularyKind
from rectrack.taxonomy.seed import seed_taxonomy
from rectrack.taxonomy.services import resolve_term

DATA_FILE = Path(__file__).parent / "data" / "upr_thematic_lists_SVN_CHN.csv"
COUNTRY = "Slovenia"


@dataclass(frozen=True)
class Review:
    source_file: str
    symbol: str
    upr_session: int
    closing_day: date


REVIEWS = (
    Review("UPR20__Slovenia_ThematicListRecommendations_E.docx", "A/HRC/28/15", 20, date(2014, 11, 7)),
    Review("UPR34_Slovenia_Thematic_list_of_Recommendations.docx", "A/HRC/43/15", 34, date(2019, 11, 15)),
    Review("upr48-slovenia-thematic-list-of-recommendatio.docx", "A/HRC/59/15", 48, date(2025, 1, 31)),
)

# name, acronym, kind, parent acronym
INSTITUTIONS = (
    ("Ministry of Justice", "MJU", InstitutionKind.MINISTRY, None),
    ("Ministry of Foreign and European Affairs", "MFEA", InstitutionKind.MINISTRY, None),
    ("Ministry of the Interior", "MNZ", InstitutionKind.MINISTRY, None),
    ("Ministry of Labour, Family, Social Affairs and Equal Opportunities", "MDDSZ", InstitutionKind.MINISTRY, None),
    ("Ministry of Education", "MVI", InstitutionKind.MINISTRY, None),
    ("Ministry of Health", "MZ", InstitutionKind.MINISTRY, None),
    ("Ministry of Culture", "MK", InstitutionKind.MINISTRY, None),
    ("Police", "POL", InstitutionKind.AGENCY, "MNZ"),
    ("Government Office for National Minorities", "UN", InstitutionKind.AGENCY, None),
    ("Government Office for the Support and Integration of Migrants", "UOIM", InstitutionKind.AGENCY, None),
    ("Statistical Office of the Republic of Slovenia", "SURS", InstitutionKind.STATISTICS_OFFICE, None),
    ("National Assembly", "DZ", InstitutionKind.PARLIAMENT, None),
    ("Supreme Court", "VS", InstitutionKind.JUDICIARY, None),
    ("Human Rights Ombudsman of the Republic of Slovenia", "VČP", InstitutionKind.NHRI, None),
    ("Peace Institute", "MI", InstitutionKind.CSO, None),
)

# First matching keyword (in the themes or the text) decides the lead institution.
LEAD_RULES = (
    (("roma", "minorit", "sinti", "traveller"), "UN"),
    (("migrant", "refugee", "asylum", "stateless"), "UOIM"),
    (("trafficking", "police", "law enforcement", "hate crime"), "MNZ"),
    (("ratif", "accession", "acceptance of international", "cooperation with", "treaty bod", "international instrument",
      "special procedure", "development cooperation"), "MFEA"),
    (("women", "gender", "domestic violence", "discrimination against women", "equality", "disabilit", "older person",
      "poverty", "social", "labour", "child", "family"), "MDDSZ"),
    (("education", "school", "teacher"), "MVI"),
    (("health",), "MZ"),
    (("torture", "detention", "justice", "judic", "court", "prison", "ombudsman", "national human rights institution",
      "nhri"), "MJU"),
)  # fmt: skip

PROJECTS = (
    (
        "Equality & non-discrimination",
        "Action plan on equal treatment and the fight against discrimination, hate speech and hate crime.",
        ("discrimination", "equality", "hate"),
        "MDDSZ",
    ),
    (
        "Rights of the Roma community",
        "National programme of measures for the Roma: housing, education, employment and health.",
        ("roma",),
        "UN",
    ),
    (
        "Violence against women",
        "Resolution on the prevention of domestic violence and violence against women, and the Istanbul Convention.",
        ("violence against women", "domestic violence", "gender-based"),
        "MDDSZ",
    ),
    (
        "Ratification of international instruments",
        "Signature, ratification and accession to the core human rights instruments and their optional protocols.",
        ("ratif", "accede", "accession"),
        "MFEA",
    ),
    (
        "Migrants, refugees and asylum seekers",
        "Reception, integration and protection of migrants, refugees, asylum seekers and stateless persons.",
        ("migrant", "refugee", "asylum", "stateless"),
        "UOIM",
    ),
    (
        "Rights of the child",
        "Child protection, juvenile justice and the Children's Houses (Barnahus) programme.",
        ("child",),
        "MDDSZ",
    ),
    (
        "Trafficking in human beings",
        "Identification and protection of victims and prosecution of trafficking.",
        ("trafficking",),
        "MNZ",
    ),
)

ACTIVITIES = (
    ("Draft amendments to the Protection against Discrimination Act", "MJU", "Equality & non-discrimination",
     ("discrimination",), ActivityStatus.IN_PROGRESS, 45_000, -200, 120),
    ("Training of judges and prosecutors on hate crime", "MJU", "Equality & non-discrimination",
     ("hate",), ActivityStatus.COMPLETED, 28_000, -420, -60),
    ("National campaign against hate speech online", "MDDSZ", "Equality & non-discrimination",
     ("hate speech",), ActivityStatus.DELAYED, 120_000, -300, -20),
    ("Roma settlements: water and electricity connections", "UN", "Rights of the Roma community",
     ("roma",), ActivityStatus.IN_PROGRESS, 850_000, -500, 240),
    ("Roma teaching assistants in primary schools", "MVI", "Rights of the Roma community",
     ("roma",), ActivityStatus.COMPLETED, 310_000, -700, -100),
    ("Employment programme for Roma women", "MDDSZ", "Rights of the Roma community",
     ("roma",), ActivityStatus.PLANNED, 95_000, 30, 400),
    ("Action plan on GREVIO's recommendations under the Istanbul Convention", "MDDSZ", "Violence against women",
     ("istanbul",), ActivityStatus.COMPLETED, 0, -900, -500),
    ("Shelters and crisis centres for victims of domestic violence", "MDDSZ", "Violence against women",
     ("domestic violence",), ActivityStatus.IN_PROGRESS, 640_000, -250, 300),
    ("Amend the Criminal Code: definition of rape based on consent", "MJU", "Violence against women",
     ("rape", "sexual violence"), ActivityStatus.COMPLETED, 0, -1200, -900),
    ("Prepare the ratification of the Migrant Workers Convention (ICRMW)", "MFEA",
     "Ratification of international instruments", ("migrant workers",), ActivityStatus.PLANNED, 15_000, 10, 540),
    ("Accession to the Optional Protocol to the ICESCR", "MFEA", "Ratification of international instruments",
     ("economic, social and cultural",), ActivityStatus.DELAYED, 5_000, -400, -30),
    ("Ratify the Convention on Enforced Disappearance", "MFEA", "Ratification of international instruments",
     ("enforced disappearance",), ActivityStatus.IN_PROGRESS, 8_000, -150, 90),
    ("Integration courses in Slovenian for beneficiaries of international protection", "UOIM",
     "Migrants, refugees and asylum seekers", ("refugee", "integration"), ActivityStatus.IN_PROGRESS,
     220_000, -365, 200),
    ("Statelessness determination procedure", "MNZ", "Migrants, refugees and asylum seekers",
     ("stateless",), ActivityStatus.PLANNED, 40_000, 60, 420),
    ("Barnahus: child-friendly justice house in Ljubljana", "MJU", "Rights of the child",
     ("child",), ActivityStatus.COMPLETED, 1_200_000, -1000, -200),
    ("Ban on corporal punishment: awareness programme for parents", "MDDSZ", "Rights of the child",
     ("corporal punishment",), ActivityStatus.COMPLETED, 60_000, -800, -400),
    ("National referral mechanism for victims of trafficking", "MNZ", "Trafficking in human beings",
     ("trafficking",), ActivityStatus.IN_PROGRESS, 180_000, -240, 150),
    ("Training of labour inspectors on forced labour indicators", "MDDSZ", "Trafficking in human beings",
     ("labour", "trafficking"), ActivityStatus.DELAYED, 35_000, -200, -15),
    ("Establish the national human rights institution's new mandate (Paris Principles)", "MJU", None,
     ("national human rights institution", "paris principles"), ActivityStatus.COMPLETED, 250_000, -1500, -1100),
    ("Reduce overcrowding in Ljubljana prison", "MJU", None,
     ("prison", "detention"), ActivityStatus.IN_PROGRESS, 2_400_000, -600, 365),
    ("Accessibility plan for public buildings", "MDDSZ", "Equality & non-discrimination",
     ("disabilit",), ActivityStatus.PLANNED, 500_000, 90, 720),
    ("Mid-term report on UPR recommendations to the Human Rights Council", "MFEA", None,
     ("universal periodic review", "upr"), ActivityStatus.PLANNED, 0, -30, 45),
)  # fmt: skip


def _split(value: str, separator: str = " | ") -> list[str]:
    return [item.strip() for item in (value or "").split(separator) if item.strip()]


def _states(value: str) -> list[str]:
    names = []
    for chunk in re.split(r"[;]", value or ""):
        for name in re.split(r",(?![^()]*\))", chunk):
            name = " ".join(name.split()).replace("S tate", "State")
            if name and not any(ch.isdigit() for ch in name):
                names.append(name)
    return names


def demo_rows() -> list[dict]:
    files = {review.source_file for review in REVIEWS}
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["source_file"] in files]


def _lead_for(text: str, institutions: dict) -> Institution | None:
    lowered = text.lower()
    for keywords, acronym in LEAD_RULES:
        if any(keyword in lowered for keyword in keywords):
            return institutions[acronym]
    return None


# Later cycles have had less time: fewer recommendations are implemented.
STATUS_WEIGHTS = {
    20: {"fully_implemented": 40, "partially_implemented": 30, "in_progress": 12, "not_started": 8,
         "not_implemented": 7, "no_longer_applicable": 3},
    34: {"fully_implemented": 22, "partially_implemented": 30, "in_progress": 28, "not_started": 18,
         "not_implemented": 2},
    48: {"fully_implemented": 4, "partially_implemented": 10, "in_progress": 36, "not_started": 50},
}  # fmt: skip


def _institutions() -> dict[str, Institution]:
    by_acronym = {}
    for name, acronym, kind, parent in INSTITUTIONS:
        institution, _created = Institution.objects.update_or_create(
            name=name,
            defaults={
                "acronym": acronym,
                "kind": kind,
                "level": Level.NATIONAL,
                "parent": by_acronym.get(parent) if parent else None,
            },
        )
        by_acronym[acronym] = institution
    return by_acronym


def _recommendations(institutions: dict, rng: random.Random) -> int:
    upr = Mechanism.objects.get(acronym="UPR")
    country = recommendation_services.country_get_or_create(name=COUNTRY)
    documents = {
        review.source_file: recommendation_services.document_get_or_create(
            symbol=review.symbol,
            mechanism=upr,
            country=country,
            date=review.closing_day,
            upr_session=review.upr_session,
            title=f"Report of the Working Group on the Universal Periodic Review: {COUNTRY}",
        )
        for review in REVIEWS
    }
    sessions = {review.source_file: review.upr_session for review in REVIEWS}
    term_cache: dict = {}
    country_cache: dict = {}

    def terms(kind, labels):
        for label in labels:
            if (kind, label) not in term_cache:
                term_cache[kind, label] = resolve_term(kind, label)
        return [term_cache[kind, label] for label in labels if term_cache[kind, label]]

    def states(value):
        for name in _states(value):
            if name not in country_cache:
                country_cache[name] = recommendation_services.country_get_or_create(name=name)
        return [country_cache[name] for name in _states(value)]

    existing = set(Recommendation.objects.filter(source=Source.DEMO).values_list("external_id", flat=True))
    created = 0
    for row in demo_rows():
        external_id = f"{documents[row['source_file']].symbol}#{row['paragraph']}"
        if external_id in existing:
            continue
        weights = STATUS_WEIGHTS[sessions[row["source_file"]]]
        status = rng.choices(list(weights), weights=list(weights.values()))[0]
        if row["position"] == "Noted" and status != "not_started":
            status = rng.choice([ImplementationStatus.NOT_STARTED, ImplementationStatus.NOT_IMPLEMENTED])
        label_text = " ".join([row["themes"], row["affected_persons"], row["text"]])
        recommendation = recommendation_services.recommendation_create(
            actor=None,
            mechanism=upr,
            document=documents[row["source_file"]],
            paragraph=row["paragraph"],
            text=row["text"],
            recommending_states=states(row["recommending_states"]),
            upr_position=UprPosition.SUPPORTED if row["position"] == "Supported" else UprPosition.NOTED,
            source=Source.DEMO,
            external_id=external_id,
            themes=terms(VocabularyKind.THEME, _split(row["themes"])),
            affected_persons=terms(VocabularyKind.AFFECTED_PERSONS, _split(row["affected_persons"])),
            sdgs=terms(VocabularyKind.SDG, _split(row["sdgs"])),
            lead_institution=_lead_for(label_text, institutions),
        )
        _record_statuses(recommendation, status, rng)
        created += 1
    return created


# The way to each status, one dated change per step, with an invented justification.
STATUS_PATHS = {
    ImplementationStatus.IN_PROGRESS: [ImplementationStatus.IN_PROGRESS],
    ImplementationStatus.PARTIALLY_IMPLEMENTED: [
        ImplementationStatus.IN_PROGRESS,
        ImplementationStatus.PARTIALLY_IMPLEMENTED,
    ],
    ImplementationStatus.FULLY_IMPLEMENTED: [
        ImplementationStatus.IN_PROGRESS,
        ImplementationStatus.PARTIALLY_IMPLEMENTED,
        ImplementationStatus.FULLY_IMPLEMENTED,
    ],
    ImplementationStatus.NOT_IMPLEMENTED: [ImplementationStatus.NOT_IMPLEMENTED],
    ImplementationStatus.NO_LONGER_APPLICABLE: [ImplementationStatus.NO_LONGER_APPLICABLE],
}
JUSTIFICATIONS = {
    ImplementationStatus.IN_PROGRESS: "The lead institution reported that work has started.",
    ImplementationStatus.PARTIALLY_IMPLEMENTED: "Part of the measures asked for are in force; the rest are planned.",
    ImplementationStatus.FULLY_IMPLEMENTED: "The measures are in force, as confirmed at the NMIRF plenary.",
    ImplementationStatus.NOT_IMPLEMENTED: "The Government decided not to act on it in this cycle.",
    ImplementationStatus.NO_LONGER_APPLICABLE: "Overtaken by later legislation.",
}


def _record_statuses(recommendation: Recommendation, status: str, rng: random.Random) -> None:
    """Record the invented status as dated steps between the recommendation's date and today."""
    steps = STATUS_PATHS.get(status, [])
    today = timezone.localdate()
    span = (today - recommendation.issued_on).days
    if not steps or span < len(steps):
        return
    days = sorted(rng.sample(range(1, span + 1), len(steps)))
    for step, day in zip(steps, days, strict=True):
        recommendation_services.recommendation_change_status(
            recommendation=recommendation,
            actor=None,
            status=step,
            effective_on=recommendation.issued_on + timedelta(days=day),
            justification=JUSTIFICATIONS[step],
        )


def _projects(institutions: dict, actor) -> dict[str, Project]:
    today = timezone.localdate()
    projects = {}
    recommendations = [
        (rec, (rec.text + " " + " ".join(t.label for t in rec.themes.all())).lower())
        for rec in Recommendation.objects.filter(source=Source.DEMO)
        .select_related("document")
        .prefetch_related("themes")
    ]
    for name, description, keywords, lead in PROJECTS:
        project = Project.objects.filter(name=name).first() or planning_services.project_create(
            actor=actor,
            name=name,
            description=description,
            status=ProjectStatus.ACTIVE,
            start_date=date(2020, 1, 1),
            end_date=date(today.year + 2, 12, 31),
            lead_institution=institutions[lead],
        )
        matches = [rec for rec, text in recommendations if any(k in text for k in keywords)]
        recommendation_services.project_add_recommendations(project=project, recommendations=matches, actor=actor)
        projects[name] = project
    return projects


def _activities(institutions: dict, projects: dict, actor, rng: random.Random) -> int:
    today = timezone.localdate()
    texts = [(rec.pk, rec.text.lower()) for rec in Recommendation.objects.filter(source=Source.DEMO).only("pk", "text")]
    created = 0
    for title, lead, project_name, keywords, status, budget, start, deadline in ACTIVITIES:
        if planning_services.Activity.objects.filter(title=title).exists():
            continue
        candidates = [pk for pk, text in texts if any(keyword in text for keyword in keywords)]
        linked = rng.sample(candidates, min(len(candidates), rng.randint(1, 4)))
        planning_services.activity_create(
            actor=actor,
            title=title,
            description=f"Follow-up to the recommendations on {keywords[0]}.",
            status=status,
            lead_institution=institutions[lead],
            budget_amount=Decimal(budget) if budget else None,
            budget_currency="EUR" if budget else "",
            funding_source="State budget" if budget else "",
            start_date=today + timedelta(days=start),
            deadline=today + timedelta(days=deadline),
            expected_results="",
            means_of_verification="",
            recommendations=Recommendation.objects.filter(pk__in=linked),
            projects=[projects[project_name]] if project_name else [],
            implementing_partners=[institutions["VČP"]] if rng.random() < 0.3 else [],
        )
        created += 1
    return created


# name, kind, unit, (baseline value, date), (target value, date), data source, disaggregation, responsible,
# recommendation keywords (all must match), activity, project, {date: {breakdown: value}} ("" is the total).
INDICATORS = (
    ("Proportion of Roma children completing primary school", IndicatorKind.OUTCOME, "%",
     ("61.5", date(2019, 6, 30)), ("85", date(2030, 6, 30)),
     "Ministry of Education, register of pupils (CEUVIZ)", "sex, region", "MVI", ("roma", "educat"),
     "Roma teaching assistants in primary schools", "Rights of the Roma community",
     {date(2019, 6, 30): {"": "61.5"}, date(2020, 6, 30): {"": "63"}, date(2021, 6, 30): {"": "62.4"},
      date(2022, 6, 30): {"": "66.8"}, date(2023, 6, 30): {"": "70.1"},
      date(2024, 6, 30): {"": "72.9", "Girls": "74.2", "Boys": "71.7"},
      date(2025, 6, 30): {"": "74.6", "Girls": "76.3", "Boys": "73"}}),
    ("Existence of an independent police complaints mechanism", IndicatorKind.STRUCTURAL, "",
     ("0", date(2019, 12, 31)), ("1", date(2027, 12, 31)), "Official Gazette of the Republic of Slovenia", "",
     "MNZ", ("police",), None, None,
     {date(2019, 12, 31): {"": "0"}, date(2021, 12, 31): {"": "0"}, date(2023, 12, 31): {"": "0"},
      date(2025, 10, 1): {"": "1"}}),
    ("Number of judges and prosecutors trained on hate crime", IndicatorKind.PROCESS, "persons",
     ("0", date(2021, 12, 31)), ("400", date(2026, 12, 31)), "Judicial Training Centre, attendance lists",
     "profession, sex", "MJU", ("hate",), "Training of judges and prosecutors on hate crime",
     "Equality & non-discrimination",
     {date(2022, 12, 31): {"": "85"}, date(2023, 12, 31): {"": "190"}, date(2024, 12, 31): {"": "265"},
      date(2025, 12, 31): {"": "340", "Judges": "150", "Prosecutors": "190"}}),
    ("Shelter places for victims of domestic violence per 10,000 inhabitants", IndicatorKind.PROCESS,
     "places per 10,000", ("0.72", date(2019, 12, 31)), ("1", date(2027, 12, 31)),
     "Ministry of Labour, Family, Social Affairs and Equal Opportunities", "region", "MDDSZ",
     ("domestic violence",), "Shelters and crisis centres for victims of domestic violence",
     "Violence against women",
     {date(2019, 12, 31): {"": "0.72"}, date(2021, 12, 31): {"": "0.78"}, date(2023, 12, 31): {"": "0.86"},
      date(2025, 12, 31): {"": "0.93"}}),
)  # fmt: skip


def _indicators(institutions: dict, projects: dict, actor) -> int:
    """A few indicators of each kind, linked to demo recommendations and activities, with values over years."""
    today = timezone.localdate()
    created = 0
    for (name, kind, unit, baseline, target, data_source, disaggregation, lead, keywords, activity, project,
         series) in INDICATORS:  # fmt: skip
        if Indicator.objects.filter(name=name).exists():
            continue
        recommendations = Recommendation.objects.filter(source=Source.DEMO)
        for keyword in keywords:
            recommendations = recommendations.filter(text__icontains=keyword)
        indicator = indicator_services.indicator_create(
            actor=actor,
            name=name,
            kind=kind,
            unit=unit,
            baseline_value=Decimal(baseline[0]),
            baseline_date=baseline[1],
            target_value=Decimal(target[0]),
            target_date=target[1],
            data_source=data_source,
            disaggregation=disaggregation,
            responsible_institution=institutions[lead],
            recommendations=list(recommendations.order_by("issued_on", "id")[:3]),
            activities=list(planning_services.Activity.objects.filter(title=activity)) if activity else [],
            projects=[projects[project]] if project else [],
        )
        for day, values in series.items():
            if day > today:  # a demo loaded on a machine whose clock is behind
                continue
            for breakdown, value in values.items():
                indicator_services.measurement_add(
                    indicator=indicator, actor=actor, measured_on=day, value=Decimal(value), breakdown=breakdown
                )
        created += 1
    return created


# title, kind, mechanism, days from today, length in days, start and end time, location, institutions, audience
ONE_OFF_EVENTS = (
    (
        "Consultation with civil society on the UPR mid-term report",
        EventKind.CONSULTATION,
        "UPR",
        25,
        1,
        (time(14), time(17)),
        "Human Rights Ombudsman, Dunajska cesta 56, Ljubljana",
        ("VČP", "MI", "MFEA"),
        Audience.EVERYONE,
    ),
    (
        "Visit of the Special Rapporteur on the human rights of migrants",
        EventKind.VISIT,
        "SR migrants",
        40,
        10,
        None,
        "Ljubljana, Postojna and Koper",
        ("UOIM", "MNZ", "POL"),
        Audience.ADMINISTRATION,
    ),
    (
        "CEDAW: eighth periodic report due",
        EventKind.REPORT_DUE,
        "CEDAW",
        75,
        1,
        None,
        "",
        ("MDDSZ", "MFEA"),
        Audience.EVERYONE,
    ),
    (
        "Universal Periodic Review of Slovenia: interactive dialogue (fifth cycle)",
        EventKind.REVIEW,
        "UPR",
        120,
        1,
        (time(9), time(12, 30)),
        "Palais des Nations, Geneva",
        ("MFEA", "MJU"),
        Audience.EVERYONE,
    ),
)
NMIRF_MEETING = "NMIRF plenary meeting"
NMIRF_MEMBERS = ("MFEA", "MJU", "MNZ", "MDDSZ", "MVI", "MZ")


def _first_tuesdays(today: date, months: int) -> list[date]:
    """The first Tuesday of this month and the next ones, from today on."""
    days, first = [], today.replace(day=1)
    for _month in range(months + 1):
        tuesday = first + timedelta(days=(1 - first.weekday()) % 7)
        if tuesday >= today:
            days.append(tuesday)
        first = (first + timedelta(days=32)).replace(day=1)
    return days[:months]


def _calendar_events(institutions: dict, actor) -> int:
    """The calendar's coming events, relative to today: a review, a report due, a visit, meetings, a consultation."""
    today = timezone.localdate()
    mechanisms = {m.acronym: m for m in Mechanism.objects.filter(acronym__in=[e[2] for e in ONE_OFF_EVENTS])}
    created = 0
    for title, kind, mechanism, offset, length, times, location, members, audience in ONE_OFF_EVENTS:
        if Event.objects.filter(title=title).exists():
            continue
        starts_on = today + timedelta(days=offset)
        agenda_services.event_create(
            actor=actor, title=title, kind=kind, mechanism=mechanisms.get(mechanism), starts_on=starts_on,
            ends_on=starts_on + timedelta(days=length - 1) if length > 1 else None,
            start_time=times[0] if times else None, end_time=times[1] if times else None, location=location,
            institutions=[institutions[acronym] for acronym in members], audience=audience,
        )  # fmt: skip
        created += 1
    for day in _first_tuesdays(today, 6):
        if Event.objects.filter(title=NMIRF_MEETING, starts_on=day).exists():
            continue
        agenda_services.event_create(
            actor=actor, title=NMIRF_MEETING, kind=EventKind.MEETING, starts_on=day, start_time=time(10),
            end_time=time(12), location="Ministry of Foreign and European Affairs, Prešernova cesta 25, Ljubljana",
            description="Progress on the implementation plan; reports due; coming reviews and visits.",
            institutions=[institutions[acronym] for acronym in NMIRF_MEMBERS], audience=Audience.ADMINISTRATION,
        )  # fmt: skip
        created += 1
    return created


@transaction.atomic
def _information_requests(institutions: dict, actor) -> int:
    """An open request to three ministries, partly answered, and an earlier one whose deadline passed."""
    from rectrack.inquiries import services as inquiries
    from rectrack.inquiries.models import InformationRequest, Recipient

    if InformationRequest.objects.exists():
        return 0
    today = timezone.localdate()
    roma = list(Recommendation.objects.filter(source=Source.DEMO, text__icontains="roma").order_by("pk")[:3])
    activities = list(planning_services.Activity.objects.filter(lead_institution=institutions["MJU"])[:1])
    mid_term = inquiries.request_send(
        actor=actor,
        title="Mid-term report on the third UPR cycle",
        instructions=(
            "For each recommendation and activity below, describe what your institution did since the last "
            "review, with figures where you have them, and what remains to be done."
        ),
        deadline=today + timedelta(days=12),
        word_limit=250,
        recommendations=roma,
        activities=activities,
        institutions=[institutions["MJU"], institutions["MVI"], institutions["UN"]],
    )
    education = Recipient.objects.get(request=mid_term, institution=institutions["MVI"])
    inquiries.answers_save(
        recipient=education,
        actor=actor,
        texts={
            item: "Roma teaching assistants now work in 46 primary schools (38 in 2022); attendance rose by 6 points."
            for item in inquiries.items_of(mid_term)
        },
    )
    earlier = inquiries.request_send(
        actor=actor,
        title="Input for the CEDAW follow-up report",
        instructions="Measures taken on violence against women since the concluding observations.",
        deadline=today + timedelta(days=1),
        word_limit=150,
        recommendations=list(Recommendation.objects.filter(source=Source.DEMO, text__icontains="women")[:2]),
        institutions=[institutions["MDDSZ"], institutions["MNZ"]],
    )
    # Demonstration only: the deadline passed ten days ago, so the secretariat sees who is late.
    InformationRequest.objects.filter(pk=earlier.pk).update(deadline=today - timedelta(days=10))
    return 2


def _report_drafts(institutions: dict, actor) -> int:
    """A UPR mid-term report draft, written, and shared for comment with the ombudsman and the Ministry of Justice."""
    from rectrack.audit.services import create_tracked
    from rectrack.reporting import services as reporting
    from rectrack.reporting.models import DraftState, ReportDraft, ReportKind

    if ReportDraft.objects.exists():
        return 0
    today = timezone.localdate()
    # Written here rather than by the task queue, so the demo starts with it ready.
    asked = create_tracked(
        model=ReportDraft,
        actor=actor,
        fields={
            "title": "UPR mid-term report, third cycle",
            "report": ReportKind.UPR_MIDTERM,
            "mechanism": Mechanism.objects.get(acronym="UPR"),
            "period_start": date(2020, 1, 1),
            "period_end": today,
            "group_by": "theme",
        },
    )
    draft = reporting.draft_generate(asked)
    if draft.state == DraftState.DONE:
        reporting.draft_share(
            actor=actor, draft=draft, institutions=[institutions["VČP"], institutions["MJU"]],
            deadline=today + timedelta(days=10),
        )  # fmt: skip
    return 1


@transaction.atomic
def load_demo(*, actor=None) -> dict[str, int]:
    """Load the demonstration data; running it again adds nothing twice."""
    rng = random.Random(20141107)
    seed_taxonomy()
    seed_mechanisms()
    institutions = _institutions()
    recommendations = _recommendations(institutions, rng)
    projects = _projects(institutions, actor)
    activities = _activities(institutions, projects, actor, rng)
    indicators = _indicators(institutions, projects, actor)
    events = _calendar_events(institutions, actor)
    requests = _information_requests(institutions, actor)
    drafts = _report_drafts(institutions, actor)
    suggested, grouped = _suggestions(actor)
    if not InstanceSettings.objects.exists():
        # A new demo shows a public portal; an administrator's own choice is never overridden.
        instance_services.portal_rules_update(
            actor=actor, publish_recommendations=True, publish_projects=True, publish_activities=True
        )
    return {
        "institutions": len(institutions),
        "recommendations added": recommendations,
        "projects": len(projects),
        "activities added": activities,
        "indicators added": indicators,
        "calendar events added": events,
        "information requests added": requests,
        "report drafts added": drafts,
        "labels suggested": suggested,
        "groups of similar recommendations added": grouped,
    }


def _suggestions(actor) -> tuple[int, int]:
    """Train the label model on the demo's classified recommendations (the 2014 ones have no SDGs, so they get
    SDG suggestions), index the texts, and group one ask repeated across the three cycles."""
    from collections import Counter

    from rectrack.recommendations.models import RecommendationGroup
    from rectrack.suggestions import services as suggestions
    from rectrack.suggestions.models import PossibleDuplicate, Suggestion
    from rectrack.suggestions.similarity import clean

    if suggestions.active_model() is None:
        suggestions.model_train(suggestions.model_request(actor=actor))
    suggestions.index_run(rebuild=False)
    grouped = 0
    if not RecommendationGroup.objects.exists():
        # The set of possible duplicates that spans the most documents (cycles).
        by_documents = Counter(
            number
            for number, _document in set(PossibleDuplicate.objects.values_list("number", "recommendation__document_id"))
        )
        if by_documents:
            number, _count = by_documents.most_common(1)[0]
            members = list(Recommendation.objects.filter(possible_duplicate__number=number).select_related("document"))
            if len(members) > 1:
                title = clean(members[0].text)[:120]
                recommendation_services.group_create(title=title, recommendations=members, actor=actor)
                grouped = 1
    return Suggestion.objects.filter(state="pending").count(), grouped

import os
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from rectrack.accounts.models import Role, User
from rectrack.institutions.models import Institution, InstitutionKind, Membership, MembershipKind
from rectrack.planning import services as planning
from rectrack.planning.models import ActivityStatus, ProjectStatus
from rectrack.recommendations import services as recs
from rectrack.recommendations.models import ImplementationStatus, Mechanism, UprPosition
from rectrack.recommendations.seed import seed_mechanisms
from rectrack.taxonomy.models import Term
from rectrack.taxonomy.seed import seed_taxonomy

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
IN_CI = os.environ.get("CI", "").lower() == "true"
ROLES = [Role.ADMINISTRATOR, Role.COORDINATOR, Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.VIEWER]


def shared_data(relative: str) -> Path:
    """A file of ../shared/data; skips the test when it is absent, except in CI."""
    path = SHARED_DATA / relative
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing: CI needs ../shared/data beside the repository.")
        pytest.skip(f"{path} is not here (it sits beside the repository in development); skipped.")
    return path


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the vocabularies and mechanisms once; each test rolls back its own changes."""
    with django_db_blocker.unblock():
        seed_taxonomy()
        seed_mechanisms()


class World:
    """A small instance: two ministries, one user per role, a few recommendations."""

    def __init__(self):
        self.justice = Institution.objects.create(name="Ministry of Justice", acronym="MJ")
        self.interior = Institution.objects.create(name="Ministry of the Interior", acronym="MI")
        self.nhri = Institution.objects.create(name="Ombudsman", kind=InstitutionKind.NHRI)
        self.users = {}
        for role in ROLES:
            user = User.objects.create_user(
                username=role.value, password="a-long-test-password", role=role, first_name=role.label
            )
            self.users[role] = user
        Membership.objects.create(
            user=self.users[Role.FOCAL_POINT], institution=self.justice, kind=MembershipKind.MAIN_FOCAL_POINT
        )
        Membership.objects.create(user=self.users[Role.CONTRIBUTOR], institution=self.nhri)
        self.admin = self.users[Role.ADMINISTRATOR]
        self.upr = Mechanism.objects.get(acronym="UPR")
        self.cedaw = Mechanism.objects.get(acronym="CEDAW")
        self.country = recs.country_get_or_create(name="Slovenia")
        self.document = recs.document_get_or_create(
            symbol="A/HRC/43/15", mechanism=self.upr, country=self.country, date=date(2019, 11, 15), upr_session=34
        )
        self.cedaw_document = recs.document_get_or_create(
            symbol="CEDAW/C/SVN/CO/7", mechanism=self.cedaw, country=self.country, date=date(2023, 3, 1)
        )
        theme = Term.objects.get(vocabulary__slug="uhri-themes-current", label="Right to education")
        torture = Term.objects.get(
            vocabulary__slug="uhri-themes-current",
            label="Prohibition of torture & ill-treatment (including cruel, inhuman or degrading treatment)",
        )
        women = Term.objects.get(vocabulary__slug="uhri-affected-persons-current", label="Women & girls")
        self.education_theme, self.torture_theme = theme, torture
        self.sdg_4_1 = Term.objects.get(vocabulary__slug="sdg-2030", code="4.1")
        self.sdg_16 = Term.objects.get(vocabulary__slug="sdg-2030", code="16")
        ukraine = recs.country_get_or_create(name="Ukraine")
        self.education = recs.recommendation_create(
            actor=self.admin,
            document=self.document,
            text="121.2 Ensure inclusive education for Roma children and improve school attendance (Ukraine);",
            recommending_states=[ukraine],
            upr_position=UprPosition.SUPPORTED,
            themes=[theme],
            sdgs=[self.sdg_4_1],
            lead_institution=self.justice,
        )
        self.torture = recs.recommendation_create(
            actor=self.admin,
            document=self.document,
            text="121.10 Investigate all allegations of torture and ill-treatment by police officers;",
            upr_position=UprPosition.NOTED,
            themes=[torture],
            sdgs=[self.sdg_16],
            lead_institution=self.interior,
            status=ImplementationStatus.IN_PROGRESS,
        )
        self.women = recs.recommendation_create(
            actor=self.admin,
            document=self.cedaw_document,
            text="25. The Committee recommends that the State party adopt a strategy to combat violence against women.",
            affected_persons=[women],
            status=ImplementationStatus.FULLY_IMPLEMENTED,
        )
        self.project = planning.project_create(actor=self.admin, name="Education for all", status=ProjectStatus.ACTIVE)
        recs.recommendation_assign_to_projects(recommendation=self.education, projects=[self.project], actor=self.admin)
        self.activity = planning.activity_create(
            actor=self.admin,
            title="Train teachers on inclusive education",
            lead_institution=self.justice,
            status=ActivityStatus.IN_PROGRESS,
            budget_amount=Decimal("100000"),
            budget_currency="EUR",
            deadline=timezone.localdate() + timedelta(days=30),
            recommendations=[self.education],
            projects=[self.project],
        )
        self.interior_activity = planning.activity_create(
            actor=self.admin,
            title="Independent police complaints body",
            lead_institution=self.interior,
            status=ActivityStatus.PLANNED,
            deadline=timezone.localdate() - timedelta(days=10),
            recommendations=[self.torture],
        )

    def user(self, role) -> User:
        return self.users[role]


def listed_ids(client, url: str, **params) -> set[int]:
    """The ids a list page shows for these query parameters."""
    response = client.get(url, params)
    assert response.status_code == 200
    return {obj.pk for obj in response.context["page"].object_list}


@pytest.fixture
def world(db) -> World:
    return World()


@pytest.fixture
def client_for(client):
    """A test client logged in as a role, or anonymous for None."""

    def login(world: World, role):
        if role is not None:
            client.force_login(world.user(role))
        return client

    return login


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (filter lists are cached)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _private_files(tmp_path, settings):
    """Each test keeps its attachments, label models and similarity indexes in its own folders."""
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    settings.RECTRACK_MODELS_DIR = tmp_path / "models"


@pytest.fixture(autouse=True)
def _english_first():
    """Each test starts in English: a request in another language leaves it active in the thread."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


def written_draft(world):
    """A report draft of the UPR recommendations, written (its Word file in private storage)."""
    from rectrack.reporting.models import ReportDraft
    from rectrack.reporting.services import draft_generate

    draft = ReportDraft.objects.filter(state="done").first()
    if draft is None:
        draft = ReportDraft.objects.create(
            title="UPR mid-term report", mechanism=world.upr, period_start=date(2020, 1, 1),
            period_end=date(2024, 12, 31), created_by=world.admin,
        )  # fmt: skip
        draft_generate(draft)
    return draft


def tiny_label_model(world):
    """A label model in use, trained on the spot on a few dozen synthetic texts for the world's themes and
    affected persons (the world itself is too small to learn from)."""
    from rectrack.suggestions import training
    from rectrack.suggestions.classifiers import SuggestionModel
    from rectrack.suggestions.models import LabelModel, ModelState

    existing = LabelModel.objects.filter(state=ModelState.READY, file_name="tiny-test-model.joblib").first()
    if existing and (training.models_dir() / existing.file_name).exists():
        return existing
    women = Term.objects.get(vocabulary__slug="uhri-affected-persons-current", label="Women & girls")
    children = Term.objects.get(vocabulary__slug="uhri-affected-persons-current", label="Children")
    texts, themes, groups = [], [], []
    for number in range(20):
        texts.append(f"Combat violence against women and protect victims of domestic abuse, plan {number}")
        themes.append((str(world.torture_theme.pk),))
        groups.append((str(women.pk),))
        texts.append(f"Ensure inclusive education and school attendance for all children, plan {number}")
        themes.append((str(world.education_theme.pk),))
        groups.append((str(children.pk),))
    model = SuggestionModel()
    X = model.fit_features(texts)
    for kind, labels in (("theme", themes), ("affected_persons", groups)):
        model.fit_head(kind, X, labels)  # confidences by the default curve: too few texts to fit one
    training.save(model, "tiny-test-model.joblib")
    return LabelModel.objects.create(
        state=ModelState.READY, file_name="tiny-test-model.joblib", finished_at=timezone.now(),
        figures={"theme": {"recommendations": 40, "labels": 2, "held_out": 0, "precision": 1.0, "recall": 1.0,
                           "micro_f1": 1.0}},
    )  # fmt: skip


def pending_suggestion(world, *, recommendation=None, term=None, confidence: float = 0.8):
    """A suggestion to review: the education theme for the CEDAW recommendation, which has no theme."""
    from rectrack.suggestions.models import Suggestion

    return Suggestion.objects.get_or_create(
        recommendation=recommendation or world.women,
        term=term or world.education_theme,
        defaults={"kind": "theme", "confidence": confidence},
    )[0]


def plain_group(world, members=None):
    """A group of similar recommendations (the education and torture ones), made without linking its members to
    each other's activities, so that the group has gaps to link."""
    from rectrack.recommendations.models import Recommendation, RecommendationGroup

    group = RecommendationGroup.objects.filter(title="Children in school").first()
    if group is None:
        group = RecommendationGroup.objects.create(title="Children in school")
        ids = [rec.pk for rec in (members or [world.education, world.torture])]
        Recommendation.objects.filter(pk__in=ids).update(group=group)
    return group

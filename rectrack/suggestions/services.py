"""Every write of the suggestions: training the model, suggesting labels, accepting and rejecting them, and the
index of similar recommendations."""

import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.core.cache import caches
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rectrack.audit.models import Action
from rectrack.audit.services import bump_versions, record_events
from rectrack.recommendations.models import Recommendation
from rectrack.suggestions import index as text_index
from rectrack.suggestions import selectors, training
from rectrack.suggestions.models import LabelModel, ModelState, SimilarityIndex, Suggestion, SuggestionState
from rectrack.taxonomy.models import Term

PROGRESS_SECONDS = 24 * 3600
CHUNK = 2000


class AlreadyDecided(Exception):
    """The suggestion was accepted or rejected by someone else meanwhile; the message says by whom."""


def progress_key(kind: str, pk: int) -> str:
    return f"suggestions-progress:{kind}:{pk}"


def progress(kind: str, pk: int) -> dict:
    return caches["shared"].get(progress_key(kind, pk)) or {"fraction": 0.0, "step": ""}


def _report(kind: str, pk: int, step: str, fraction: float) -> None:
    caches["shared"].set(progress_key(kind, pk), {"fraction": fraction, "step": step}, PROGRESS_SECONDS)


# ---------------------------------------------------------------- the model


def active_model() -> LabelModel | None:
    """The newest ready label model whose file is here."""
    for model in LabelModel.objects.filter(state=ModelState.READY).order_by("-finished_at", "-id")[:3]:
        if (training.models_dir() / model.file_name).exists():
            return model
    return None


def model_request(*, actor, then_suggest: bool = True) -> LabelModel:
    """Queue a training of the label model (Settings › Suggestions); a training already queued or running is
    returned instead of a second one."""
    waiting = LabelModel.objects.filter(state__in=[ModelState.QUEUED, ModelState.RUNNING]).first()
    if waiting:
        return waiting
    return LabelModel.objects.create(requested_by=actor if actor and actor.pk else None, then_suggest=then_suggest)


def model_train(model: LabelModel, *, on_progress: Callable[[str, float], None] | None = None) -> LabelModel:
    """Train a requested label model now (the task, the command); then, if asked, suggest labels for every
    recommendation lacking them. Never raises for the data: a model that cannot be trained fails with a message."""
    model.state, model.started_at = ModelState.RUNNING, timezone.now()
    model.save(update_fields=["state", "started_at"])

    def say(step: str, fraction: float) -> None:
        _report("model", model.pk, step, fraction)
        if on_progress:
            on_progress(step, fraction)

    trained = training.train(say=say)
    if trained.model is None:
        model.state = ModelState.FAILED
        model.message = _(
            "There are too few labelled recommendations to learn from: each kind of label needs "
            "%(count)s recommendations that carry it, and each label %(examples)s. Import or classify more "
            "recommendations, then train again."
        ) % {"count": training.MIN_RECOMMENDATIONS, "examples": training.MIN_EXAMPLES}
    else:
        model.file_name = f"labels-{model.pk}-{secrets.token_hex(4)}.joblib"
        training.save(trained.model, model.file_name)
        model.figures = trained.figures
        model.state = ModelState.READY
    model.finished_at = timezone.now()
    model.save(update_fields=["state", "message", "file_name", "figures", "finished_at"])
    _forget_old_models(keep=model)
    if model.state == ModelState.READY and model.then_suggest:
        say("suggest", 0.97)
        suggest(model=model)
    caches["shared"].delete(progress_key("model", model.pk))
    return model


def _forget_old_models(*, keep: LabelModel) -> None:
    """Only the model in use keeps its file; older rows stay, with their figures, as the training history."""
    for old in LabelModel.objects.filter(state=ModelState.READY).exclude(pk=keep.pk).exclude(file_name=""):
        (training.models_dir() / old.file_name).unlink(missing_ok=True)
        old.file_name = ""
        old.save(update_fields=["file_name"])


# ---------------------------------------------------------------- suggesting


def suggest(
    *,
    model: LabelModel | None = None,
    recommendations: QuerySet | None = None,
    on_progress: Callable[[float], None] | None = None,
) -> int:
    """Suggest labels, with the model in use, for each of `recommendations` (default: all) that lacks labels of a
    kind the model knows. Pending suggestions of an older model for those kinds are replaced; a label once
    rejected or accepted is not suggested again. Returns how many suggestions were made."""
    model = model or active_model()
    learnt = training.load(model.file_name) if model else None
    if learnt is None:
        return 0
    recommendations = Recommendation.objects.all() if recommendations is None else recommendations
    wanted: dict[int, list[str]] = defaultdict(list)
    for kind in learnt.heads:
        for pk in selectors.lacking(kind, recommendations).values_list("pk", flat=True).iterator(chunk_size=20_000):
            wanted[pk].append(kind)
    ids = sorted(wanted)
    terms = dict(Term.objects.values_list("pk", "status"))
    made = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        made += _suggest_chunk(model, learnt, chunk, wanted, terms)
        if on_progress:
            on_progress(min(1.0, (start + CHUNK) / len(ids)))
    return made


@transaction.atomic
def _suggest_chunk(model: LabelModel, learnt, chunk: list[int], wanted: dict[int, list[str]], terms: dict) -> int:
    texts = training.texts_of(chunk)
    chunk = [pk for pk in chunk if pk in texts]
    X = learnt.transform([texts[pk] for pk in chunk])
    decided = set(
        Suggestion.objects.filter(recommendation_id__in=chunk)
        .exclude(state=SuggestionState.PENDING)
        .values_list("recommendation_id", "term_id")
    )
    rows = []
    by_kind: dict[str, list[int]] = defaultdict(list)
    for at, pk in enumerate(chunk):
        for kind in wanted[pk]:
            by_kind[kind].append(at)
    for kind, positions in by_kind.items():
        Suggestion.objects.filter(
            recommendation_id__in=[chunk[at] for at in positions], kind=kind, state=SuggestionState.PENDING
        ).delete()
        for at, found in zip(positions, learnt.suggest(kind, X[positions]), strict=True):
            for label, confidence in found:
                term_id = int(label)
                if term_id not in terms or (chunk[at], term_id) in decided:
                    continue
                rows.append(
                    Suggestion(
                        recommendation_id=chunk[at], term_id=term_id, kind=kind, confidence=round(confidence, 4),
                        model=model,
                    )
                )  # fmt: skip
    Suggestion.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(rows)


def suggest_for(*, recommendation: Recommendation) -> int:
    """Suggest labels for one recommendation now (its page's "Suggest labels")."""
    return suggest(recommendations=Recommendation.objects.filter(pk=recommendation.pk))


# ---------------------------------------------------------------- deciding


def _pending_locked(suggestions: Iterable[Suggestion] | QuerySet) -> list[Suggestion]:
    """The suggestions still to decide among these, locked until the transaction ends (PostgreSQL re-reads rows
    another transaction decided meanwhile, and leaves them out)."""
    ids = [item.pk for item in suggestions] if not isinstance(suggestions, QuerySet) else suggestions.values("pk")
    return list(
        Suggestion.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, state=SuggestionState.PENDING)
        .select_related("term__maps_to", "term__vocabulary")
        .order_by("recommendation_id", "kind", "-confidence")
    )


def _refuse_if_decided(wanted: list[Suggestion], pending: list[Suggestion]) -> None:
    if len(wanted) == 1 and not pending:
        other = Suggestion.objects.select_related("decided_by").get(pk=wanted[0].pk)
        name = other.decided_by or _("Someone")
        if other.state == SuggestionState.ACCEPTED:
            raise AlreadyDecided(_("%(name)s already accepted this suggestion.") % {"name": name})
        raise AlreadyDecided(_("%(name)s already rejected this suggestion.") % {"name": name})


_READ_BACK = Recommendation.objects.select_related("document").only("pk", "version", "paragraph", "document__symbol")


@transaction.atomic
def suggestions_accept(*, suggestions: Iterable[Suggestion] | QuerySet, actor) -> int:
    """Accept suggestions: each adds its term to its recommendation, and each recommendation gets one new version
    and one history entry naming the labels added and that they were accepted suggestions (with their
    confidence). Suggestions already decided are left as they are. Returns how many were accepted."""
    wanted = list(suggestions) if not isinstance(suggestions, QuerySet) else None
    pending = _pending_locked(suggestions if wanted is None else wanted)
    if wanted is not None:
        _refuse_if_decided(wanted, pending)
    if not pending:
        return 0
    added: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    accepted_labels: dict[int, list[str]] = defaultdict(list)
    links = defaultdict(set)  # relation -> {(recommendation id, term id)}
    for item in pending:
        term = item.term.maps_to if item.term.maps_to_id else item.term
        links[training.RELATIONS[item.kind]].add((item.recommendation_id, term.pk))
        added[item.recommendation_id][training.RELATIONS[item.kind]].append(str(term))
        accepted_labels[item.recommendation_id].append(f"{term} ({item.percent}%)")
    for relation, pairs in links.items():
        through = Recommendation._meta.get_field(relation).remote_field.through
        present = set(
            through.objects.filter(recommendation_id__in={pk for pk, _term in pairs}).values_list(
                "recommendation_id", "term_id"
            )
        )
        through.objects.bulk_create(
            [through(recommendation_id=pk, term_id=term) for pk, term in sorted(pairs - present)], batch_size=5000
        )
    now = timezone.now()
    Suggestion.objects.filter(pk__in=[item.pk for item in pending]).update(
        state=SuggestionState.ACCEPTED, decided_by=actor if actor and actor.pk else None, decided_at=now
    )
    changed = bump_versions(_READ_BACK, sorted(added))
    record_events(
        actor=actor,
        instances=changed,
        action=Action.UPDATED,
        changes_for=lambda rec: {
            **{relation: {"added": sorted(labels), "removed": []} for relation, labels in added[rec.pk].items()},
            "accepted suggestions": {"added": sorted(accepted_labels[rec.pk]), "removed": []},
        },
    )
    return len(pending)


@transaction.atomic
def suggestions_reject(*, suggestions: Iterable[Suggestion] | QuerySet, actor) -> int:
    """Reject suggestions: they are kept, marked rejected by the actor, and never suggested again; the
    recommendations do not change. Returns how many were rejected."""
    wanted = list(suggestions) if not isinstance(suggestions, QuerySet) else None
    pending = _pending_locked(suggestions if wanted is None else wanted)
    if wanted is not None:
        _refuse_if_decided(wanted, pending)
    return Suggestion.objects.filter(pk__in=[item.pk for item in pending]).update(
        state=SuggestionState.REJECTED, decided_by=actor if actor and actor.pk else None, decided_at=timezone.now()
    )


# ---------------------------------------------------------------- the index of similar recommendations


def index_request() -> SimilarityIndex:
    """Queue a build of the index of similar recommendations; one already waiting is returned."""
    return text_index.request()


def index_run(
    index: SimilarityIndex | None = None,
    *,
    rebuild: bool = False,
    on_progress: Callable[[str, float], None] | None = None,
) -> SimilarityIndex:
    """Build the index now (`rebuild`), or bring it up to date with the recommendations added or changed since it
    was built (the task, the command); progress goes to the shared cache for the Settings page."""
    index = index or text_index.request()

    def say(step: str, fraction: float) -> None:
        _report("index", index.pk, step, fraction)
        if on_progress:
            on_progress(step, fraction)

    run = text_index.build if rebuild else text_index.refresh
    done = run(index=index, on_progress=say)
    caches["shared"].delete(progress_key("index", index.pk))
    return done

"""Training, suggesting and indexing run as background tasks (django-tasks), so they never hold up a page."""

from django.conf import settings
from django.db.models import Q
from django_tasks import task

from rectrack.imports.models import ImportRun, ImportState
from rectrack.recommendations.models import Recommendation
from rectrack.suggestions import services, training
from rectrack.suggestions.models import LabelModel, ModelState, SimilarityIndex


@task()
def train_label_model(model_id: int) -> str:
    model = LabelModel.objects.filter(pk=model_id, state=ModelState.QUEUED).first()
    if model is None:  # already trained
        return "skipped"
    return services.model_train(model).state


@task()
def build_index(index_id: int, rebuild: bool = False) -> str:
    index = SimilarityIndex.objects.filter(pk=index_id, state=ModelState.QUEUED).first()
    if index is None:
        return "skipped"
    return services.index_run(index, rebuild=rebuild).state


@task()
def suggest_all() -> int:
    """Suggest labels for every recommendation lacking them, with the model in use."""
    return services.suggest()


@task()
def after_import(run_id: int) -> str:
    """After an import: suggest labels for the recommendations it added or changed (training a first model when
    there is none and the instance now holds enough labelled recommendations), then bring the index of similar
    recommendations up to date."""
    run = ImportRun.objects.filter(pk=run_id, state=ImportState.SUCCEEDED).first()
    if run is None:
        return "skipped"
    model = services.active_model()
    if model is None:
        if training.enough_to_train():
            services.model_train(services.model_request(actor=None))
    else:
        touched = Recommendation.objects.filter(Q(created_at__gte=run.started_at) | Q(updated_at__gte=run.started_at))
        services.suggest(model=model, recommendations=touched)
    services.index_run(services.index_request())
    return "done"


def queue_after_import(run: ImportRun) -> None:
    """Suggest and index after a successful import, unless RECTRACK_SUGGEST_AFTER_IMPORT is false."""
    if not settings.RECTRACK_SUGGEST_AFTER_IMPORT:
        return
    if run.state == ImportState.SUCCEEDED and (run.created or run.updated):
        after_import.enqueue(run.pk)


def queue_training(model: LabelModel) -> None:
    train_label_model.enqueue(model.pk)


def queue_index(index: SimilarityIndex, *, rebuild: bool = False) -> None:
    build_index.enqueue(index.pk, rebuild)

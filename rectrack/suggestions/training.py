"""Training the label model on the recommendations the instance already holds, and keeping it on disk.

What it learns: for each vocabulary kind (themes, affected persons, SDG goals and targets, national clusters),
the terms of the current vocabularies (a legacy or imported label counts as the current term it maps to), from
every recommendation that has at least one of them. A term needs `MIN_EXAMPLES` recommendations to be
learnt; a kind needs `MIN_RECOMMENDATIONS`. A fifth of each kind's recommendations is first kept aside to
measure the model and fit its confidences; the model is then trained again on all of them.
"""

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
from django.conf import settings

from rectrack.recommendations.models import Recommendation
from rectrack.suggestions.classifiers import SuggestionModel, choose_labels
from rectrack.taxonomy.models import Term, TermStatus, VocabularyKind

KINDS = (VocabularyKind.THEME, VocabularyKind.AFFECTED_PERSONS, VocabularyKind.SDG, VocabularyKind.NATIONAL_CLUSTER)
RELATIONS = {
    VocabularyKind.THEME: "themes",
    VocabularyKind.AFFECTED_PERSONS: "affected_persons",
    VocabularyKind.SDG: "sdgs",
    VocabularyKind.NATIONAL_CLUSTER: "clusters",
}
MIN_EXAMPLES = 5
MIN_RECOMMENDATIONS = 30
TRAINING_LIMIT = 40_000  # recommendations per kind (a random sample above this)
HELD_OUT = 0.2
FORMAT = 1


def models_dir() -> Path:
    path = Path(settings.RECTRACK_MODELS_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def suggestible_terms(kind: str) -> dict[int, int]:
    """{term id: the id of the current term it stands for}, for every term of `kind` a label can be learnt for:
    current, not retired terms (reviewed, or national clusters), and the legacy or unreviewed terms mapped to one."""
    terms = Term.objects.filter(vocabulary__kind=kind).values_list(
        "pk", "maps_to_id", "status", "vocabulary__is_current", "maps_to__status", "maps_to__vocabulary__is_current"
    )
    found = {}
    for pk, maps_to, status, current, target_status, target_current in terms:
        if maps_to and target_current and target_status != TermStatus.RETIRED:
            found[pk] = maps_to
        elif current and status != TermStatus.RETIRED and not maps_to:
            found[pk] = pk
    return found


def _parents(kind: str) -> dict[int, int]:
    """SDG targets' goals: a recommendation tagged with 16.2 teaches goal 16 as well."""
    if kind != VocabularyKind.SDG:
        return {}
    return dict(Term.objects.filter(vocabulary__kind=kind, parent__isnull=False).values_list("pk", "parent_id"))


def labels_by_recommendation(kind: str, recommendation_ids: Iterable[int] | None = None) -> dict[int, set[int]]:
    """{recommendation id: the current term ids of `kind` it carries}, for recommendations with any."""
    relation = RELATIONS[kind]
    through = Recommendation._meta.get_field(relation).remote_field.through
    usable, parents = suggestible_terms(kind), _parents(kind)
    rows = through.objects.all()
    if recommendation_ids is not None:
        rows = rows.filter(recommendation_id__in=list(recommendation_ids))
    found = defaultdict(set)
    for recommendation_id, term_id in rows.values_list("recommendation_id", "term_id").iterator(chunk_size=20_000):
        term = usable.get(term_id)
        if term is None:
            continue
        found[recommendation_id].add(term)
        if term in parents and parents[term] in usable:
            found[recommendation_id].add(usable[parents[term]])
    return found


def enough_to_train() -> bool:
    """Whether some kind of label has enough labelled recommendations to learn from."""
    for kind in KINDS:
        through = Recommendation._meta.get_field(RELATIONS[kind]).remote_field.through
        terms = list(suggestible_terms(kind))
        labelled = through.objects.filter(term_id__in=terms).values("recommendation_id").distinct()
        if labelled[:MIN_RECOMMENDATIONS].count() >= MIN_RECOMMENDATIONS:
            return True
    return False


def texts_of(ids: set[int] | list[int]) -> dict[int, str]:
    """The recommendations' original texts, by id."""
    wanted = set(ids)
    if len(wanted) <= 2000:
        return dict(Recommendation.objects.filter(pk__in=list(wanted)).values_list("pk", "text"))
    found = {}
    for pk, text in Recommendation.objects.order_by("pk").values_list("pk", "text").iterator(chunk_size=5000):
        if pk in wanted:
            found[pk] = text
    return found


@dataclass
class Trained:
    model: SuggestionModel
    figures: dict  # per kind: recommendations, labels, held_out, precision, recall, micro_f1


def _scores(gold: np.ndarray, chosen: np.ndarray) -> dict[str, float]:
    right = int((gold & chosen).sum())
    precision = right / max(1, int(chosen.sum()))
    recall = right / max(1, int(gold.sum()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "micro_f1": round(f1, 4)}


def train(*, seed: int = 0, say: Callable[[str, float], None] = lambda text, fraction: None) -> Trained:
    """Train the model on the instance's labelled recommendations (see the module's docstring)."""
    rng = np.random.default_rng(seed)
    examples: dict[str, dict[int, set[int]]] = {}
    for kind in KINDS:
        labelled = labels_by_recommendation(kind)
        counts = defaultdict(int)
        for terms in labelled.values():
            for term in terms:
                counts[term] += 1
        kept = {term for term, count in counts.items() if count >= MIN_EXAMPLES}
        labelled = {pk: terms & kept for pk, terms in labelled.items() if terms & kept}
        if len(labelled) < MIN_RECOMMENDATIONS or not kept:
            continue
        if len(labelled) > TRAINING_LIMIT:
            chosen = rng.choice(sorted(labelled), TRAINING_LIMIT, replace=False)
            labelled = {int(pk): labelled[int(pk)] for pk in chosen}
        examples[kind] = labelled
    model = SuggestionModel()
    figures: dict[str, dict] = {}
    if not examples:
        return Trained(model=None, figures={})
    ids = sorted(set().union(*(set(labelled) for labelled in examples.values())))
    say("texts", 0.05)
    texts = texts_of(ids)
    row = {pk: at for at, pk in enumerate(ids)}
    say("features", 0.1)
    X = model.fit_features([texts[pk] for pk in ids])
    for step, (kind, labelled) in enumerate(examples.items()):
        started = time.monotonic()
        say(kind, 0.15 + 0.8 * step / len(examples))
        pks = np.array(sorted(labelled))
        rows = np.array([row[pk] for pk in pks])
        labels = [tuple(str(term) for term in sorted(labelled[pk])) for pk in pks]
        aside = rng.random(len(pks)) < HELD_OUT
        learn, check = np.flatnonzero(~aside), np.flatnonzero(aside)
        head = model.fit_head(kind, X[rows[learn]], [labels[at] for at in learn])
        scores = head.scores(X[rows[check]])
        gold = np.zeros(scores.shape, dtype=bool)
        column = {label: at for at, label in enumerate(head.labels)}
        for line, at in enumerate(check):
            for label in labels[at]:
                if label in column:
                    gold[line, column[label]] = True
        measured = _scores(gold, choose_labels(scores, model.THRESHOLD, at_most=model.AT_MOST))
        calibration = (scores, gold)
        head = model.fit_head(kind, X[rows], labels)
        head.calibrate(*calibration)
        figures[kind] = {
            "recommendations": len(pks),
            "labels": len(head.labels),
            "held_out": len(check),
            **measured,
            "seconds": round(time.monotonic() - started, 1),
        }
    model.features_count = X.shape[1]
    return Trained(model=model, figures=figures)


def save(model: SuggestionModel, name: str) -> Path:
    path = models_dir() / name
    joblib.dump({"format": FORMAT, "model": model}, path, compress=3)
    return path


_loaded: dict[tuple, SuggestionModel] = {}


def load(name: str) -> SuggestionModel | None:
    """The model saved under `name` (kept in memory after the first use), or None when its file is gone."""
    path = models_dir() / name
    if not name or not path.exists():
        return None
    key = (str(path), path.stat().st_mtime_ns)  # another folder or a new file of that name is another model
    if key not in _loaded:
        stored = joblib.load(path)
        if stored.get("format") != FORMAT:
            return None
        _loaded.clear()  # one model in memory per process: the one in use
        _loaded[key] = stored["model"]
    return _loaded[key]

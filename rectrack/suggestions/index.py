"""The index of similar recommendations: built from every text in the database, kept as files (the fitted
representation, the ids and their meaning vectors, memory-mapped so that every process of a server shares one
copy) and as rows (each recommendation's most similar others, the sets of possible duplicates).

`build` fits the representation and finds every recommendation's neighbours; `refresh` keeps the fitted
representation and finds neighbours only for the recommendations added or whose text changed since, unless
they are too many; `search` and `similar_to_text` answer a query from the vectors.
"""

import secrets
import shutil
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from scipy import sparse

from rectrack.recommendations.models import Recommendation
from rectrack.suggestions import similarity
from rectrack.suggestions.models import ModelState, PossibleDuplicate, SimilarityIndex, SimilarPair
from rectrack.suggestions.training import models_dir

# A refresh that would re-read more than this share of the texts rebuilds the index instead.
REBUILD_SHARE = 0.3
# Search by meaning keeps the results scoring at least this, and at least this share of the best one's score.
SEARCH_MIN_SCORE = 0.02
SEARCH_RELATIVE = 0.4
SEARCH_LIMIT = 1000
MIN_TEXTS = 3
FORMAT = 1


@dataclass
class Loaded:
    name: str
    representation: similarity.Representation
    ids: np.ndarray
    meaning: np.ndarray  # memory-mapped, rows in the order of ids
    lexical: sparse.csr_matrix  # TF-IDF rows in the order of ids, over memory-mapped arrays
    digests: np.ndarray
    row_of: dict


_loaded: dict[str, Loaded] = {}


def _folder(name: str) -> Path:
    return models_dir() / name


def active() -> SimilarityIndex | None:
    for index in SimilarityIndex.objects.filter(state=ModelState.READY).order_by("-finished_at", "-id")[:3]:
        if index.file_name and (_folder(index.file_name) / "meaning.npy").exists():
            return index
    return None


def load(index: SimilarityIndex | None = None) -> Loaded | None:
    """The index in use (its files opened once per process), or None when there is none."""
    index = index or active()
    if index is None:
        return None
    folder = _folder(index.file_name)
    name = str(folder)  # the folder's full path: another models folder is another index
    if name not in _loaded:
        stored = joblib.load(folder / "representation.joblib")
        if stored.get("format") != FORMAT:
            return None
        ids = np.load(folder / "ids.npy")
        lexical = sparse.csr_matrix(
            tuple(np.load(folder / f"lexical-{part}.npy", mmap_mode="r") for part in ("data", "indices", "indptr")),
            shape=(len(ids), len(stored["representation"].tfidf.vocabulary_)),
        )
        _loaded.clear()
        _loaded[name] = Loaded(
            name=name,
            representation=stored["representation"],
            ids=ids,
            meaning=np.load(folder / "meaning.npy", mmap_mode="r"),
            lexical=lexical,
            digests=np.load(folder / "digests.npy"),
            row_of={int(pk): at for at, pk in enumerate(ids)},
        )
    return _loaded[name]


def _digest(text: str) -> int:
    return zlib.crc32(similarity.clean(text).encode())


def _all_texts() -> tuple[np.ndarray, list[str]]:
    ids, texts = [], []
    for pk, text in Recommendation.objects.order_by("pk").values_list("pk", "text").iterator(chunk_size=10_000):
        ids.append(pk)
        texts.append(text)
    return np.array(ids, dtype=np.int64), texts


def _save(index: SimilarityIndex, representation, ids, meaning, lexical, digests) -> None:
    name = f"index-{index.pk}-{secrets.token_hex(4)}"
    folder = _folder(name)
    folder.mkdir(parents=True, exist_ok=True)
    joblib.dump({"format": FORMAT, "representation": representation}, folder / "representation.joblib", compress=3)
    np.save(folder / "ids.npy", ids)
    np.save(folder / "meaning.npy", np.ascontiguousarray(meaning, dtype=np.float32))
    lexical = sparse.csr_matrix(lexical, dtype=np.float32)
    for part in ("data", "indices", "indptr"):
        np.save(folder / f"lexical-{part}.npy", getattr(lexical, part))
    np.save(folder / "digests.npy", digests)
    index.file_name = name


def _pairs(ids: np.ndarray, rows: np.ndarray, found: similarity.Neighbours):
    """The stored pairs of the queries `rows`, as (recommendation id, similar id, score) arrays."""
    keep = found.index >= 0
    start = np.repeat(ids[rows], found.index.shape[1]).reshape(found.index.shape)[keep]
    end = ids[found.index[keep]]
    return start, end, np.round(found.score[keep].astype(np.float64), 4)


PAIRS_CHUNK = 20_000


def _write_pairs(start: np.ndarray, end: np.ndarray, scores: np.ndarray, *, ignore_conflicts: bool = False) -> None:
    """Insert pairs a chunk at a time, so that 2.6 million never sit in memory as objects."""
    for at in range(0, len(start), PAIRS_CHUNK):
        chunk = zip(
            start[at : at + PAIRS_CHUNK], end[at : at + PAIRS_CHUNK], scores[at : at + PAIRS_CHUNK], strict=True
        )
        SimilarPair.objects.bulk_create(
            [SimilarPair(recommendation_id=int(a), similar_id=int(b), score=float(c)) for a, b, c in chunk],
            batch_size=5000,
            ignore_conflicts=ignore_conflicts,
        )


def _write_duplicates() -> int:
    """The sets of possible duplicates, from the stored pairs; returns how many recommendations are in one."""
    strong = SimilarPair.objects.filter(score__gte=similarity.DUPLICATE_SCORE).values_list(
        "recommendation_id", "similar_id", "score"
    )
    rows = np.array(list(strong.iterator(chunk_size=50_000)), dtype=np.float64).reshape(-1, 3)
    PossibleDuplicate.objects.all().delete()
    if not len(rows):
        return 0
    ids = np.unique(rows[:, :2].astype(np.int64))
    at = {int(pk): position for position, pk in enumerate(ids)}
    start = np.array([at[int(pk)] for pk in rows[:, 0]])
    end = np.array([at[int(pk)] for pk in rows[:, 1]])
    labels = similarity.duplicate_sets(len(ids), start, end, rows[:, 2])
    members = [
        PossibleDuplicate(number=int(label) + 1, recommendation_id=int(ids[position]))
        for position, label in enumerate(labels)
        if label >= 0
    ]
    PossibleDuplicate.objects.bulk_create(members, batch_size=5000)
    return len(members)


def _finish(index: SimilarityIndex, *, count: int, figures: dict) -> SimilarityIndex:
    index.state, index.finished_at, index.recommendations = ModelState.READY, timezone.now(), count
    index.figures = figures
    index.save()
    for old in SimilarityIndex.objects.exclude(pk=index.pk).exclude(file_name=""):
        shutil.rmtree(_folder(old.file_name), ignore_errors=True)
        old.file_name = ""
        old.save(update_fields=["file_name"])
    SimilarityIndex.objects.exclude(pk=index.pk).filter(state=ModelState.READY).delete()
    return index


def _noop(step: str, fraction: float) -> None:
    pass


def _running(index: SimilarityIndex | None) -> SimilarityIndex:
    index = index or SimilarityIndex()
    index.state, index.started_at = ModelState.RUNNING, timezone.now()
    index.save()
    return index


def request() -> SimilarityIndex:
    """Queue a build of the index (Settings › Suggestions, after an import); one already waiting is returned."""
    waiting = SimilarityIndex.objects.filter(state__in=[ModelState.QUEUED, ModelState.RUNNING]).first()
    return waiting or SimilarityIndex.objects.create()


def build(
    *, index: SimilarityIndex | None = None, on_progress: Callable[[str, float], None] | None = None
) -> SimilarityIndex:
    """Fit the representation on every text and find each recommendation's most similar others."""
    say = on_progress or _noop
    index = _running(index)
    timings = {}
    started = time.monotonic()
    say("texts", 0.02)
    ids, texts = _all_texts()
    if len(ids) < MIN_TEXTS:
        index.state, index.finished_at = ModelState.FAILED, timezone.now()
        index.message = _("There are too few recommendations to compare (at least %(count)s are needed).") % {
            "count": MIN_TEXTS
        }
        index.save()
        return index
    say("fit", 0.1)
    representation = similarity.Representation().fit(texts)
    say("vectors", 0.3)
    lexical = representation.lexical(texts)
    meaning = representation.meaning(lexical)
    timings["vectors_seconds"] = round(time.monotonic() - started, 1)
    say("neighbours", 0.45)
    rows = np.arange(len(ids))
    found = similarity.neighbours(lexical, meaning, lexical, meaning, exclude=rows)
    timings["neighbours_seconds"] = round(time.monotonic() - started - timings["vectors_seconds"], 1)
    say("pairs", 0.8)
    with transaction.atomic():
        SimilarPair.objects.all()._raw_delete(SimilarPair.objects.db)  # derived rows: nothing refers to them
        _write_pairs(*_pairs(ids, rows, found))
        duplicates = _write_duplicates()
    digests = np.array([_digest(text) for text in texts], dtype=np.uint32)
    _save(index, representation, ids, meaning, lexical, digests)
    timings["seconds"] = round(time.monotonic() - started, 1)
    return _finish(index, count=len(ids), figures={**timings, "in_duplicate_sets": duplicates})


def refresh(
    *, index: SimilarityIndex | None = None, on_progress: Callable[[str, float], None] | None = None
) -> SimilarityIndex:
    """Neighbours for the recommendations added or changed since the index was built, with the fitted
    representation; a rebuild when there is no index yet or too much changed."""
    say = on_progress or _noop
    current = active()
    loaded = load(current) if current else None
    if loaded is None:
        return build(index=index, on_progress=on_progress)
    say("texts", 0.05)
    started = time.monotonic()
    ids, texts = _all_texts()
    digests = np.array([_digest(text) for text in texts], dtype=np.uint32)
    changed = [
        at for at, (pk, digest) in enumerate(zip(ids, digests, strict=True))
        if loaded.row_of.get(int(pk)) is None or loaded.digests[loaded.row_of[int(pk)]] != digest
    ]  # fmt: skip
    if not changed and len(ids) == len(loaded.ids):
        if index is not None and index.pk != current.pk:
            index.delete()
        return current
    if len(changed) > REBUILD_SHARE * max(1, len(ids)):
        return build(index=index, on_progress=on_progress)
    index = _running(index)
    representation = loaded.representation
    say("vectors", 0.3)
    lexical = representation.lexical(texts)
    meaning = np.array(representation.meaning(lexical))
    rows = np.array(changed, dtype=np.int64)
    say("neighbours", 0.5)
    found = similarity.neighbours(lexical[rows], meaning[rows], lexical, meaning, exclude=rows)
    changed_ids = [int(ids[at]) for at in rows]
    with transaction.atomic():
        SimilarPair.objects.filter(recommendation_id__in=changed_ids).delete()
        SimilarPair.objects.filter(similar_id__in=changed_ids).delete()
        start, end, scores = _pairs(ids, rows, found)
        # The new and changed recommendations also join the lists of those they resemble.
        _write_pairs(np.concatenate([start, end]), np.concatenate([end, start]), np.concatenate([scores, scores]),
                     ignore_conflicts=True)  # fmt: skip
        duplicates = _write_duplicates()
    _save(index, representation, ids, meaning, lexical, digests)
    return _finish(
        index,
        count=len(ids),
        figures={
            "refreshed": len(changed),
            "seconds": round(time.monotonic() - started, 1),
            "in_duplicate_sets": duplicates,
        },
    )


def search(query: str, *, limit: int = SEARCH_LIMIT) -> list[tuple[int, float]]:
    """Recommendations about what `query` says, best first, as (id, score) pairs: the `limit` nearest by meaning,
    ranked by the index's blend of meaning and shared words (a text with the query's own words comes first, one
    about the same thing in other words still comes), down to SEARCH_RELATIVE of the best score. Empty without
    an index."""
    loaded = load()
    if loaded is None or not query.strip() or not len(loaded.ids):
        return []
    representation = loaded.representation
    query_lexical = representation.lexical([query])
    query_meaning = representation.meaning(query_lexical)
    if not np.any(query_meaning):
        return []
    scores = np.asarray(loaded.meaning @ query_meaning[0])
    count = min(limit, len(scores))
    top = np.argpartition(-scores, count - 1)[:count]
    shared = np.asarray((loaded.lexical[top] @ query_lexical.T.astype(np.float32)).todense()).ravel()
    blended = [
        (
            int(loaded.ids[at]),
            similarity.LEXICAL_WEIGHT * float(words) + (1 - similarity.LEXICAL_WEIGHT) * float(scores[at]),
        )
        for at, words in zip(top, shared, strict=True)
    ]
    blended.sort(key=lambda pair: -pair[1])
    if not blended:
        return []
    floor = max(SEARCH_MIN_SCORE, SEARCH_RELATIVE * blended[0][1])
    return [(pk, score) for pk, score in blended if score >= floor]


def similar_to_text(text: str, *, exclude_id: int | None = None) -> list[tuple[int, float]]:
    """The recommendations most similar to a text not yet in the index (a recommendation typed in since), by the
    same blend as the index; their texts are read from the database for the lexical part."""
    loaded = load()
    if loaded is None or not len(loaded.ids):
        return []
    representation = loaded.representation
    query_lexical = representation.lexical([text])
    query_meaning = representation.meaning(query_lexical)
    scores = np.asarray(loaded.meaning @ query_meaning[0])
    count = min(similarity.CANDIDATES + 1, len(scores))
    top = np.argpartition(-scores, count - 1)[:count]
    top = np.array([at for at in top if int(loaded.ids[at]) != exclude_id], dtype=np.int64)
    if not len(top):
        return []
    found = similarity.neighbours(query_lexical, query_meaning, loaded.lexical[top], np.asarray(loaded.meaning[top]))
    return [
        (int(loaded.ids[top[row]]), float(score))
        for row, score in zip(found.index[0], found.score[0], strict=True)
        if row >= 0
    ]

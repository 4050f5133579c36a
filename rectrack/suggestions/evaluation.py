"""Measuring the suggestion models against the baseline on the same split (train on earlier UPR sessions,
test on later ones, as an instance meets next year's recommendations)."""

import re
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import yaml
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score
from sklearn.preprocessing import MultiLabelBinarizer

from rectrack.suggestions import similarity
from rectrack.suggestions.classifiers import ActionModel, BaselineActionModel, BaselineIssueModel, IssueModel
from rectrack.suggestions.labelled import Labelled

LABEL_TASKS = ("issues", "themes", "affected", "sdg")  # multi-label: the issue model against the baseline
TASKS = (*LABEL_TASKS, "action", "similarity", "search")


def issue_scores(gold: list[tuple[str, ...]], predicted: list[tuple[str, ...]]) -> dict[str, float]:
    """Micro and macro F1 (macro: over every label in the gold standard or the predictions), micro precision and
    recall."""
    binarizer = MultiLabelBinarizer().fit([*gold, *predicted])
    y, p = binarizer.transform(gold), binarizer.transform(predicted)
    return {
        "micro_f1": f1_score(y, p, average="micro", zero_division=0),
        "macro_f1": f1_score(y, p, average="macro", zero_division=0),
        "precision": precision_score(y, p, average="micro", zero_division=0),
        "recall": recall_score(y, p, average="micro", zero_division=0),
    }


def action_scores(gold: list[str], predicted: list[str]) -> dict[str, float]:
    return {"accuracy": accuracy_score(gold, predicted), "macro_f1": f1_score(gold, predicted, average="macro")}


def _measure(model, train: list[Labelled], test: list[Labelled], task: str) -> dict:
    multi = task in LABEL_TASKS
    target = (lambda item: item.issues) if multi else (lambda item: item.action)
    started = time.perf_counter()
    model.fit([item.text for item in train], [target(item) for item in train])
    trained = time.perf_counter()
    predicted = model.predict([item.text for item in test])
    done = time.perf_counter()
    gold = [target(item) for item in test]
    scores = issue_scores(gold, predicted) if multi else action_scores(gold, predicted)
    return {
        **{name: round(float(value), 4) for name, value in scores.items()},
        "train_seconds": round(trained - started, 2),
        "predict_seconds": round(done - trained, 2),
    }


def evaluate(
    train: list[Labelled], test: list[Labelled], task: str, *, say: Callable[[str], None] = lambda line: None
) -> dict:
    """The product model's figures, with the baseline's under "baseline", for one task."""
    if task not in (*LABEL_TASKS, "action"):
        raise ValueError(f"Unknown task {task!r}: one of {', '.join(TASKS)}.")
    product, baseline = (
        (IssueModel(), BaselineIssueModel()) if task in LABEL_TASKS else (ActionModel(), BaselineActionModel())
    )
    say(f"Training the baseline on {len(train):,} recommendations…")
    base = _measure(baseline, train, test, task)
    say(f"Training the model on {len(train):,} recommendations…")
    figures = _measure(product, train, test, task)
    return {
        "task": task,
        "train": len(train),
        "test": len(test),
        **figures,
        "baseline": base,
    }


# Similar recommendations ------------------------------------------------------------------------------------


def _joint_groups(items: list[Labelled]) -> list[list[int]]:
    """Joint recommendations split per recommending State: the same text, to the same State under review in the
    same session, from several States (UPR Info gives a joint recommendation once per State)."""
    groups: dict[tuple, list[int]] = {}
    for at, item in enumerate(items):
        key = (item.state_under_review, item.session, " ".join(similarity.clean(item.text).casefold().split()))
        groups.setdefault(key, []).append(at)
    return [ids for ids in groups.values() if len({items[at].recommending_state for at in ids}) > 1]


def _label_agreement(items: list[Labelled], index: np.ndarray, top: int = 5) -> dict[str, float]:
    shared = any_shared = counted = 0
    for at, row in enumerate(index):
        neighbours = [other for other in row[:top] if other >= 0]
        if not neighbours:
            continue
        labels = set(items[at].issues)
        hits = [bool(labels & set(items[other].issues)) for other in neighbours]
        shared += sum(hits) / len(hits)
        any_shared += any(hits)
        counted += 1
    return {
        "top5_label_agreement": round(shared / max(1, counted), 4),
        "top5_any_label": round(any_shared / max(1, counted), 4),
    }


def evaluate_similarity(items: list[Labelled], *, say: Callable[[str], None] = lambda line: None) -> dict:
    """The index's figures on labelled recommendations: how often every part of a joint recommendation split per
    State lands in one set of possible duplicates (`joint_recall`), and how often the top 5 similar
    recommendations share an issue label with the recommendation (`top5_label_agreement`: the share of the 5
    that do, on average; `top5_any_label`: at least one does). The baseline is plain TF-IDF cosine (word 1-2-grams)."""
    texts = [item.text for item in items]
    say(f"Indexing {len(texts):,} recommendations…")
    started = time.perf_counter()
    representation = similarity.Representation().fit(texts, background=False)
    lexical = representation.lexical(texts)
    meaning = representation.meaning(lexical)
    found = similarity.neighbours(lexical, meaning, lexical, meaning, exclude=np.arange(len(texts)))
    index_seconds = time.perf_counter() - started
    rows = np.repeat(np.arange(len(texts)), found.index.shape[1])
    flat, scores = found.index.ravel(), found.score.ravel()
    keep = flat >= 0
    sets = similarity.duplicate_sets(len(texts), rows[keep], flat[keep], scores[keep])
    joint = _joint_groups(items)
    recall = np.mean([sets[ids[0]] >= 0 and len({sets[at] for at in ids}) == 1 for ids in joint]) if joint else 0.0
    say("Scoring the baseline (TF-IDF cosine)…")
    base_started = time.perf_counter()
    plain = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2).fit_transform(texts)
    base_index = np.zeros((len(texts), 5), dtype=np.int64)
    for start in range(0, len(texts), 2000):
        block = (plain[start : start + 2000] @ plain.T).toarray()
        block[np.arange(block.shape[0]), np.arange(start, start + block.shape[0])] = -1
        base_index[start : start + 2000] = np.argsort(-block, axis=1)[:, :5]
    sizes = np.bincount(sets[sets >= 0]) if (sets >= 0).any() else np.zeros(0, dtype=int)
    return {
        "task": "similarity",
        "recommendations": len(texts),
        "joint_groups": len(joint),
        "joint_members": sum(len(ids) for ids in joint),
        "joint_recall": round(float(recall), 4),
        **_label_agreement(items, found.index),
        "duplicate_sets": int(len(sizes)),
        "in_duplicate_sets": int(sizes.sum()),
        "largest_set": int(sizes.max()) if len(sizes) else 0,
        "index_seconds": round(index_seconds, 2),
        "baseline": {**_label_agreement(items, base_index), "seconds": round(time.perf_counter() - base_started, 2)},
    }


# Search by meaning ------------------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


QUERIES = Path(__file__).parent / "data" / "search-queries.yaml"


def _precision_at_10(items, ranked: list[int], label: str) -> float:
    return float(np.mean([label in items[at].issues for at in ranked[:10]])) if ranked else 0.0


def evaluate_search(items: list[Labelled], *, say: Callable[[str], None] = lambda line: None) -> dict:
    """Queries that name a subject in other words than its issue label (data/search-queries.yaml: "capital
    punishment and executions" for "Death penalty"): the share of the first 10 results that carry the label
    (precision at 10), by meaning (the index's search, as the product ranks it) and, as the baselines, by words:
    recommendations holding every word of the query (the full-text search's rule), or any of them, best TF-IDF
    match first. Also with the labels' own names as queries, where the words are the label's."""
    texts = [item.text for item in items]
    say(f"Indexing {len(texts):,} recommendations…")
    representation = similarity.Representation().fit(texts, background=False)
    lexical = representation.lexical(texts)
    meaning = representation.meaning(lexical)
    words = [set(_WORD.findall(text.casefold())) for text in texts]
    known = {label for item in items for label in item.issues}
    paraphrases = {query: label for query, label in yaml.safe_load(QUERIES.read_text(encoding="utf-8")).items()}
    named = {label: label for label in sorted(known) if label not in ("Other", "General")}

    def run(queries: dict[str, str]) -> dict:
        by_meaning, every_word, any_word, empty = [], [], [], 0
        started = time.perf_counter()
        for query, label in queries.items():
            if label not in known:
                continue
            query_lexical = representation.lexical([query])
            query_meaning = representation.meaning(query_lexical)
            shared = np.asarray((lexical @ query_lexical.T).todense()).ravel()
            blended = similarity.LEXICAL_WEIGHT * shared + (1 - similarity.LEXICAL_WEIGHT) * (
                meaning @ query_meaning[0]
            )
            by_meaning.append(_precision_at_10(items, list(np.argsort(-blended)[:10]), label))
            asked = {word for word in _WORD.findall(query.casefold()) if word not in ENGLISH_STOP_WORDS}
            matching = [at for at, held in enumerate(words) if asked <= held]
            empty += not matching
            every_word.append(_precision_at_10(items, sorted(matching, key=lambda at: -shared[at])[:10], label))
            any_word.append(_precision_at_10(items, [at for at in np.argsort(-shared)[:10] if shared[at] > 0], label))
        return {
            "queries": len(by_meaning),
            "precision_at_10": round(float(np.mean(by_meaning)), 4),
            "query_ms": round(1000 * (time.perf_counter() - started) / max(1, len(by_meaning)), 1),
            "baseline": {
                "precision_at_10": round(float(np.mean(every_word)), 4),
                "queries_without_results": empty,
                "any_word_precision_at_10": round(float(np.mean(any_word)), 4),
            },
        }

    other_words = run(paraphrases)
    return {"task": "search", **other_words, "label_names": run(named)}

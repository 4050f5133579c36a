"""Measuring the suggestion models against the baseline on the same split (train on earlier UPR sessions,
test on later ones, as an instance meets next year's recommendations)."""

import time
from collections.abc import Callable

from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score
from sklearn.preprocessing import MultiLabelBinarizer

from rectrack.suggestions.classifiers import ActionModel, BaselineActionModel, BaselineIssueModel, IssueModel
from rectrack.suggestions.labelled import Labelled

TASKS = ("issues", "action")


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
    target = (lambda item: item.issues) if task == "issues" else (lambda item: item.action)
    started = time.perf_counter()
    model.fit([item.text for item in train], [target(item) for item in train])
    trained = time.perf_counter()
    predicted = model.predict([item.text for item in test])
    done = time.perf_counter()
    gold = [target(item) for item in test]
    scores = issue_scores(gold, predicted) if task == "issues" else action_scores(gold, predicted)
    return {
        **{name: round(float(value), 4) for name, value in scores.items()},
        "train_seconds": round(trained - started, 2),
        "predict_seconds": round(done - trained, 2),
    }


def evaluate(
    train: list[Labelled], test: list[Labelled], task: str, *, say: Callable[[str], None] = lambda line: None
) -> dict:
    """The product model's figures, with the baseline's under "baseline", for one task."""
    if task not in TASKS:
        raise ValueError(f"Unknown task {task!r}: one of {', '.join(TASKS)}.")
    product, baseline = (
        (IssueModel(), BaselineIssueModel()) if task == "issues" else (ActionModel(), BaselineActionModel())
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

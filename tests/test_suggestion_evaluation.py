"""The suggestion models' evaluation: UPR Info exports read (raw Mac Roman with CR line ends, or normalised), the
scores computed as defined, and `evaluate_suggestions` printing the model's and the baseline's figures as JSON."""

import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from rectrack.suggestions.evaluation import action_scores, issue_scores
from rectrack.suggestions.labelled import read_upr_info

from .conftest import shared_data

HEADER = ["To", "To-Rgrp", "To-Org", "Text", "From", "From-Rgrp", "From-Org", "Response", "Action", "Issue", "Session"]
TOPICS = {
    "Right to education": ["schools", "teachers", "pupils", "literacy", "classrooms", "curriculum"],
    "Death penalty": ["executions", "moratorium", "capital punishment", "death row", "commute sentences"],
    "Women's rights": ["gender equality", "women", "girls", "maternity", "domestic violence"],
}
VERBS = {"5": "Ratify the convention on", "2": "Continue its efforts on", "3": "Consider measures on"}


def _write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _synthetic(path, sessions, per_topic=12):
    rows = []
    for session in sessions:
        for topic, words in TOPICS.items():
            for index in range(per_topic):
                action, verb = list(VERBS.items())[index % 3]
                text = f"{verb} {words[index % len(words)]} and {words[(index + 1) % len(words)]} ({session}.{index})"
                rows.append(["Utopia", "WEOG", "", text, "Arcadia", "WEOG", "", "Accepted", action, topic, session])
    rows.append(["Utopia", "WEOG", "", "We pledge to do better.", "", "", "", "Voluntary Pledge", "", "", sessions[0]])
    return _write(path, rows)


def _run(*args) -> tuple[str, dict]:
    out, err = StringIO(), StringIO()
    call_command("evaluate_suggestions", *args, stdout=out, stderr=err)
    lines = out.getvalue().strip().splitlines()
    return lines[0], json.loads(lines[-1])


def test_scores_are_computed_as_defined():
    gold, predicted = [("a",), ("a", "b")], [("a",), ("b",)]
    scores = issue_scores(gold, predicted)
    assert scores["precision"] == 1.0 and scores["recall"] == pytest.approx(2 / 3)
    assert scores["micro_f1"] == pytest.approx(0.8)
    assert scores["macro_f1"] == pytest.approx((2 / 3 + 1) / 2)  # a: P 1, R 1/2; b: P 1, R 1
    assert action_scores(["1", "2", "2"], ["1", "2", "1"]) == {
        "accuracy": pytest.approx(2 / 3), "macro_f1": pytest.approx((2 / 3 + 2 / 3) / 2)
    }  # fmt: skip


def test_the_command_learns_from_one_file_and_scores_another(tmp_path):
    train = _synthetic(tmp_path / "train.csv", [1, 2])
    test = _synthetic(tmp_path / "test.csv", [3])
    summary, figures = _run("--train", str(train), "--test", str(test), "--task", "issues")
    assert figures["train"] == 72 and figures["test"] == 36  # the pledges are left out
    assert figures["micro_f1"] == 1.0 and figures["macro_f1"] == 1.0
    assert set(figures) >= {"micro_f1", "macro_f1", "precision", "recall", "train_seconds", "predict_seconds"}
    assert set(figures["baseline"]) == {"micro_f1", "macro_f1", "precision", "recall", "train_seconds",
                                        "predict_seconds"}  # fmt: skip
    assert summary.startswith("issues: model macro-F1 1.0000")
    _summary, action = _run("--train", str(train), "--test", str(test), "--task", "action")
    assert action["accuracy"] == 1.0 and set(action["baseline"]) == {
        "accuracy", "macro_f1", "train_seconds", "predict_seconds"
    }  # fmt: skip


def test_sessions_split_one_file(tmp_path):
    both = _synthetic(tmp_path / "all.csv", [1, 2, 3])
    _summary, figures = _run("--train", str(both), "--train-sessions", "1-2", "--test", str(both),
                             "--test-sessions", "3", "--task", "issues")  # fmt: skip
    assert (figures["train"], figures["test"]) == (72, 36)


@pytest.mark.parametrize(
    ("rows", "args", "message"),
    [
        ([["a", "b"]], [], "is not a UPR Info export with labels: no column Issue, Action, Session"),
        (None, ["--train-sessions", "12-1"], "ends before it starts"),
        (None, ["--test-sessions", "x"], "“x” is not a session range"),
        (None, ["--test-sessions", "40-45"], "holds no labelled recommendation for the sessions asked"),
    ],
)
def test_bad_input_gets_a_clear_message(tmp_path, rows, args, message):
    path = _synthetic(tmp_path / "ok.csv", [1])
    if rows is not None:
        with path.open("w", encoding="utf-8") as file:
            csv.writer(file).writerows([["To", "Text"], *rows])
    with pytest.raises(CommandError, match=message):
        _run("--train", str(path), "--test", str(path), "--task", "issues", *args)
    with pytest.raises(CommandError, match="No such file"):
        _run("--train", str(tmp_path / "missing.csv"), "--test", str(path), "--task", "issues")


@pytest.mark.shared_data
def test_raw_and_normalised_upr_info_exports_read_alike():
    raw = read_upr_info(shared_data("upr-info-s01-17/raw/1-5.csv"))  # Mac Roman, CR line ends
    normalised = read_upr_info(shared_data("upr-info-s01-17/upr_info_sessions_01_17.csv"), sessions=range(1, 6))
    assert len(raw) == len(normalised) == 6094
    assert raw[0] == normalised[0]
    assert raw[0].issues == ("Rights of the Child", "Women's rights") and raw[0].action == "5"
    assert {len(item.issues) for item in normalised} <= {1, 2, 3, 4, 5, 6}


@pytest.mark.shared_data
def test_on_real_sessions_the_model_beats_the_baseline_for_the_action_category():
    path = str(shared_data("upr-info-s01-17/upr_info_sessions_01_17.csv"))
    _summary, figures = _run("--train", path, "--train-sessions", "1-7", "--test", path, "--test-sessions", "8-9",
                             "--task", "action")  # fmt: skip
    assert figures["test"] == 4158 and figures["macro_f1"] > figures["baseline"]["macro_f1"]

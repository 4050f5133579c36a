"""Measure the suggestion models, the index of similar recommendations and search by meaning on labelled data.

manage.py evaluate_suggestions --train upr_info.csv --train-sessions 1-12 \\
    --test upr_info.csv --test-sessions 13-17 --task issues
manage.py evaluate_suggestions --train China_2013.docx China_2018.docx Slovenia_2014.docx Slovenia_2019.docx \\
    --test Slovenia_2025.docx --task themes
manage.py evaluate_suggestions --test upr_info.csv --task similarity

Tasks: issues (UPR Info's 54 issue labels) and action (its 5 action categories) on UPR Info CSV exports;
themes, affected and sdg (UHRI themes, affected persons and SDG goals, older labels mapped to the current
vocabulary) on OHCHR thematic lists (.docx); similarity and search on one UPR Info export (--test).

The last line printed is one JSON object: micro_f1, macro_f1, precision, recall (labels) or accuracy, macro_f1
(action), train_seconds, predict_seconds, and the same under "baseline"; for similarity joint_recall and
top5_label_agreement; for search precision_at_10.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rectrack.suggestions.evaluation import TASKS, evaluate, evaluate_search, evaluate_similarity
from rectrack.suggestions.labelled import THEMATIC_TASKS, LabelledFileError, read_thematic_lists, read_upr_info


def _sessions(value: str | None) -> range | None:
    if not value:
        return None
    first, _dash, last = value.partition("-")
    try:
        start, end = int(first), int(last or first)
    except ValueError:
        raise CommandError(f"“{value}” is not a session range such as 1-12.") from None
    if start > end:
        raise CommandError(f"The session range “{value}” ends before it starts.")
    return range(start, end + 1)


def _read(paths: list[Path], task: str, sessions: range | None):
    if task in THEMATIC_TASKS:
        if any(path.suffix.lower() != ".docx" for path in paths):
            raise CommandError(f"The task {task} reads OHCHR thematic lists (.docx files).")
        return read_thematic_lists(paths, task)
    if any(path.suffix.lower() == ".docx" for path in paths):
        raise CommandError(f"The task {task} reads UPR Info exports (.csv files), not Word documents.")
    found = []
    for path in paths:
        found += read_upr_info(path, sessions=sessions)
    return found


class Command(BaseCommand):
    help = "Measure the suggestions against their baselines on labelled data (train on some files, test on others)."

    def add_arguments(self, parser):
        parser.add_argument("--train", nargs="+", type=Path, help="Files to learn from (UPR Info CSV, or .docx).")
        parser.add_argument("--test", required=True, nargs="+", type=Path, help="Files to predict and score.")
        parser.add_argument("--task", required=True, choices=TASKS)
        parser.add_argument("--train-sessions", help="Only these UPR sessions of the training files, such as 1-12.")
        parser.add_argument("--test-sessions", help="Only these UPR sessions of the test files, such as 13-17.")

    def handle(self, *args, train, test, task, train_sessions, test_sessions, **options):
        try:
            if task in ("similarity", "search"):
                score = _read(test, task, _sessions(test_sessions))
                figures = (evaluate_similarity if task == "similarity" else evaluate_search)(
                    score, say=self.stderr.write
                )
                self._summary(task, figures)
                return
            if not train:
                raise CommandError(f"The task {task} needs --train files to learn from.")
            learn = _read(train, task, _sessions(train_sessions))
            score = _read(test, task, _sessions(test_sessions))
        except LabelledFileError as error:
            raise CommandError(str(error)) from None
        figures = evaluate(learn, score, task, say=self.stderr.write)
        base = figures["baseline"]
        self.stdout.write(
            f"{task}: model macro-F1 {figures['macro_f1']:.4f} against the baseline's {base['macro_f1']:.4f} "
            f"({len(learn):,} recommendations to learn from, {len(score):,} to predict)"
        )
        self.stdout.write(json.dumps(figures))

    def _summary(self, task: str, figures: dict) -> None:
        base = figures["baseline"]
        if task == "similarity":
            self.stdout.write(
                f"similarity: {figures['joint_recall']:.4f} of {figures['joint_groups']:,} joint recommendations in "
                f"one set; top 5 share a label {figures['top5_label_agreement']:.4f} (baseline "
                f"{base['top5_label_agreement']:.4f})"
            )
        else:
            self.stdout.write(
                f"search: precision at 10 {figures['precision_at_10']:.4f} by meaning, "
                f"{base['precision_at_10']:.4f} by words ({figures['queries']} queries)"
            )
        self.stdout.write(json.dumps(figures))

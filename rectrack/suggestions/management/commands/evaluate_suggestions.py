"""Train the suggestion model and the baseline on one UPR Info export, predict another, print the figures.

manage.py evaluate_suggestions --train upr_info.csv --train-sessions 1-12 \\
    --test upr_info.csv --test-sessions 13-17 --task issues

The last line printed is one JSON object: micro_f1, macro_f1, precision, recall
(issues) or accuracy, macro_f1 (action), train_seconds, predict_seconds, and
the same under "baseline".
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rectrack.suggestions.evaluation import TASKS, evaluate
from rectrack.suggestions.labelled import LabelledFileError, read_upr_info


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


class Command(BaseCommand):
    help = "Measure the suggestion model against the baseline on UPR Info exports (train on one, test on another)."

    def add_arguments(self, parser):
        parser.add_argument("--train", required=True, type=Path, help="UPR Info CSV to learn from.")
        parser.add_argument("--test", required=True, type=Path, help="UPR Info CSV to predict and score.")
        parser.add_argument("--task", required=True, choices=TASKS, help="issues (multi-label) or action (5 classes).")
        parser.add_argument("--train-sessions", help="Only these UPR sessions of the training file, such as 1-12.")
        parser.add_argument("--test-sessions", help="Only these UPR sessions of the test file, such as 13-17.")

    def handle(self, *args, train, test, task, train_sessions, test_sessions, **options):
        try:
            learn = read_upr_info(train, sessions=_sessions(train_sessions))
            score = read_upr_info(test, sessions=_sessions(test_sessions))
        except LabelledFileError as error:
            raise CommandError(str(error)) from None
        figures = evaluate(learn, score, task, say=self.stderr.write)
        base = figures["baseline"]
        self.stdout.write(
            f"{task}: model macro-F1 {figures['macro_f1']:.4f} against the baseline's {base['macro_f1']:.4f} "
            f"({len(learn):,} recommendations to learn from, {len(score):,} to predict)"
        )
        self.stdout.write(json.dumps(figures))

"""Train, classify, index and time the suggestions in-process, on the database DATABASE_URL points to.

Run by bench/suggestions_bench.py. Classifying is measured on every recommendation with its SDGs taken away
(as an import of records without SDGs would leave them), inside a transaction that is rolled back, so the
benchmark database keeps its labels for bench/run.py.
"""

import argparse
import json
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rectrack.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from rectrack.accounts.models import Role, User  # noqa: E402
from rectrack.recommendations.models import Recommendation  # noqa: E402
from rectrack.suggestions import index, services, training  # noqa: E402
from rectrack.suggestions.models import Suggestion  # noqa: E402

QUERIES = [
    "executions", "capital punishment", "children in school", "police brutality", "journalists", "hunger",
    "prisons overcrowding", "gay and lesbian people", "ombudsman", "native communities", "bribery", "refugees",
    "homelessness", "girls marriage", "hate speech", "disabled persons", "clean water", "elections", "torture",
    "trafficking in women",
]  # fmt: skip


class Rollback(Exception):
    pass


def figures(samples: list[float]) -> dict:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": round(cuts[49], 1), "p95": round(cuts[94], 1), "max": round(max(samples), 1)}


def ms(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return (time.perf_counter() - started) * 1000, result


def size_mb(path: Path) -> float:
    files = [path] if path.is_file() else [item for item in path.rglob("*") if item.is_file()]
    return round(sum(item.stat().st_size for item in files) / 1e6, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    rng = random.Random(7)
    result = {"count": Recommendation.objects.count()}

    print("  training the label model…", flush=True)
    started = time.perf_counter()
    model = services.model_train(services.model_request(actor=None, then_suggest=False))
    result["train_seconds"] = round(time.perf_counter() - started, 1)
    result["trained_on"] = max(kind["recommendations"] for kind in model.figures.values())
    result["model_figures"] = model.figures
    result["model_mb"] = size_mb(training.models_dir() / model.file_name)

    print("  classifying every recommendation (SDGs taken away, then put back)…", flush=True)
    through = Recommendation.sdgs.through
    try:
        with transaction.atomic():
            through.objects.all().delete()
            started = time.perf_counter()
            result["suggestions_written"] = services.suggest(model=model)
            result["classify_seconds"] = round(time.perf_counter() - started, 1)
            result["classified"] = Suggestion.objects.values("recommendation_id").distinct().count()
            print("  the review page and Settings › Suggestions with every suggestion pending…", flush=True)
            secretariat = User.objects.filter(role=Role.COORDINATOR, is_active=True).first()
            if secretariat is None:
                secretariat = User.objects.create(username="bench-coordinator", role=Role.COORDINATOR)
            client = Client()
            client.force_login(secretariat)
            client.get("/suggestions/")
            pages = ["/suggestions/", "/suggestions/?kind=sdg&min_percent=80", "/suggestions/?page=40"]
            result["review_page_ms"] = figures([ms(client.get, url)[0] for url in pages * 7])
            result["settings_page_ms"] = figures([ms(client.get, "/settings/suggestions/")[0] for _ in range(10)])
            raise Rollback
    except Rollback:
        pass

    print("  building the index of similar recommendations…", flush=True)
    started = time.perf_counter()
    built = services.index_run(rebuild=True)
    result["index_seconds"] = round(time.perf_counter() - started, 1)
    result["index_figures"] = built.figures
    result["index_mb"] = size_mb(training.models_dir() / built.file_name)
    result["classify_and_index_minutes"] = round((result["classify_seconds"] + result["index_seconds"]) / 60, 1)

    ids = list(Recommendation.objects.values_list("pk", flat=True))
    sample = rng.sample(ids, 60)

    print("  one suggestion at a time…", flush=True)
    training._loaded.clear()  # the first one reads the model from disk, as after a server starts
    timings = []
    for at, pk in enumerate(sample):
        try:
            with transaction.atomic():
                rec = Recommendation.objects.get(pk=pk)
                for relation in ("themes", "affected_persons", "sdgs"):
                    getattr(rec, relation).clear()
                elapsed, _made = ms(services.suggest_for, recommendation=rec)
                if at == 0:
                    result["first_suggestion_ms"] = round(elapsed, 1)
                else:
                    timings.append(elapsed)
                raise Rollback
        except Rollback:
            pass
    result["one_suggestion_ms"] = figures(timings)

    print("  similar recommendations, search by meaning, pages…", flush=True)
    from rectrack.suggestions.selectors import similar_to

    index.load()
    result["similar_ms"] = figures([ms(similar_to, Recommendation.objects.get(pk=pk))[0] for pk in sample])
    result["meaning_search_ms"] = figures([ms(index.search, query)[0] for query in QUERIES * 3])
    viewer = User.objects.filter(role=Role.VIEWER, is_active=True).first()
    if viewer is None:
        viewer = User.objects.create(username="bench-viewer", role=Role.VIEWER)  # force_login needs no password
    client = Client()
    client.force_login(viewer)
    client.get("/recommendations/")  # warm up
    result["list_by_meaning_ms"] = figures(
        [ms(client.get, "/recommendations/", {"q": query, "mode": "meaning"})[0] for query in QUERIES * 2]
    )
    result["detail_page_ms"] = figures([ms(client.get, f"/recommendations/{pk}/")[0] for pk in sample])
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    args.out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

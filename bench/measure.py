"""Time the main pages in-process, on the database DATABASE_URL points to.

Server time is measured around Django's test client: the whole request
(middleware, queries, template) without the network. Run by bench/run.py.
"""

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rectrack.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from rectrack.accounts.models import Role, User  # noqa: E402
from rectrack.instance.services import portal_rules_update  # noqa: E402
from rectrack.planning.models import Activity, ActivityStatus  # noqa: E402
from rectrack.recommendations.models import (  # noqa: E402
    ImplementationStatus,
    Mechanism,
    Recommendation,
    StatusChange,
)
from rectrack.taxonomy.models import Term  # noqa: E402

SEARCHES = [
    "torture", "education", "women violence", '"freedom of expression"', "ratify convention", "roma", "disabilit*",
    "trafficking", "death penalty", "journalists", "child marriage", '"human rights defenders"', "police", "migrants",
    "health", "corruption", "indigenous", "torture OR ill-treatment", "prison conditions",
    "domestic violence NOT children",
]  # fmt: skip


def percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def timed(client: Client, url: str) -> tuple[float, int]:
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed, len(queries.captured_queries)


def scenario_urls(rng: random.Random, rounds: int) -> dict[str, list[str]]:
    themes = list(
        Term.objects.filter(vocabulary__slug="uhri-themes-current", theme_of__isnull=False)
        .distinct()
        .values_list("pk", flat=True)[:40]
    )
    goals = list(Term.objects.filter(vocabulary__slug="sdg-2030", parent__isnull=True).values_list("pk", flat=True))
    statuses = [s.value for s in ImplementationStatus]
    mechanisms = ["UPR", "CRC", "CEDAW", "CCPR"]
    top = Recommendation.objects.order_by("-id").values_list("id", flat=True).first()
    urls = {
        name: []
        for name in (
            "text_search", "text_search_3_filters", "recommendation_detail", "projects_page",
            "portal_home", "portal_search_filtered", "portal_recommendation",
            "activities_page", "activity_detail", "calendar_month", "updates_feed",
            "statistics_progress", "statistics_themes", "statistics_planning", "statistics_over_time",
        )
    }  # fmt: skip
    activities = list(Activity.objects.values_list("id", flat=True))
    today = timezone.localdate()
    activity_statuses = [s.value for s in ActivityStatus]
    for n in range(rounds):
        q = SEARCHES[n % len(SEARCHES)]
        urls["text_search"].append(f"/recommendations/?q={q}")
        if n % 2:
            filters = f"mechanism={rng.choice(mechanisms)}&status={rng.choice(statuses)}&theme={rng.choice(themes)}"
        else:
            filters = f"cycle={rng.randint(1, 4)}&position=supported&sdg={rng.choice(goals)}"
        urls["text_search_3_filters"].append(f"/recommendations/?q={q}&{filters}")
        urls["recommendation_detail"].append(f"/recommendations/{rng.randint(1, top)}/")
        urls["projects_page"].append(f"/projects/?page={1 + n % 3}&sort={rng.choice(['name', '-name', 'newest'])}")
        # The public portal, read anonymously (the scenarios named portal_*), with everything published.
        urls["portal_home"].append("/public/")
        urls["portal_search_filtered"].append(f"/public/recommendations/?q={q}&status={rng.choice(statuses)}")
        urls["portal_recommendation"].append(f"/public/recommendations/{rng.randint(1, top)}/")
        # Follow-up work: activities, the calendar (a month holds a hundred or so deadlines), all updates.
        urls["activities_page"].append(
            f"/activities/?page={1 + n % 5}&status={rng.choice(activity_statuses)}" if n % 2 else "/activities/"
        )
        urls["activity_detail"].append(f"/activities/{rng.choice(activities)}/")
        month = (today.replace(day=1) + dt.timedelta(days=31 * rng.randint(-6, 12))).strftime("%Y-%m")
        urls["calendar_month"].append(f"/calendar/?month={month}")
        urls["updates_feed"].append(f"/updates/?page={1 + n % 3}")
        # Statistics: everything, or one mechanism, or a cycle and a period.
        stats_filter = ["", f"?mechanism={rng.choice(mechanisms)}", f"?cycle={rng.randint(1, 4)}&date_from=2015-01-01"]
        query = stats_filter[n % 3]
        for tab, path in (
            ("progress", ""),
            ("themes", "themes/"),
            ("planning", "planning/"),
            ("over_time", "over-time/"),
        ):
            urls[f"statistics_{tab}"].append(f"/statistics/{path}{query}")
    return urls


def open_data_download(client: Client) -> dict:
    """One download of every published recommendation as CSV: its time, size and the memory it took."""
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get("/public/data/recommendations.csv")
    rows = size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "rows": rows - 1,
        "seconds": round(elapsed, 1),
        "megabytes": round(size / 1e6, 1),
        "peak_python_memory_mb": round(peak / 1e6, 1),
    }


def ensure_status_history(changes: int = 30_000) -> int:
    """Dated status changes on some recommendations (a bulk load records none), for the status-over-time chart."""
    existing = StatusChange.objects.count()
    if existing:
        return existing
    rng = random.Random(11)
    top = Recommendation.objects.order_by("-id").values_list("id", flat=True).first()
    today = timezone.localdate()
    statuses = [s.value for s in ImplementationStatus]
    rows = [
        StatusChange(
            recommendation_id=rng.randint(1, top),
            status=rng.choice(statuses),
            effective_on=today - dt.timedelta(days=rng.randint(0, 5 * 365)),
            justification="Benchmark",
        )
        for _ in range(changes)
    ]
    StatusChange.objects.bulk_create(rows, batch_size=5_000)
    return changes


def export_download(client: Client) -> dict:
    """One export of every recommendation as XLSX (streamed): its time, size and the memory it took."""
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get("/recommendations/export.xlsx")
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "rows": Recommendation.objects.count(),
        "seconds": round(elapsed, 1),
        "megabytes": round(size / 1e6, 1),
        "peak_python_memory_mb": round(peak / 1e6, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    user, _ = User.objects.get_or_create(username="bench-coordinator", defaults={"role": Role.COORDINATOR})
    client = Client()
    client.force_login(user)
    portal_rules_update(actor=None, publish_recommendations=True, publish_projects=True, publish_activities=True)
    anonymous = Client()
    ensure_status_history()
    rng = random.Random(7)
    urls = scenario_urls(rng, args.rounds)
    for name, scenario in urls.items():  # warm caches the way a running server has them
        for url in scenario[:5]:
            timed(anonymous if name.startswith("portal_") else client, url)
    results = {}
    for name, scenario in urls.items():
        samples, queries = [], []
        for url in scenario:
            elapsed, count = timed(anonymous if name.startswith("portal_") else client, url)
            samples.append(elapsed)
            queries.append(count)
        results[name] = {
            "requests": len(samples),
            "p50_ms": round(percentile(samples, 50), 1),
            "p95_ms": round(percentile(samples, 95), 1),
            "max_ms": round(max(samples), 1),
            "queries_max": max(queries),
            "slowest_url": scenario[samples.index(max(samples))],
        }
    results["_open_data_csv"] = open_data_download(anonymous)
    results["_export_xlsx"] = export_download(client)
    # The portal's home figures are cached for a minute; this is the request that computes them.
    cache.clear()
    results["_portal_home_uncached_ms"] = round(timed(anonymous, "/public/")[0], 1)
    # Statistics figures are cached until something they count changes; these are the requests that compute them.
    results["_statistics_uncached_ms"] = {}
    for tab, path in (("progress", ""), ("themes", "themes/"), ("planning", "planning/"), ("over_time", "over-time/")):
        cache.clear()
        results["_statistics_uncached_ms"][tab] = round(timed(client, f"/statistics/{path}")[0], 1)
    results["_meta"] = {
        "recommendations": Recommendation.objects.count(),
        "mechanisms": Mechanism.objects.count(),
        "vendor": connection.vendor,
    }
    Path(args.out).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

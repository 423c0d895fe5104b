"""Time the main pages and API endpoints against their floors, in process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/minutes_bench_5000 \\
        python -m bench.run --meetings 5000

The database named by ``DATABASE_URL`` (PostgreSQL) is created, migrated and
filled with ``generate_load_data`` when it has no meetings. Each page is
requested through Django's test client, logged in as staff, with the site's
own middleware; its floor (``bench/floors.py``) goes through the same
middleware. The table goes to standard output and to ``bench-results/``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

RESULTS = Path(__file__).resolve().parent.parent / "bench-results"
PAGE_TARGET, API_TARGET, MAX_QUERIES = 3.0, 2.5, 12
SEARCH_SPEEDUP_TARGET = 20
BUDGET_SECONDS = 20
SEARCH_QUERIES = ["Götz", "ptychography", '"tape archive" -shutdown']


@dataclass
class Case:
    name: str
    url: str
    floor: str
    target: float


@dataclass
class Row:
    name: str
    url: str
    median_ms: float
    p95_ms: float
    queries: int
    floor_ms: float
    floor_queries: int
    ratio: float
    target: float
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.ratio <= self.target and self.queries <= MAX_QUERIES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="Measure only the pages whose name contains NAME (repeatable); "
        "nothing is written to bench-results/.",
    )
    parser.add_argument(
        "--prepare-only",
        action="store_true",
        help="Create, migrate and fill the database, then stop (for the load test).",
    )
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database for the benchmark.")
    # Production settings: no query logging, no debug pages.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "k" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minutes_site.settings")
    create_database(url)

    import django

    django.setup()
    prepare(args.meetings)
    if args.prepare_only:
        return
    rows, notes = measure_pages(args.requests, args.only)
    if args.only:
        print_rows(rows, notes)
        return
    speedups = measure_search()
    report(args.meetings, rows, notes, speedups)


def create_database(url: str) -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    server = psycopg.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"],
        port=config["PORT"] or 5432,
        autocommit=True,
    )
    with server:
        exists = server.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            print(f"Creating database {config['NAME']}")
            server.execute(f'CREATE DATABASE "{config["NAME"]}"')


def prepare(meetings: int) -> None:
    from django.core.management import call_command

    from meetings.models import Meeting

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    if not Meeting.objects.exists():
        call_command("generate_load_data", meetings=meetings, seed=1)
    found = Meeting.objects.count()
    if found != meetings:
        print(f"Note: the database holds {found} meetings, not {meetings}.")
    analyze()


def analyze() -> None:
    # As after any bulk load: statistics for the planner, and the GIN indexes'
    # pending lists merged (see generate_load_data).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def cases() -> list[Case]:
    from meetings.models import Meeting

    published = Meeting.objects.published().filter(series__slug="collaboration")
    middle = published.order_by("date", "pk")[published.count() // 2]
    latest = published.order_by("-date", "-pk").first()
    listed = f"series=collaboration&year={middle.date.year}"
    return [
        Case("home", "/", "/_floor/home/", PAGE_TARGET),
        Case("meeting list", f"/meetings/?{listed}", f"/_floor/meetings/?{listed}", 3),
        Case(
            "meeting page",
            f"/meetings/{middle.pk}/",
            f"/_floor/meetings/{middle.pk}/",
            PAGE_TARGET,
        ),
        Case(
            "action register",
            "/actions/?status=open",
            "/_floor/actions/?status=open",
            PAGE_TARGET,
        ),
        Case(
            "review page",
            f"/meetings/{latest.pk}/review/",
            f"/_floor/meetings/{latest.pk}/review/",
            PAGE_TARGET,
        ),
        Case("search", "/search/?q=G%C3%B6tz", "/_floor/search/?q=G%C3%B6tz", 3),
        Case("API meeting list", "/api/meetings/", "/_floor/api/meetings/", API_TARGET),
        Case("API action list", "/api/actions/", "/_floor/api/actions/", API_TARGET),
        Case(
            "API meeting detail",
            f"/api/meetings/{middle.pk}/",
            f"/_floor/api/meetings/{middle.pk}/",
            API_TARGET,
        ),
    ]


def measure_pages(
    requests: int, only: list[str] | None = None
) -> tuple[list[Row], list[str]]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import Resolver404, resolve

    staff, _ = get_user_model().objects.get_or_create(
        username="bench-staff", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(staff)

    rows, notes = [], []
    with override_settings(ROOT_URLCONF="bench.urls"):
        for case in cases():
            if only and not any(name in case.name for name in only):
                continue
            try:
                resolve(case.url.split("?")[0])
            except Resolver404:
                notes.append(f"{case.name}: {case.url} does not exist yet; skipped.")
                continue
            page, floor = time_requests(client, [case.url, case.floor], requests)
            rows.append(
                Row(
                    name=case.name,
                    url=case.url,
                    median_ms=page["median"],
                    p95_ms=page["p95"],
                    queries=page["queries"],
                    floor_ms=floor["median"],
                    floor_queries=floor["queries"],
                    ratio=round(page["median"] / floor["median"], 2),
                    target=case.target,
                    note=page["note"] or floor["note"],
                )
            )
            print(f"  measured {case.name}", file=sys.stderr)
    return rows, notes


def time_requests(client, urls: list[str], requests: int) -> list[dict]:
    """Median and 95th percentile of each URL, requested in turn.

    The page and its floor alternate, request by request, so that whatever
    else the machine is doing weighs on both alike and the ratio stays fair.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = []
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        # Counted now: the next request empties the log the context reads from.
        note = "" if response.status_code == 200 else f"HTTP {response.status_code}"
        results.append({"queries": len(captured), "note": note, "timings": []})

    # A page that takes seconds gets fewer requests, not minutes of waiting.
    deadline = time.monotonic() + BUDGET_SECONDS
    for _ in range(requests):
        for url, result in zip(urls, results, strict=True):
            started = time.perf_counter()
            client.get(url)
            result["timings"].append((time.perf_counter() - started) * 1000)
        if len(results[0]["timings"]) >= 5 and time.monotonic() > deadline:
            break
    for result in results:
        timings = result.pop("timings")
        result["median"] = round(statistics.median(timings), 2)
        result["p95"] = round(statistics.quantiles(timings, n=20)[-1], 2)
        if not result["note"] and len(timings) != requests:
            result["note"] = f"{len(timings)} requests"
    return results


def measure_search(repeats: int = 7) -> list[dict]:
    """The search service against an unindexed ``icontains`` scan of the same
    tables, each asked for a count and the first page."""
    from django.contrib.auth import get_user_model

    from meetings.search import parse_query, search

    staff = get_user_model().objects.get(username="bench-staff")
    results = []
    for text in SEARCH_QUERIES:
        indexed = median_ms(lambda text=text: first_hits(search(staff, text)), repeats)
        query = parse_query(text)
        scanned = median_ms(lambda query=query: first_page(icontains(query)), repeats)
        results.append(
            {
                "query": text,
                "hits": search(staff, text).count(),
                "search_ms": indexed,
                "icontains_ms": scanned,
                "speedup": round(scanned / indexed, 1),
            }
        )
    return results


def first_hits(results) -> int:
    """What the search page asks of the service: the first page and the total."""
    results.expect_page(1, 25)
    return first_page(results)


def first_page(results) -> int:
    return results.count() + len(results[0:25])


def icontains(query):
    """What search would be without an index: every row scanned with LIKE."""
    from django.db.models import CharField, F, Q, Value

    from meetings.models import ActionItem, Meeting, Section

    def matching(model, heading, body, day):
        rows = model.objects.order_by()
        for term in query.included:
            rows = rows.filter(
                Q(**{f"{heading}__icontains": term}) | Q(**{f"{body}__icontains": term})
            )
        for term in query.excluded:
            rows = rows.exclude(
                Q(**{f"{heading}__icontains": term}) | Q(**{f"{body}__icontains": term})
            )
        kind = Value(model._meta.model_name, output_field=CharField())
        return rows.values(kind=kind, row_id=F("pk"), day=F(day))

    parts = [
        matching(Meeting, "title", "notes", "date"),
        matching(Section, "title", "body", "meeting__date"),
        matching(ActionItem, "reference", "description", "meeting__date"),
    ]
    return parts[0].union(*parts[1:], all=True).order_by("-day", "kind", "row_id")


def median_ms(work, repeats: int) -> float:
    work()
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 2)


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| page | median ms | p95 ms | queries | floor ms | floor queries "
        "| ratio | target | ok |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.name} | {row.median_ms} | {row.p95_ms} | {row.queries} "
            f"| {row.floor_ms} | {row.floor_queries} | {row.ratio}x "
            f"| {row.target}x | {'yes' if row.ok else 'NO'} {row.note} |"
        )
    return lines


def print_rows(rows: list[Row], notes: list[str]) -> None:
    print("\n".join(table(rows) + [f"- {note}" for note in notes]))


def report(meetings: int, rows: list[Row], notes: list[str], speedups) -> None:
    lines = [f"## N = {meetings:,} meetings", "", *table(rows)]
    lines += [
        "",
        f"Search against an icontains scan (target {SEARCH_SPEEDUP_TARGET}x):",
        "",
    ]
    lines += [
        "| query | hits | search ms | icontains ms | speed-up |",
        "|---|---:|---:|---:|---:|",
    ]
    for result in speedups:
        lines.append(
            f"| `{result['query']}` | {result['hits']} | {result['search_ms']} "
            f"| {result['icontains_ms']} | {result['speedup']}x |"
        )
    lines += [""] + [f"- {note}" for note in notes]
    text = "\n".join(lines)
    print(text)

    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"bench-{meetings}.md").write_text(text + "\n")
    data = {"rows": [asdict(row) for row in rows], "search": speedups, "notes": notes}
    (RESULTS / f"bench-{meetings}.json").write_text(json.dumps(data, indent=2))
    print_growth()


def print_growth() -> None:
    """Side by side, every size measured so far: how the cost grows with N."""
    runs = {
        int(path.stem.split("-")[1]): json.loads(path.read_text())
        for path in RESULTS.glob("bench-*.json")
    }
    if len(runs) < 2:
        return
    sizes = sorted(runs)
    header = " | ".join(f"N={n:,} ms (queries, ratio)" for n in sizes)
    print(f"\nHow the cost grows\n\n| page | {header} |")
    print("|---|" + "---:|" * len(sizes))
    names = [row["name"] for row in runs[sizes[-1]]["rows"]]
    for name in names:
        cells = []
        for n in sizes:
            row = next((r for r in runs[n]["rows"] if r["name"] == name), None)
            cells.append(
                f"{row['median_ms']} ({row['queries']}, {row['ratio']}x)"
                if row
                else "-"
            )
        print(f"| {name} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()

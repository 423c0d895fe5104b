"""Load test: gunicorn with two workers on PostgreSQL, locust on loopback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/minutes_bench_5000 \\
        python -m bench.loadtest [--readers 50] [--writers 20] [--seconds 60]

First readers alone, then writers alone, each for a bounded time; then the
database is checked: every write the API accepted is there (none lost), and
the figures are printed and written to ``bench-results/``.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench-results"
ADDRESS = "127.0.0.1:8765"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database filled by bench.run.")

    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "loadtest-only-" + "k" * 40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "minutes_site.settings",
    }
    os.environ.update(env)
    RESULTS.mkdir(exist_ok=True)
    setup_file = RESULTS / "loadtest-setup.json"
    setup_file.write_text(json.dumps(prepare()))

    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "minutes_site.wsgi"),
            *("--workers", "2", "--bind", ADDRESS),
            *("--timeout", "60", "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up()
        env["LOADTEST_SETUP"] = str(setup_file)
        readers = run_locust("Reader", args.readers, args.seconds, env)
        env["LOADTEST_WRITES"] = str(RESULTS / "loadtest-writes.json")
        writers = run_locust("Writer", args.writers, args.seconds, env)
    finally:
        server.terminate()
        server.wait(timeout=30)

    writes = json.loads((RESULTS / "loadtest-writes.json").read_text())
    lost = check_writes(writes["accepted"])
    report(readers, writers, writes, lost)


def prepare() -> dict:
    """Sessions for the readers, a token for the writers, rows to work on."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from rest_framework.authtoken.models import Token

    from meetings.models import ActionItem, Meeting, Section

    staff, _ = get_user_model().objects.get_or_create(
        username="bench-staff", defaults={"is_staff": True, "is_superuser": True}
    )
    sessions = []
    for _ in range(10):
        session = SessionStore()
        session["_auth_user_id"] = str(staff.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = staff.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)

    published = Meeting.objects.published().order_by("-date", "-pk")
    meetings = list(published.values_list("pk", flat=True)[:200])
    year = published.first().date.year
    # Few rows, so that writers collide and the refusals are exercised.
    actions = ActionItem.objects.open().order_by("-pk").values_list("pk", flat=True)
    sections = Section.objects.filter(meeting__in=meetings[:5]).order_by("pk")
    return {
        "sessions": sessions,
        "token": Token.objects.get_or_create(user=staff)[0].key,
        "meetings": meetings,
        "meeting_list": f"/meetings/?series=collaboration&year={year}",
        "searches": ["Götz", "ptychography", '"tape archive" -shutdown', "cryostat"],
        "actions": list(actions[:10]),
        "sections": list(sections.values_list("pk", flat=True)[:10]),
    }


def wait_until_up(seconds: int = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://{ADDRESS}/accounts/login/", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    sys.exit("gunicorn did not answer in time.")


def run_locust(user_class: str, users: int, seconds: int, env: dict) -> dict:
    prefix = RESULTS / f"loadtest-{user_class.lower()}"
    subprocess.run(
        [
            *(sys.executable, "-m", "locust", "-f", ROOT / "bench" / "locustfile.py"),
            *("--headless", "--host", f"http://{ADDRESS}", "--only-summary"),
            *("--users", str(users), "--spawn-rate", str(users)),
            *("--run-time", f"{seconds}s", "--stop-timeout", "10"),
            *("--csv", prefix, "--json-file", prefix),
            *("--exit-code-on-error", "0", user_class),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    # The final figures: the CSV file is written every few seconds and can
    # miss the last requests; the JSON file holds the totals at the end.
    with open(f"{prefix}.json") as final:
        entries = json.load(final)
    rows = sorted((_summary(entry, seconds) for entry in entries), key=_by_name)
    rows.append(_total(rows, seconds))
    with open(f"{prefix}_failures.csv") as failures:
        failed = list(csv.DictReader(failures))
    return {"users": users, "seconds": seconds, "rows": rows, "failures": failed}


def _by_name(row: dict) -> str:
    return row["Name"]


def _total(rows: list[dict], seconds: int) -> dict:
    count = sum(row["Request Count"] for row in rows)
    return {
        "Name": "all",
        "Request Count": count,
        "Failure Count": sum(row["Failure Count"] for row in rows),
        "Requests/s": count / seconds,
        "50%": "",
        "95%": "",
        "Max Response Time": max((row["Max Response Time"] for row in rows), default=0),
    }


def _summary(entry: dict, seconds: int) -> dict:
    """One request name's totals, from locust's final JSON."""
    # Not locust's own helper: importing locust here would monkey-patch
    # threads under the Django connection that checks the writes afterwards.
    times = sorted((int(ms), count) for ms, count in entry["response_times"].items())
    count = entry["num_requests"]
    return {
        "Name": entry["name"],
        "Request Count": count,
        "Failure Count": entry["num_failures"],
        "Requests/s": count / seconds,
        "50%": _percentile(times, count, 0.5),
        "95%": _percentile(times, count, 0.95),
        "Max Response Time": entry["max_response_time"],
    }


def _percentile(times: list[tuple[int, int]], count: int, share: float) -> int:
    """The response time (ms, as locust rounds it) below which ``share`` fall."""
    seen = 0
    for ms, n in times:
        seen += n
        if seen >= share * count:
            return ms
    return times[-1][0] if times else 0


def check_writes(accepted: list[dict]) -> list[str]:
    """Every accepted write must be accounted for: versions unique per row, and
    the row now holds what the write with the highest version sent."""
    from meetings.models import ActionItem, Section

    models = {"actions": (ActionItem, "status"), "sections": (Section, "body")}
    problems, latest = [], {}
    seen = set()
    for write in accepted:
        key = (write["kind"], write["pk"], write["version"])
        if key in seen:
            problems.append(f"two accepted writes made {key}")
        seen.add(key)
        row = (write["kind"], write["pk"])
        if row not in latest or write["version"] > latest[row]["version"]:
            latest[row] = write
    for (kind, pk), write in latest.items():
        model, field = models[kind]
        stored = model.objects.values("version", field).get(pk=pk)
        if stored["version"] != write["version"] or stored[field] != write[field]:
            problems.append(f"{kind} {pk}: database has {stored}, last write {write}")
    return problems


def report(readers: dict, writers: dict, writes: dict, lost: list[str]) -> None:
    lines = []
    for phase in (readers, writers):
        lines += [
            f"{phase['users']} users for {phase['seconds']} s:",
            "",
            "| requests | count | failures | req/s | median ms | p95 ms | max ms |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for row in phase["rows"]:
            lines.append(
                f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} "
                f"| {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} "
                f"| {float(row['Max Response Time']):.0f} |"
            )
        lines += [""]
        lines += [f"- failure: {row}" for row in phase["failures"]]
    lines += [
        f"Writes accepted: {len(writes['accepted'])}; refused as stale: "
        f"{writes['refused']['412']} (412) and {writes['refused']['409']} (409).",
        f"Lost updates: {len(lost)}.",
    ]
    lines += [f"- {problem}" for problem in lost]
    text = "\n".join(lines)
    print(text)
    (RESULTS / "loadtest.md").write_text(text + "\n")


if __name__ == "__main__":
    main()

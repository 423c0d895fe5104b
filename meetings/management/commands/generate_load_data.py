"""Make a large, realistic, made-up archive for benchmarks and load tests.

``generate_load_data --meetings 5000 --seed 1`` always makes the same archive:
organisations and their people (some with accented names), several numbered
series, meetings with attendance, about twenty nested sections of Markdown
notes each, and about five actions per meeting whose updates are recorded at
later meetings of the same series.

Rows are written with ``bulk_create`` in batches, so no ``save()`` runs: the
history tables stay empty and versions stay at 1. On PostgreSQL the search
triggers still fill the search vectors, since they fire on every insert.
Every name and sentence is invented here.
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from meetings.models import (
    ActionItem,
    ActionUpdate,
    Attendance,
    Meeting,
    Organisation,
    Person,
    PersonAlias,
    Section,
    Series,
)

BATCH = 1000
CHUNK = 250  # meetings whose rows are built and written together

ORGANISATIONS = [
    ("ALB", "Aurora Light Beamlines", "Sweden"),
    ("BNF", "Birchwood Neutron Facility", "United Kingdom"),
    ("CXR", "Coastal X-ray Ring", "Portugal"),
    ("DSC", "Delta Scientific Computing", "Germany"),
    ("ESL", "Eastfield Synchrotron Lab", "Poland"),
    ("FMC", "Fjord Materials Centre", "Norway"),
    ("GLS", "Granite Light Source", "France"),
    ("HPD", "Highland Photon Detectors", "Switzerland"),
    ("IDA", "Island Data Archive", "Denmark"),
    ("JNS", "Juniper Neutron Source", "Spain"),
]

FIRST_NAMES = [
    "Ada", "Bram", "Céline", "Dario", "Elif", "Fenna", "Göran", "Hana", "Inês",
    "Jörg", "Kasia", "Luuk", "Maëlle", "Nils", "Oona", "Piotr", "Renée", "Søren",
    "Tomás", "Ulla", "Vera", "Wiebke", "Xavi", "Yusuf", "Zoë", "Łucja", "Ælfric",
]  # fmt: skip
SURNAMES = [
    "Ashgrove", "Brückner", "Castellví", "Dunmore", "Eskildsen", "Fairweather",
    "Götz", "Halloran", "Ibáñez", "Jäger", "Kowalczyk", "Lindqvist", "Moreau",
    "Nørgaard", "Okafor", "Pérez-Lind", "Quayle", "Rønning", "Szabó", "Thornbury",
    "Ueda", "Vasquez", "Wróbel", "Yilmaz", "Zeller",
]  # fmt: skip

SERIES = [
    ("Collaboration meeting", "collaboration", 6),
    ("Steering group", "steering", 2),
    ("Face-to-face", "face-to-face", 1),
    ("Data working group", "data-wg", 3),
]

AGENDA = [
    ("Site reports", ["Beamline status", "Computing", "User programme", "Staffing"]),
    ("Data management", ["Catalogue", "DOI minting", "Embargo periods", "Metadata"]),
    ("Software", ["Reduction pipelines", "Release plan", "Testing", "Packaging"]),
    ("Detectors", ["Calibration", "Firmware", "Cooling", "Procurement"]),
    ("Policy", ["Data policy", "Licences", "Access rules"]),
    ("Any other business", ["Next meeting", "Travel", "Announcements"]),
]
# Ordered from the most talked-about to the least: a topic's weight is
# 1/(rank + 3), as word counts of real minutes fall off, so that the commonest
# topic is in about a quarter of the sections and most in one or two percent.
TOPICS = [
    "the data catalogue", "the metadata schema", "the release branch",
    "the user portal", "the data policy", "the ingest service", "the landing pages",
    "DOI minting", "the reduction pipeline", "the storage quota",
    "the beamline scheduler", "the proposal system", "single sign-on",
    "detector calibration", "ptychography reconstruction", "the tape archive",
    "sample tracking", "the embargo period", "the licence text", "the workflow",
    "the cryostat", "tomography throughput", "the web front end",
    "the search index", "the download service", "the authentication proxy",
    "the test suite", "the deployment scripts", "the container images",
    "the monitoring dashboards", "the backup schedule", "the mailing list",
    "the wiki migration", "the training course", "the user survey",
    "the helpdesk queue", "the budget request", "the hardware refresh",
    "the firewall rules", "the database upgrade", "the schema migration",
    "the file format converter", "the HDF5 writer", "the NeXus definitions",
    "the visitor programme", "the summer school", "the annual report",
    "the security audit", "the password policy", "the code of conduct",
    "the issue tracker", "the continuous integration", "the documentation site",
    "the plugin interface", "the query language", "the REST endpoints",
    "the notebook service", "the GPU cluster", "the cold storage tier",
    "the transfer tool", "the checksum verification", "the retention rules",
    "the anonymisation script", "the persistent identifiers", "the ORCID link",
    "the funder reporting", "the grant proposal", "the hackathon",
    "the style guide", "the accessibility review", "the translation strings",
    "the Java client", "the Python bindings", "the command-line tool",
    "the log rotation", "the certificate renewal", "the load balancer",
    "the spectroscopy viewer", "the diffraction indexer", "the laue camera",
    "the vacuum interlock", "the sample changer", "the goniometer firmware",
    "the beam position monitor", "the neutron guide", "the chopper timing",
    "the muon spectrometer", "the crystallography queue", "the SAXS pipeline",
    "the cryo-EM transfer", "the electronic logbook", "the shift rota",
]  # fmt: skip
TOPIC_WEIGHTS = [1 / (rank + 3) for rank in range(1, len(TOPICS) + 1)]
VERBS = [
    "reported progress on", "raised a concern about", "proposed changes to",
    "asked for feedback on", "summarised the status of", "demonstrated",
    "will circulate a note on", "reviewed", "benchmarked", "closed the ticket on",
]  # fmt: skip
CLAUSES = [
    "before the next shutdown", "for the spring cycle", "with the other sites",
    "after the firmware update", "within the agreed budget", "as discussed in June",
    "pending approval by the steering group", "and found no regressions",
    "once the new hardware arrives", "following the user survey",
]  # fmt: skip
LIST_ITEMS = [
    "write up the decision", "update the wiki page", "check the numbers again",
    "ask the users", "open a ticket", "compare with last year", "share the slides",
    "agree a deadline", "test on the staging server", "draft a short FAQ",
]  # fmt: skip
ACTION_VERBS = [
    "Circulate", "Draft", "Review", "Benchmark", "Document", "Test", "Agree",
    "Prepare", "Survey", "Migrate", "Summarise", "Update",
]  # fmt: skip
COMMENTS = [
    "Ongoing.", "Partly done; the rest after the shutdown.", "Done, see the wiki.",
    "Delayed by the hardware order.", "No longer needed.", "Waiting for input.",
]  # fmt: skip


ATTENDANCE_STATUSES = ["present", "remote", "apologies", "absent"]
ATTENDANCE_COLUMNS = [
    "created_at", "updated_at", "meeting_id", "person_id", "status",
    "organisation_id", "note",
]  # fmt: skip
SECTION_COLUMNS = [
    "id", "created_at", "updated_at", "version", "meeting_id", "parent_id",
    "position", "title", "body", "presenter_id",
]  # fmt: skip
UPDATE_COLUMNS = [
    "created_at", "updated_at", "action_id", "meeting_id", "status", "comment",
    "created_by_id",
]  # fmt: skip


class RowWriter:
    """Writes the large tables as plain rows: COPY on PostgreSQL, where it is
    many times faster than building model instances, bulk_create elsewhere.

    Rows are tuples in the order of the columns given, with database column
    values (``meeting_id``, not ``meeting``) and nothing left to defaults.
    """

    def __init__(self):
        self.last_ids: dict[type, int] = {}

    def next_id(self, model) -> int:
        if model not in self.last_ids:
            self.last_ids[model] = model.objects.aggregate(last=Max("pk"))["last"] or 0
        self.last_ids[model] += 1
        return self.last_ids[model]

    def write(self, model, columns: list[str], rows: list[tuple]) -> None:
        if connection.vendor != "postgresql":
            objects = (model(**dict(zip(columns, row, strict=True))) for row in rows)
            model.objects.bulk_create(objects, batch_size=BATCH)
            return
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        copy_sql = f"COPY {table} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(row)

    def finish(self) -> None:
        """Move the id sequences past the ids chosen here."""
        sql = connection.ops.sequence_reset_sql(no_style(), list(self.last_ids))
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)


@dataclass
class Plan:
    """A meeting to write, decided before any row is written."""

    series: Series
    number: int
    date: datetime.date
    draft: bool
    pk: int | None = None
    later: list[Plan] = field(default_factory=list)


class Command(BaseCommand):
    help = "Make a large made-up archive (for benchmarks and load tests)."

    def add_arguments(self, parser):
        parser.add_argument("--meetings", type=int, default=500)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has meetings.",
        )

    def handle(self, *args, meetings: int, seed: int, if_empty: bool, **options):
        if meetings < 1:
            raise CommandError("--meetings must be at least 1.")
        if Meeting.objects.exists():
            if if_empty:
                self.stdout.write("The database has meetings already; nothing done.")
                return
            raise CommandError("The database has meetings already; use an empty one.")

        started = time.perf_counter()
        self.random = random.Random(seed)
        with transaction.atomic():
            counts = self.generate(meetings)
        if connection.vendor == "postgresql":
            # Rows inserted after a GIN index was built wait in its pending
            # list, which the planner prices so high that it scans the table
            # instead; VACUUM moves them into the index, ANALYZE adds statistics.
            # Inside a caller's transaction (a test, say) VACUUM cannot run;
            # ANALYZE still can.
            with connection.cursor() as cursor:
                cursor.execute(
                    "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                )
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Made {summary} in {elapsed:.1f} s."))

    def generate(self, count: int) -> dict[str, int]:
        self.rows = RowWriter()
        people = self.make_people()
        plans = self.make_meetings(count)
        counts = {"meetings": len(plans), "people": len(people)}
        for start in range(0, len(plans), CHUNK):
            written = self.write_chunk(plans[start : start + CHUNK], people)
            for name, n in written.items():
                counts[name] = counts.get(name, 0) + n
        self.rows.finish()
        return counts

    # Directory and meetings

    def make_people(self) -> list[Person]:
        organisations = Organisation.objects.bulk_create(
            Organisation(short_name=short, name=name, country=country)
            for short, name, country in ORGANISATIONS
        )
        names = [(first, last) for first in FIRST_NAMES for last in SURNAMES]
        chosen = self.random.sample(names, 160)
        people = Person.objects.bulk_create(
            Person(
                name=f"{first} {last}",
                initials=f"{first[0]}{last[0]}{n % 10}",
                email=f"person{n}@example.org",
                organisation=self.random.choice(organisations),
            )
            for n, (first, last) in enumerate(chosen)
        )
        PersonAlias.objects.bulk_create(
            PersonAlias(person=person, alias=person.name.split()[0])
            for person in people[::3]
        )
        return people

    def make_meetings(self, count: int) -> list[Plan]:
        series = [
            Series.objects.create(name=name, slug=slug, description=f"{name} (load)")
            for name, slug, _weight in SERIES
        ]
        weights = [weight for _name, _slug, weight in SERIES]
        today = timezone.localdate()
        numbers = dict.fromkeys(series, 0)
        last_of: dict[Series, Plan] = {}

        plans = []
        for index in range(count):
            chosen = self.random.choices(series, weights)[0]
            numbers[chosen] += 1
            # Two days apart, ending a few meetings after today: the newest few
            # are upcoming drafts, like a real archive.
            date = today - datetime.timedelta(days=2 * (count - index) - 6)
            plan = Plan(chosen, numbers[chosen], date, draft=date > today)
            if chosen in last_of:
                last_of[chosen].later.append(plan)
            plans.append(plan)
            last_of[chosen] = plan
        self.link_later_meetings(plans)

        now = timezone.now()
        rows = Meeting.objects.bulk_create(
            (
                Meeting(
                    series=plan.series,
                    number=plan.number,
                    title=f"{plan.series.name} {plan.number}",
                    date=plan.date,
                    location="Video call",
                    status="draft" if plan.draft else "published",
                    published_at=None if plan.draft else now,
                    notes=self.sentence() if self.random.random() < 0.3 else "",
                )
                for plan in plans
            ),
            batch_size=BATCH,
        )
        for plan, row in zip(plans, rows, strict=True):
            plan.pk = row.pk
        return plans

    def link_later_meetings(self, plans: list[Plan]) -> None:
        """Give each plan the next four meetings of its series, for updates."""
        for plan in plans:
            chain, cursor = [], plan
            while cursor.later and len(chain) < 4:
                cursor = cursor.later[0]
                chain.append(cursor)
            plan.later = chain

    # One chunk of meetings

    def write_chunk(self, plans: list[Plan], people: list[Person]) -> dict[str, int]:
        now = timezone.now()
        attendance = [
            (now, now, plan.pk, person.pk, status, None, "")
            for plan in plans
            for person, status in self.attendees(people)
        ]
        self.rows.write(Attendance, ATTENDANCE_COLUMNS, attendance)

        sections, top_ids = self.build_sections(plans, people, now)
        self.rows.write(Section, SECTION_COLUMNS, sections)

        actions, owners, updates = self.build_actions(plans, people, top_ids)
        ActionItem.objects.bulk_create(actions, batch_size=BATCH)
        self.rows.write(
            ActionItem.owners.through,
            ["actionitem_id", "person_id"],
            [
                (action.pk, person)
                for action, persons in zip(actions, owners, strict=True)
                for person in persons
            ],
        )
        self.rows.write(
            ActionUpdate,
            UPDATE_COLUMNS,
            [
                (now, now, action.pk, meeting, status, comment, None)
                for action, (meeting, status, comment) in updates
            ],
        )
        return {
            "attendance": len(attendance),
            "sections": len(sections),
            "actions": len(actions),
            "updates": len(updates),
        }

    def attendees(self, people: list[Person]) -> list[tuple[Person, str]]:
        chosen = self.random.sample(people, self.random.randint(6, 18))
        statuses = self.random.choices(ATTENDANCE_STATUSES, [5, 8, 2, 1], k=len(chosen))
        return list(zip(chosen, statuses, strict=True))

    def build_sections(self, plans, people, now) -> tuple[list[tuple], dict]:
        """About twenty sections a meeting, up to three levels deep, with ids
        chosen here so that children can name their parents."""
        rows, top_ids = [], {}

        def add(meeting, parent, position, title, body, presenter) -> int:
            section_id = self.rows.next_id(Section)
            values = (meeting, parent, position, title, body, presenter)
            rows.append((section_id, now, now, 1, *values))
            return section_id

        for plan in plans:
            top_ids[plan.pk] = []
            for position, (title, subtitles) in enumerate(AGENDA):
                intro = self.body(people) if self.random.random() < 0.5 else ""
                top = add(plan.pk, None, position, title, intro, None)
                top_ids[plan.pk].append(top)
                count = self.random.randint(2, len(subtitles))
                for sub_position, subtitle in enumerate(subtitles[:count]):
                    presenter = self.random.choice(people).pk
                    body = self.body(people)
                    sub = add(plan.pk, top, sub_position, subtitle, body, presenter)
                    if self.random.random() < 0.15:
                        add(plan.pk, sub, 0, "Discussion", self.body(people), None)
        return rows, top_ids

    def build_actions(self, plans, people, top_ids):
        actions, owners, updates = [], [], []
        for plan in plans:
            for n in range(1, self.random.randint(3, 7) + 1):
                action = ActionItem(
                    series_id=plan.series.pk,
                    meeting_id=plan.pk,
                    section_id=self.random.choice(top_ids[plan.pk]),
                    reference=f"{plan.number}.{n:02d}",
                    description=self.action_text(),
                    due_date=plan.date + datetime.timedelta(days=30),
                )
                updates += [(action, row) for row in self.plan_updates(action, plan)]
                actions.append(action)
                owners.append(
                    {person.pk for person in self.random.sample(people, 2)}
                    if self.random.random() < 0.8
                    else set()
                )
        return actions, owners, updates

    def plan_updates(self, action: ActionItem, plan: Plan) -> list[tuple]:
        """Reviews of ``action`` at later meetings; the last one sets its status."""
        history = []
        for later in plan.later[: self.random.randint(0, 4)]:
            if later.draft:
                break
            status = self.random.choices(["in_progress", "done", "dropped"], [5, 4, 1])[
                0
            ]
            history.append((later.pk, status, self.random.choice(COMMENTS)))
            action.status = status
            if status in ("done", "dropped"):
                action.closed_at_id = later.pk
                action.closed_on = later.date
                break
        return history

    # Words

    def topic(self) -> str:
        return self.random.choices(TOPICS, TOPIC_WEIGHTS)[0]

    def sentence(self) -> str:
        verb, topic = self.random.choice(VERBS), self.topic()
        return f"{verb.capitalize()} {topic} {self.random.choice(CLAUSES)}."

    def body(self, people: list[Person]) -> str:
        lines = []
        for _ in range(self.random.randint(2, 5)):
            speaker = self.random.choice(people)
            verb, topic = self.random.choice(VERBS), self.topic()
            clause = self.random.choice(CLAUSES)
            lines.append(f"{speaker.initials}: {verb} {topic} {clause}.")
        if self.random.random() < 0.5:
            mentioned = self.random.choice(people).name
            lines.append(f"{mentioned} agreed to follow up with the other sites.")
        if self.random.random() < 0.4:
            items = self.random.sample(LIST_ITEMS, 3)
            lines.append("\n".join(f"- {item}" for item in items))
        return "\n\n".join(lines)

    def action_text(self) -> str:
        verb, topic = self.random.choice(ACTION_VERBS), self.topic()
        return f"{verb} {topic} {self.random.choice(CLAUSES)}."

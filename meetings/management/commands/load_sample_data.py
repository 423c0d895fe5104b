"""Load a small, made-up collaboration so that a new site has something to show.

Every name and word here is invented for the sample; the dates are placed around
today so that the home page has both recent and upcoming meetings.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from meetings.folding import fold
from meetings.models import (
    ActionItem,
    ActionLink,
    ActionUpdate,
    Attendance,
    Meeting,
    Organisation,
    Person,
    PersonAlias,
    Section,
    Series,
)

ORGANISATIONS = [
    ("NLS", "Northlight Synchrotron (sample)", "Norway"),
    ("RNS", "Riverside Neutron Source (sample)", "United Kingdom"),
    ("HXF", "Harbour X-ray Facility (sample)", "Denmark"),
    ("MLS", "Meadow Light Source (sample)", "France"),
    ("CDC", "Central Data Centre (sample)", "Germany"),
]

# name, initials, organisation, aliases
PEOPLE = [
    ("Ada Example", "AE", "NLS", ["Ada"]),
    ("Bram Sample", "BS", "NLS", ["Bram"]),
    ("Carla Placeholder", "CP", "RNS", ["Carla"]),
    ("Dev Testwell", "DT", "RNS", ["Dev"]),
    ("Edda Mockridge", "EM", "HXF", ["Edda"]),
    ("Farid Dummett", "FD", "HXF", ["Farid"]),
    ("Gita Fictive", "GF", "MLS", ["Gita"]),
    ("Hugo Notreal", "HN", "MLS", ["Hugo"]),
    ("Ines Madeup", "IM", "CDC", ["Ines"]),
    ("Jonas Example-Smith", "JES", "CDC", ["Jonas", "Jonas E."]),
    ("Kai Sampleton", "KS", "NLS", ["Kai"]),
    ("Lena Imaginary", "LI", "RNS", ["Lena"]),
    # Accented, so that the sample shows accent-insensitive search.
    ("Jörg Mustermänn", "JM", "CDC", ["Jörg"]),
]

SERIES = [
    ("Collaboration meeting", "collaboration", "Monthly video call of all sites."),
    ("Steering group", "steering", "Quarterly meeting of the site leads."),
    ("Face-to-face", "face-to-face", "Yearly workshop hosted by one site."),
]

SITE_REPORTS = {
    "NLS": "AE: The beamline scheduler now writes run numbers into the catalogue.\n\n"
    "BS: Disk quota alerts were noisy last month; thresholds are now per group.",
    "RNS": "CP: Cycle 3 finished on time. About 4% of runs had no sample "
    "description; a reminder goes to users at proposal time from now on.\n\n"
    "- Migration of the old archive: **80%** done\n- Tape library firmware updated",
    "HXF": "EM: Nothing new beyond the [status page](https://example.org/status).\n\n"
    "FD: Testing the new ingest daemon on two instruments.",
    "MLS": "GF: Upgrade of the authentication service is planned for the shutdown.\n\n"
    "| Service | Version | Planned |\n|---|---|---|\n"
    "| Catalogue | 2.1 | next month |\n| Ingest | 1.4 | done |",
}


class Command(BaseCommand):
    help = "Load a made-up collaboration (people, series, meetings, actions)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing, successfully, when the database already has meetings.",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if Meeting.objects.exists():
            if if_empty:
                self.stdout.write("The database already has meetings; sample skipped.")
                return
            raise CommandError(
                "The database already has meetings; the sample is meant for an "
                "empty site (use --if-empty to skip quietly)."
            )
        counts = load_sample(today=timezone.localdate())
        self.stdout.write(
            self.style.SUCCESS(
                "Loaded sample data: "
                + ", ".join(f"{n} {what}" for what, n in counts.items())
            )
        )


@transaction.atomic
def load_sample(today: datetime.date) -> dict[str, int]:
    """Create the sample collaboration; returns counts of what was made."""
    organisations = {
        short: Organisation.objects.create(short_name=short, name=name, country=land)
        for short, name, land in ORGANISATIONS
    }
    people = {}
    for name, initials, org, aliases in PEOPLE:
        person = Person.objects.create(
            name=name,
            initials=initials,
            organisation=organisations[org],
            email=f"{fold(name.split()[0])}@example.org",
        )
        PersonAlias.objects.bulk_create(
            PersonAlias(person=person, alias=alias) for alias in aliases
        )
        people[initials] = person
    series = {
        slug: Series.objects.create(name=name, slug=slug, description=text)
        for name, slug, text in SERIES
    }
    builder = _SampleBuilder(people, organisations, series, today)
    builder.build()
    return {
        "organisations": len(organisations),
        "people": len(people),
        "series": len(series),
        "meetings": Meeting.objects.count(),
        "sections": Section.objects.count(),
        "actions": ActionItem.objects.count(),
        "action updates": ActionUpdate.objects.count(),
    }


class _SampleBuilder:
    def __init__(self, people, organisations, series, today):
        self.people = people
        self.organisations = organisations
        self.series = series
        self.today = today
        self.now = timezone.now()

    def build(self) -> None:
        first = self.collaboration(41, days_ago=120, chair="AE", scribe="BS")
        a1 = self.action(first, "41.01", "Write up the catalogue release plan", ["GF"])
        a2 = self.action(
            first, "41.02", "Collect ingest figures from every site", ["IM", "JES"]
        )
        a3 = self.action(
            first, "41.03", "Propose a common licence text for data", [], org="RNS"
        )
        a4 = self.action(
            first, "41.04", "Find a date for the autumn workshop", ["EM"], due=-100
        )

        second = self.collaboration(42, days_ago=90, chair="AE", scribe="BS")
        self.update(a1, second, "in_progress", "Draft shared on the wiki.")
        self.update(a2, second, "open", "Two sites still to report.")
        self.update(a4, second, "done", "Workshop fixed at HXF.")
        b1 = self.action(
            second, "42.01", "Test the new ingest daemon at two sites", ["FD", "DT"]
        )
        b2 = self.action(
            second, "42.02", "Draft the data policy summary", ["CP"], due=-20
        )

        self.steering(7, days_ago=75)
        self.face_to_face(days_ago=45)

        third = self.collaboration(43, days_ago=60, chair="CP", scribe="KS")
        self.update(a1, third, "done", "Plan agreed.")
        self.update(b1, third, "in_progress", "Running at RNS; HXF next.")
        c1 = self.action(
            third, "43.01", "Combine licence text and data policy summary", ["CP"]
        )
        self.supersede(a3, by=c1, meeting=third)
        self.supersede(b2, by=c1, meeting=third)
        c2 = self.action(
            third, "43.02", "Circulate slides from the workshop", ["EM"], due=-40
        )

        fourth = self.collaboration(44, days_ago=30, chair="AE", scribe="BS")
        self.update(a2, fourth, "dropped", "Figures now come from the dashboard.")
        self.update(c1, fourth, "open", "Waiting for legal advice.")
        self.update(c2, fourth, "open", "Still to do.")
        self.action(
            fourth, "44.01", "Prepare the agenda for the next steering group", ["AE"]
        )
        self.action(
            fourth,
            "44.02",
            "Each site checks its entry on the members page",
            [],
            owners_text="All",
            due=14,
        )
        first.approved_at = second
        first.save()

        upcoming = self.collaboration(
            45, days_ago=-21, chair="CP", scribe="KS", published=False, agenda_only=True
        )
        upcoming.location = "Video call"
        upcoming.save()

    # Meetings

    def collaboration(
        self, number, days_ago, chair, scribe, published=True, agenda_only=False
    ) -> Meeting:
        date = self.today - datetime.timedelta(days=days_ago)
        meeting = self.meeting(
            "collaboration",
            number,
            f"Collaboration meeting {number}",
            date,
            chair,
            scribe,
            published,
        )
        meeting.start_time = datetime.time(14, 0)
        meeting.timezone = "Europe/Paris"
        meeting.video_url = "https://video.example.org/collaboration"
        meeting.save()
        present = ["AE", "BS", "CP", "EM", "GF", "IM", "KS", chair, scribe]
        if not agenda_only:
            self.attend(meeting, present, apologies=["HN", "LI"], absent=["JES"])
            self.people_note(meeting, "FD", "joined 20 minutes late", "remote")

        welcome = self.section(meeting, None, 0, "Welcome and agenda")
        if not agenda_only:
            welcome.body = (
                f"{chair}: Welcome all. Agenda accepted without changes.\n\n"
                "Minutes of the previous meeting approved."
            )
            welcome.save()
        self.section(meeting, None, 1, "Review of actions")
        sites = self.section(meeting, None, 2, "Site updates")
        for position, (org, body) in enumerate(SITE_REPORTS.items()):
            self.section(meeting, sites, position, org, "" if agenda_only else body)
        software = self.section(meeting, None, 3, "Software")
        catalogue = self.section(meeting, software, 0, "Data catalogue")
        self.section(
            meeting,
            catalogue,
            0,
            "Release 2.1",
            ""
            if agenda_only
            else "GF: Release candidate tagged.\n\n"
            "IM: Please test the search changes before Friday; known issues:\n\n"
            "1. slow facet counts\n2. ~~missing DOI link~~ fixed",
        )
        self.section(
            meeting, None, 4, "Any other business", "" if agenda_only else "None."
        )
        return meeting

    def steering(self, number, days_ago) -> Meeting:
        date = self.today - datetime.timedelta(days=days_ago)
        meeting = self.meeting(
            "steering", number, f"Steering group {number}", date, "EM", "IM", True
        )
        self.attend(meeting, ["AE", "CP", "EM", "GF", "IM"], apologies=["HN"])
        self.section(
            meeting,
            None,
            0,
            "Budget",
            "EM: Travel budget for the workshop confirmed.\n\nAgreed unanimously.",
        )
        self.section(meeting, None, 1, "Membership", "A sixth site asked to join.")
        action = self.action(
            meeting, "7.1", "Reply to the site that asked to join", ["EM"]
        )
        action.section = meeting.sections.get(title="Membership")
        action.save()
        return meeting

    def face_to_face(self, days_ago) -> Meeting:
        date = self.today - datetime.timedelta(days=days_ago)
        meeting = self.meeting(
            "face-to-face", None, "Autumn workshop at HXF", date, "EM", "FD", True
        )
        meeting.location = "HXF, seminar room 2"
        meeting.save()
        self.attend(
            meeting,
            ["AE", "BS", "CP", "DT", "EM", "FD", "GF", "HN", "IM", "JES", "JM", "LI"],
            apologies=["KS"],
        )
        day1 = self.section(meeting, None, 0, "Day 1")
        self.section(
            meeting,
            day1,
            0,
            "Keynote: ten years of shared metadata",
            "Slides on the wiki. Discussion about persistent identifiers:\n\n"
            "- DT: identifiers for samples, not only for data\n"
            "- AE: agreed, start with one pilot",
        )
        self.section(meeting, day1, 1, "Hands-on session", "Three groups, notes below.")
        day2 = self.section(meeting, None, 1, "Day 2")
        self.section(
            meeting,
            day2,
            0,
            "Roadmap",
            "Priorities for next year agreed. Jörg Mustermänn keeps the list on "
            "the wiki.",
        )
        self.action(meeting, "W.1", "Publish the roadmap", ["DT", "LI"])
        return meeting

    def meeting(self, slug, number, title, date, chair, scribe, published) -> Meeting:
        meeting = Meeting.objects.create(
            series=self.series[slug],
            number=number,
            title=title,
            date=date,
            chair=self.people[chair],
            status="published" if published else "draft",
            published_at=self.now if published else None,
        )
        meeting.scribes.add(self.people[scribe])
        return meeting

    def attend(self, meeting, present, apologies=(), absent=()) -> None:
        rows = [(i, "present") for i in dict.fromkeys(present)]
        rows += [(i, "apologies") for i in apologies]
        rows += [(i, "absent") for i in absent]
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, person=self.people[initials], status=status)
            for initials, status in rows
        )

    def people_note(self, meeting, initials, note, status) -> None:
        Attendance.objects.update_or_create(
            meeting=meeting,
            person=self.people[initials],
            defaults={"note": note, "status": status},
        )

    def section(self, meeting, parent, position, title, body="") -> Section:
        return Section.objects.create(
            meeting=meeting, parent=parent, position=position, title=title, body=body
        )

    # Actions

    def action(
        self, meeting, reference, text, owners, org=None, owners_text="", due=None
    ) -> ActionItem:
        action = ActionItem.objects.create(
            meeting=meeting,
            reference=reference,
            description=text,
            owner_organisation=self.organisations.get(org),
            owners_text=owners_text,
            due_date=self.today + datetime.timedelta(days=due) if due else None,
        )
        action.owners.set(self.people[i] for i in owners)
        return action

    def update(self, action, meeting, status, comment) -> None:
        ActionUpdate.objects.create(
            action=action, meeting=meeting, status=status, comment=comment
        )
        action.status = status
        if status not in ActionItem.OPEN_STATUSES:
            action.closed_at = meeting
            action.closed_on = meeting.date
        action.save()

    def supersede(self, action, by, meeting) -> None:
        action.superseded_by = by
        self.update(action, meeting, "superseded", f"Superseded by {by.reference}.")
        ActionLink.objects.create(source=action, target=by, kind="subsumed_by")

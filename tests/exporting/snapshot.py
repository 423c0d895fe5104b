"""What a round trip (export, then import into an empty database) must keep,
as plain data that compares across databases: names instead of ids."""

from django.test import override_settings

from meetings.exporting.markdown import export_meeting, export_path
from meetings.importing.people import PeopleEntry
from meetings.importing.run import MinutesFile
from meetings.models import (
    ActionItem,
    ActionLink,
    ActionUpdate,
    Meeting,
    Organisation,
    Person,
    Series,
)

# Sections the export adds for attendance and actions typed in on the site.
GENERATED_SECTIONS = {"Attendance", "Actions"}


def export_all() -> list[MinutesFile]:
    """Every meeting as an exported file, named where the exporter puts it."""
    meetings = Meeting.objects.with_tree().order_by("date", "pk")
    return [MinutesFile(export_path(m), export_meeting(m).encode()) for m in meetings]


def people_directory() -> list[PeopleEntry]:
    """Everyone, as a people file (``--people``) would list them."""
    return [
        PeopleEntry(
            person.name,
            (person.initials,) if person.initials else (),
            tuple(alias.alias for alias in person.aliases.all()),
            person.organisation.short_name if person.organisation else None,
        )
        for person in Person.objects.select_related("organisation").prefetch_related(
            "aliases"
        )
    ]


def empty_database() -> None:
    """Delete everything an import writes, children first so that nothing is
    protected any more. The history of the deleted rows is not recorded: it
    would only slow the tests down."""
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        # Deleting a successor would leave "superseded" without one, which the
        # database refuses.
        ActionItem.objects.update(superseded_by=None, status=ActionItem.Status.DROPPED)
        ActionItem.objects.all().delete()
        Meeting.objects.all().delete()
        Person.objects.all().delete()
        Organisation.objects.all().delete()
        Series.objects.all().delete()


def snapshot() -> dict[tuple, dict]:
    """Each meeting's attendance, sections and bodies, actions and statuses,
    keyed by series, date and title."""
    meetings = Meeting.objects.with_tree().order_by("date", "pk")
    links = _links()
    return {
        (m.series.slug, m.date, m.title): {
            "number": m.number,
            "attendance": sorted(
                # The export writes commas in notes as semicolons.
                (a.person.name, a.status, a.note.replace(",", ";"))
                for a in m.attendances.all()
            ),
            "sections": _sections(m),
            "actions": sorted(_action(a, links) for a in m.actions_raised.all()),
            "updates": sorted(_update(u) for u in m.action_updates.all()),
        }
        for m in meetings
    }


def _sections(meeting: Meeting) -> list[tuple]:
    rows = []

    def walk(nodes):
        for node in nodes:
            rows.append((node.depth, node.section.title, node.section.body))
            walk(node.children)

    walk(meeting.section_tree())
    return rows


def _links() -> dict[int, list[tuple]]:
    found: dict[int, list[tuple]] = {}
    for link in ActionLink.objects.select_related("target"):
        found.setdefault(link.source_id, []).append((link.kind, link.target.reference))
    return found


def _action(action: ActionItem, links) -> tuple:
    return (
        action.reference,
        action.description,
        action.status,
        tuple(sorted(p.name for p in action.owners.all())),
        str(action.owner_organisation or ""),
        action.owners_text,
        action.due_date,
        tuple(sorted(links.get(action.pk, []))),
    )


def _update(update: ActionUpdate) -> tuple:
    return (update.action.reference, update.status, update.comment)


def differences(before: dict, after: dict) -> list[str]:
    """What the round trip changed, meeting by meeting and part by part.

    Sections the export generates for site-typed attendance and actions may
    follow the original ones; comments may gain the link words the export
    writes for links made on the site.
    """
    found = []
    if sorted(before) != sorted(after):
        found.append(f"meetings: {sorted(set(before) ^ set(after))}")
    for key in sorted(set(before) & set(after)):
        old, new = before[key], after[key]
        sections = new["sections"][: len(old["sections"])]
        extra = {title for _, title, _ in new["sections"][len(old["sections"]) :]}
        for part in ("number", "attendance", "actions", "updates"):
            if old[part] != new[part]:
                found.append(f"{key}: {part}: {old[part]!r} != {new[part]!r}")
        if sections != old["sections"] or not extra <= GENERATED_SECTIONS:
            found.append(f"{key}: sections differ")
    return found

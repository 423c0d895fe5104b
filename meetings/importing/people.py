"""Preload the people directory from a JSON file such as the archive's
``people.json``, before importing minutes.

The file is a list of objects::

    [{"name": "Ada Example", "initials": ["AE"], "variants": ["Ada", "Ada E."],
      "organisation": "NLS"}]

``initials`` may also be a single string; ``organisation`` may be null; other
keys (such as ``roles``) are ignored. The whole file is checked before anything
is written, and loading it twice changes nothing the second time.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from meetings.models import Organisation, Person, PersonAlias

from .directory import name_key

logger = logging.getLogger(__name__)

_NAME_MAX = Person._meta.get_field("name").max_length
_INITIALS_MAX = Person._meta.get_field("initials").max_length
_ALIAS_MAX = PersonAlias._meta.get_field("alias").max_length
_ORGANISATION_MAX = Organisation._meta.get_field("short_name").max_length


class PeopleFileError(ValueError):
    """A people file that cannot be loaded; nothing was written."""


@dataclass(frozen=True)
class PeopleEntry:
    """One person of the file, checked."""

    name: str
    initials: tuple[str, ...]
    variants: tuple[str, ...]
    organisation: str | None


@dataclass
class PeopleLoadResult:
    """What loading a people file created or added."""

    people_created: list[str] = field(default_factory=list)
    aliases_added: int = 0
    organisations_created: list[str] = field(default_factory=list)
    people_completed: int = 0

    def summary(self) -> str:
        return (
            f"{len(self.people_created)} people created, "
            f"{self.people_completed} completed, {self.aliases_added} aliases "
            f"added, {len(self.organisations_created)} organisations created"
        )


def read_people_file(data: bytes) -> list[PeopleEntry]:
    """Check and read the file's content; raise ``PeopleFileError`` saying what
    is wrong and where (the line for JSON errors, else the entry)."""
    try:
        loaded = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise PeopleFileError(f"not valid UTF-8 (byte offset {error.start})") from error
    except json.JSONDecodeError as error:
        raise PeopleFileError(
            f"line {error.lineno}, column {error.colno}: not valid JSON: {error.msg}"
        ) from error
    if not isinstance(loaded, list):
        raise PeopleFileError(
            f"expected a list of people, found a {type(loaded).__name__}"
        )
    entries = [_entry(number, item) for number, item in enumerate(loaded, 1)]
    _check_unique(entries)
    return entries


def _entry(number: int, item: Any) -> PeopleEntry:
    where = f"entry {number}"
    if not isinstance(item, dict):
        raise PeopleFileError(f"{where}: expected an object, found {item!r:.60}")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise PeopleFileError(f"{where}: 'name' must be a non-empty string")
    name = " ".join(name.split())
    where = f"entry {number} ({name})"
    if len(name) > _NAME_MAX:
        raise PeopleFileError(f"{where}: the name is longer than {_NAME_MAX}")

    initials = item.get("initials")
    if isinstance(initials, str):
        initials = [initials]
    initials = _strings(initials, where, "initials", _INITIALS_MAX)
    variants = _strings(item.get("variants"), where, "variants", _ALIAS_MAX)
    organisation = item.get("organisation")
    if organisation is not None:
        if not isinstance(organisation, str):
            raise PeopleFileError(f"{where}: 'organisation' must be a string or null")
        organisation = " ".join(organisation.split()) or None
        if organisation and len(organisation) > _ORGANISATION_MAX:
            raise PeopleFileError(
                f"{where}: organisation {organisation!r} is longer than "
                f"{_ORGANISATION_MAX} characters"
            )
    return PeopleEntry(name, initials, variants, organisation)


def _strings(value: Any, where: str, key: str, longest: int) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PeopleFileError(f"{where}: {key!r} must be a list of strings")
    cleaned = [" ".join(v.split()) for v in value]
    too_long = next((v for v in cleaned if len(v) > longest), None)
    if too_long is not None:
        raise PeopleFileError(
            f"{where}: {key} {too_long!r} is longer than {longest} characters"
        )
    return tuple(dict.fromkeys(v for v in cleaned if v))


def _check_unique(entries: list[PeopleEntry]) -> None:
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries, 1):
        first = seen.setdefault(name_key(entry.name), number)
        if first != number:
            raise PeopleFileError(
                f"entry {number} ({entry.name}): the same name as entry {first}"
            )


def load_people(entries: list[PeopleEntry]) -> PeopleLoadResult:
    """Create the people, organisations and aliases the database lacks.

    A person is matched by name (case and spacing ignored). Blanks of an
    existing person (initials, organisation) are filled in; what an admin set
    is kept. Everything happens in one transaction.
    """
    result = PeopleLoadResult()
    with transaction.atomic():
        organisations = {
            name_key(org.short_name): org for org in Organisation.objects.all()
        }
        people = {name_key(p.name): p for p in Person.objects.order_by("-pk")}
        known_aliases = {
            (person_id, name_key(alias))
            for person_id, alias in PersonAlias.objects.values_list("person", "alias")
        }
        for entry in entries:
            organisation = _organisation(entry, organisations, result)
            person = people.get(name_key(entry.name))
            if person is None:
                person = _create(entry, organisation)
                people[name_key(entry.name)] = person
                result.people_created.append(person.name)
            elif _complete(person, entry, organisation):
                result.people_completed += 1
            result.aliases_added += _add_aliases(person, entry, known_aliases)
    logger.info("Loaded people file: %s", result.summary())
    return result


def _organisation(
    entry: PeopleEntry, known: dict[str, Organisation], result: PeopleLoadResult
) -> Organisation | None:
    if not entry.organisation:
        return None
    key = name_key(entry.organisation)
    if key not in known:
        known[key] = Organisation.objects.create(short_name=entry.organisation)
        result.organisations_created.append(entry.organisation)
    return known[key]


def _create(entry: PeopleEntry, organisation: Organisation | None) -> Person:
    initials = entry.initials[0] if entry.initials else ""
    return Person.objects.create(
        name=entry.name, initials=initials, organisation=organisation
    )


def _complete(
    person: Person, entry: PeopleEntry, organisation: Organisation | None
) -> bool:
    changed = []
    if not person.initials and entry.initials:
        person.initials = entry.initials[0]
        changed.append("initials")
    if person.organisation_id is None and organisation is not None:
        person.organisation = organisation
        changed.append("organisation")
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
    return bool(changed)


def _add_aliases(
    person: Person, entry: PeopleEntry, known: set[tuple[int, str]]
) -> int:
    """Variants, and initials beyond the first, as aliases; the name itself and
    the initials already stored are found without one."""
    skip = {name_key(person.name), name_key(person.initials)}
    wanted = [*entry.variants, *entry.initials[1:]]
    added = 0
    for spelling in wanted:
        key = name_key(spelling)
        if not key or key in skip or (person.pk, key) in known:
            continue
        PersonAlias.objects.create(person=person, alias=spelling)
        known.add((person.pk, key))
        added += 1
    return added

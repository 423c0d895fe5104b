"""Resolve names as minutes write them ("Ada", "AE", "Ada Exmaple") to people.

The importer and the Markdown exporter both need to know which ``Person`` a
written name means. ``PeopleDirectory`` loads everyone once (two queries) and
answers from memory, so resolving the hundred names of a file costs nothing
more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from meetings.models import Person

# Dots and commas around a name are punctuation of the sentence, not the name.
_EDGE_PUNCTUATION = " .,;:*_()[]"


def name_key(text: str) -> str:
    """The form names are compared in: case and spacing ignored."""
    return " ".join(text.split()).strip(_EDGE_PUNCTUATION).casefold()


@dataclass
class Resolution:
    """The outcome of looking up one written name.

    ``person`` is set when the name means exactly one person; ``candidates``
    lists everyone it could mean when it is ambiguous; ``guess`` says how a
    match that is not an exact name, initials or alias was made.
    """

    person: Person | None = None
    candidates: list[Person] = field(default_factory=list)
    guess: str = ""

    @property
    def is_ambiguous(self) -> bool:
        return self.person is None and len(self.candidates) > 1


class PeopleDirectory:
    """Everyone the site knows, indexed by every way they are written."""

    def __init__(self, people: Iterable[Person]) -> None:
        self._by_name: dict[str, dict[int, Person]] = {}
        self._by_initials: dict[str, dict[int, Person]] = {}
        self._by_first_name: dict[str, dict[int, Person]] = {}
        for person in people:
            self.add(person)

    @classmethod
    def load(cls) -> PeopleDirectory:
        """Everyone in the database, with their aliases."""
        return cls(Person.objects.prefetch_related("aliases"))

    def add(self, person: Person, aliases: Iterable[str] = ()) -> None:
        """Index ``person`` by name, initials, first name and aliases.

        Aliases come from the prefetched ``aliases`` of a saved person; a person
        created during an import has none yet, so extra spellings can be given.
        """
        spellings = [person.name, *aliases]
        if person.pk and "aliases" in getattr(person, "_prefetched_objects_cache", {}):
            spellings += [alias.alias for alias in person.aliases.all()]
        for spelling in spellings:
            _index(self._by_name, spelling, person)
        if person.initials:
            _index(self._by_initials, person.initials, person)
        first_name = person.name.split()[0] if person.name.split() else ""
        _index(self._by_first_name, first_name, person)

    def resolve(self, name: str, initials: str | None = None) -> Resolution:
        """Find the one person ``name`` (and, if given, ``initials``) means.

        An exact name or alias wins, then initials; a bare first name that only
        one person has is accepted as a guess, which the caller reports.
        Initials given next to a name settle a name shared by several people.
        """
        named = _lookup(self._by_name, name)
        by_initials = _lookup(self._by_initials, initials) if initials else []
        if len(named) == 1:
            return Resolution(named[0])
        if named:
            narrowed = [p for p in named if p in by_initials]
            if len(narrowed) == 1:
                return Resolution(narrowed[0])
            return Resolution(candidates=named)
        if len(by_initials) == 1:
            guess = f"by the initials {initials}"
            return Resolution(by_initials[0], guess=guess)
        written_as_initials = _lookup(self._by_initials, name)
        if len(written_as_initials) == 1:
            return Resolution(written_as_initials[0])
        if len(written_as_initials) > 1:
            return Resolution(candidates=written_as_initials)
        return self._first_name_guess(name)

    def _first_name_guess(self, name: str) -> Resolution:
        if len(name.split()) != 1:
            return Resolution()
        found = _lookup(self._by_first_name, name)
        if len(found) == 1:
            return Resolution(found[0], guess="as the only person with that first name")
        return Resolution(candidates=found)


def _index(index: dict[str, dict[int, Person]], text: str, person: Person) -> None:
    key = name_key(text)
    if key:
        # Keyed by id() as well as pk so that unsaved people can be indexed.
        index.setdefault(key, {})[person.pk or id(person)] = person


def _lookup(index: dict[str, dict[int, Person]], text: str | None) -> list[Person]:
    if not text:
        return []
    return list(index.get(name_key(text), {}).values())


_INITIALS = re.compile(r"^[A-Z][A-Za-z]?[A-Z]{0,3}$")


def looks_like_initials(text: str) -> bool:
    """Whether ``text`` is written like initials ("AE", "JES"), not a name."""
    return bool(_INITIALS.match(text.strip())) and text.strip() != text.strip().title()

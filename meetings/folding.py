"""Text compared as people read it: without capitals or accents.

``fold`` does it in Python; ``Folded`` does the same in SQL (PostgreSQL's
``unaccent``, or on SQLite this module's ``fold`` registered on every
connection), so that "Jorg", "JÖRG" and "Jörg" name the same person.
"""

import functools
import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import CharField, Func
from django.dispatch import receiver


def fold(text: str) -> str:
    """``text`` in lower case without accents: "Götz" and "GOTZ" give "gotz"."""
    return "".join(fold_char(char) for char in text)


@functools.lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class Folded(Func):
    """A text column folded like ``fold`` folds, for comparing in SQL with
    text folded in Python."""

    output_field = CharField()
    arity = 1

    def as_sql(self, compiler, connection, **extra):
        if connection.vendor == "postgresql":
            # The extension is created with the search configuration (0005).
            extra["template"] = "lower(unaccent(%(expressions)s))"
        elif connection.vendor == "sqlite":
            extra["function"] = "minutes_fold"
        else:
            extra["function"] = "LOWER"
        return super().as_sql(compiler, connection, **extra)


def _fold_or_none(text):
    return None if text is None else fold(text)


@receiver(connection_created)
def register_fold_on_sqlite(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "minutes_fold", 1, _fold_or_none, deterministic=True
        )

"""Full-text search on PostgreSQL: an accent-insensitive configuration, a stored
``search_vector`` column on meetings, sections and actions, kept current by
triggers, and GIN indexes on it.

The column is deliberately not a model field: ordinary reads (and the history
tables, which copy every field) never carry it, and a trigger fills it whatever
writes the row, including the importer's bulk inserts. On SQLite the migration
does nothing; ``meetings.search`` falls back to scanning there.
"""

from django.db import migrations

CONFIG = "minutes_unaccent"

# table, the text weighted A (titles, references), the text weighted B (bodies)
SEARCHED = [
    ("meetings_meeting", "title", "notes"),
    ("meetings_section", "title", "body"),
    ("meetings_actionitem", "reference", "description"),
]

CREATE_CONFIG = f"""
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = english);
ALTER TEXT SEARCH CONFIGURATION {CONFIG}
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
"""


def vector_sql(row: str, heading: str, body: str) -> str:
    return (
        f"setweight(to_tsvector('{CONFIG}', coalesce({row}.{heading}, '')), 'A') || "
        f"setweight(to_tsvector('{CONFIG}', coalesce({row}.{body}, '')), 'B')"
    )


def table_sql(table: str, heading: str, body: str) -> str:
    # The function compares old and new text itself rather than the trigger
    # saying "UPDATE OF title, body": a column named in a trigger can no longer
    # change type, which would block later migrations of these fields.
    return f"""
ALTER TABLE {table} ADD COLUMN search_vector tsvector;
UPDATE {table} AS t SET search_vector = {vector_sql("t", heading, body)};
CREATE INDEX {table}_search ON {table} USING gin (search_vector);
CREATE FUNCTION {table}_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND NEW.{heading} IS NOT DISTINCT FROM OLD.{heading}
        AND NEW.{body} IS NOT DISTINCT FROM OLD.{body} THEN
        RETURN NEW;
    END IF;
    NEW.search_vector := {vector_sql("NEW", heading, body)};
    RETURN NEW;
END
$$;
CREATE TRIGGER {table}_search BEFORE INSERT OR UPDATE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_search_update();
"""


def drop_table_sql(table: str) -> str:
    return f"""
DROP TRIGGER IF EXISTS {table}_search ON {table};
DROP FUNCTION IF EXISTS {table}_search_update();
ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_CONFIG, params=None)
    for table, heading, body in SEARCHED:
        schema_editor.execute(table_sql(table, heading, body), params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _heading, _body in SEARCHED:
        schema_editor.execute(drop_table_sql(table), params=None)
    # The unaccent extension stays: other objects may have come to use it.
    schema_editor.execute(
        f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG};", params=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0004_import_tracking_and_reminders"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]

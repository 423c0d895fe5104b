"""Minutes out of the database: Markdown in the archive's own format."""

"""Server-rendered pages, one module per area: ``pages`` for reading minutes."""

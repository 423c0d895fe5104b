"""Turn minutes written as Markdown with YAML front matter into plain data.

Pure Python (no Django): see ``parser.parse_minutes``.
"""

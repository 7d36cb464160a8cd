"""rawa.model: what the publication is made of, declared once.

- :mod:`.metamodel`: need types, fields, links and allowed values; generates the
  sphinx-needs configuration, and is read by every check, view and export;
- :mod:`.publication`: ``publicatie.toml`` (title, version, status, dates);
- :mod:`.settings`: ``publicatie.toml`` and ``SOURCE_DATE_EPOCH`` errors, reported once;
- :mod:`.need_refs`: one read-only snapshot of the needs for the views, and the
  reference nodes they link with.
"""

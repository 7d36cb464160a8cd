"""rawa.checks: checks that fail the build, each at the file and line of the mistake.

Normative keywords, cited IDs, standards, the audit programme, editing slips in need
sources, schema violations, source encoding, the tested examples, and the build guard
(one build per build folder).
"""

"""The part of the ArchiMate 3.2 relationship table that the GEMMA changes of RAWA use.

Source: The Open Group, *ArchiMate® 3.2 Specification* (C226, 2022), Appendix B
"Relationships (Normative)": for every pair of element types the table lists which
relationships are permitted, core and derived together, each by one letter. The rows
below hold those letters for the element types in :data:`ELEMENT_TYPES` (a source
type per row, the targets in the order of :data:`ELEMENT_TYPES`). They were taken from
the machine-readable copy of Appendix B that the Archi tool ships and uses for its own
validation (``com.archimatetool.model/model/relationships.xml``, ``version="3.2"``,
archimatetool/archi commit 069a862, 2026-08-18). The tests check the rules of the
specification's text (specialization only between elements of one type, realization
of a requirement or constraint by a core element) and read the exchange file back
with pyArchimate, whose own relationship check must accept every relationship.

Letters: a access, c composition, f flow, g aggregation, i assignment, n influence,
o association, r realization, s specialization, t triggering, v serving.
"""

from __future__ import annotations

#: Element types a GEMMA change may name, in the column order of :data:`_TABLE`.
ELEMENT_TYPES: tuple[str, ...] = (
    "Principle",
    "Requirement",
    "Constraint",
    "Goal",
    "BusinessActor",
    "BusinessRole",
    "BusinessFunction",
    "BusinessObject",
    "ApplicationComponent",
    "ApplicationFunction",
    "ApplicationInterface",
    "ApplicationService",
    "DataObject",
    "Node",
    "Device",
    "SystemSoftware",
    "TechnologyFunction",
    "TechnologyService",
    "CommunicationNetwork",
    "Artifact",
    "Grouping",
    "Capability",
)

#: Relationship types by their letter in the specification's table, with the name
#: the Open Group exchange format uses (``xsi:type``) and a Dutch label.
RELATIONSHIPS: dict[str, tuple[str, str]] = {
    "a": ("Access", "toegang"),
    "c": ("Composition", "compositie"),
    "f": ("Flow", "stroom"),
    "g": ("Aggregation", "aggregatie"),
    "i": ("Assignment", "toewijzing"),
    "n": ("Influence", "invloed"),
    "o": ("Association", "associatie"),
    "r": ("Realization", "realisatie"),
    "s": ("Specialization", "specialisatie"),
    "t": ("Triggering", "triggering"),
    "v": ("Serving", "bediening"),
}
RELATIONSHIP_TYPES: tuple[str, ...] = tuple(name for name, _ in RELATIONSHIPS.values())
_LETTER = {name: letter for letter, (name, _) in RELATIONSHIPS.items()}
DUTCH = {name: dutch for name, dutch in RELATIONSHIPS.values()}

#: Dutch names of the element types, as Archi shows them in Dutch.
ELEMENT_LABELS: dict[str, str] = {
    "Principle": "Principe",
    "Requirement": "Eis",
    "Constraint": "Beperking",
    "Goal": "Doel",
    "BusinessActor": "Bedrijfsactor",
    "BusinessRole": "Bedrijfsrol",
    "BusinessFunction": "Bedrijfsfunctie",
    "BusinessObject": "Bedrijfsobject",
    "ApplicationComponent": "Applicatiecomponent",
    "ApplicationFunction": "Applicatiefunctie",
    "ApplicationInterface": "Applicatie-interface",
    "ApplicationService": "Applicatieservice",
    "DataObject": "Gegevensobject",
    "Node": "Node",
    "Device": "Apparaat",
    "SystemSoftware": "Systeemsoftware",
    "TechnologyFunction": "Technologiefunctie",
    "TechnologyService": "Technologieservice",
    "CommunicationNetwork": "Communicatienetwerk",
    "Artifact": "Artefact",
    "Grouping": "Groepering",
    "Capability": "Capability",
}

_TABLE: dict[str, str] = {
    "Principle": (
        "cgnos no no nor o o o o o o o o o o o o o o o o cgnors o"
    ),
    "Requirement": (
        "nor cgnos cgnos nor o o o o o o o o o o o o o o o o cgnors o"
    ),
    "Constraint": (
        "nor cgnos cgnos nor o o o o o o o o o o o o o o o o cgnors o"
    ),
    "Goal": (
        "no no no cgnos o o o o o o o o o o o o o o o o cgnos o"
    ),
    "BusinessActor": (
        "nor nor nor nor cfgostv fiotv fiotv ao fotv fotv fotv fotv ao fotv fotv fotv "
        "fotv fotv fotv ao acfginorstv or"
    ),
    "BusinessRole": (
        "nor nor nor nor fotv cfgostv fiotv ao fotv fotv fotv fotv ao fotv fotv fotv "
        "fotv fotv fotv ao acfginorstv or"
    ),
    "BusinessFunction": (
        "nor nor nor nor fotv fotv cfgostv ao fotv fotv fotv fotv ao fotv fotv fotv "
        "fotv fotv fotv ao acfgnorstv or"
    ),
    "BusinessObject": (
        "nor nor nor nor o o o cgos o o o o o o o o o o o o cgnors or"
    ),
    "ApplicationComponent": (
        "nor nor nor nor fotv fotv fortv ao cfgorstv fiortv cfgortv fiortv ao fotv fotv "
        "fotv fotv fotv fotv ao acfginorstv or"
    ),
    "ApplicationFunction": (
        "nor nor nor nor fotv fotv fortv ao fotv cfgostv fotv fortv ao fotv fotv fotv "
        "fotv fotv fotv ao acfgnorstv or"
    ),
    "ApplicationInterface": (
        "nor nor nor nor fotv fotv fotv ao fotv fotv cfgostv fiotv ao fotv fotv fotv "
        "fotv fotv fotv ao acfginorstv or"
    ),
    "ApplicationService": (
        "nor nor nor nor fotv fotv fotv ao fotv fotv fotv cfgostv ao fotv fotv fotv "
        "fotv fotv fotv ao acfgnorstv or"
    ),
    "DataObject": (
        "nor nor nor nor o o o or o o o o cgos o o o o o o o cgnors or"
    ),
    "Node": (
        "nor nor nor nor fiotv fiotv fiortv ao fortv fortv fortv fortv ao cfgiostv "
        "cfgiortv cfgiortv fiortv fiortv fotv aio acfginorstv or"
    ),
    "Device": (
        "nor nor nor nor fotv fotv fortv ao fortv fortv fortv fortv ao fotv cfgostv "
        "cfgiortv fiortv fiortv fotv aio acfginorstv or"
    ),
    "SystemSoftware": (
        "nor nor nor nor fotv fotv fortv ao fortv fortv fortv fortv ao fotv fotv "
        "cfgiorstv fiortv fiortv fotv aio acfginorstv or"
    ),
    "TechnologyFunction": (
        "nor nor nor nor fotv fotv fortv ao fotv fortv fotv fortv ao fotv fotv fotv "
        "cfgostv fortv fotv ao acfgnorstv or"
    ),
    "TechnologyService": (
        "nor nor nor nor fotv fotv fotv ao fotv fotv fotv fortv ao fotv fotv fotv fotv "
        "cfgostv fotv ao acfgnorstv or"
    ),
    "CommunicationNetwork": (
        "nor nor nor nor fortv fortv fortv ao fortv fortv fortv fortv ao fortv fgortv "
        "fgiortv fiortv fiortv cfgostv aio acfginorstv or"
    ),
    "Artifact": (
        "nor nor nor nor o o or or or or or or or o o or or or o cgors cgnors or"
    ),
    "Grouping": (
        "cgnors cgnors cgnors cgnors cfgiorstv cfgiorstv cfgiorstv acgors cfgorstv "
        "cfgiorstv cfgorstv cfgiorstv acgors cfgiorstv cfgiorstv cfgiorstv cfgiorstv "
        "cfgiorstv cfgorstv acgiors acfginorstv cfgiorstv"
    ),
    "Capability": (
        "nor nor nor nor o o o o o o o o o o o o o o o o cfgnorstv cfgostv"
    ),
}


def allowed_letters(source: str, target: str) -> str:
    """The letters of the relationships permitted from ``source`` to ``target``."""
    row = _TABLE[source].split()
    return row[ELEMENT_TYPES.index(target)]


def is_allowed(relationship: str, source: str, target: str) -> bool:
    """Does ArchiMate 3.2 permit ``relationship`` from a ``source`` to a ``target``?

    Unknown element or relationship types are not permitted.
    """
    if source not in _TABLE or target not in _TABLE or relationship not in _LETTER:
        return False
    return _LETTER[relationship] in allowed_letters(source, target)


def allowed(source: str, target: str) -> tuple[str, ...]:
    """The names of the relationships permitted from ``source`` to ``target``."""
    if source not in _TABLE or target not in _TABLE:
        return ()
    return tuple(RELATIONSHIPS[letter][0] for letter in allowed_letters(source, target))

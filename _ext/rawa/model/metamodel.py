"""The RAWA metamodel: need types, fields, link types and allowed values, declared once.

Everything that knows about principles, requirements, GEMMA changes and the other
objects of the publication reads this module: ``conf.py`` (through
:func:`needs_config`), the validation rules, the traceability matrices and the
exports. Change the model here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rawa.gemma.archimate import ELEMENT_TYPES as ARCHIMATE_ELEMENT_TYPES
from rawa.gemma.archimate import RELATIONSHIP_TYPES as ARCHIMATE_RELATIONSHIP_TYPES

#: The normative keywords of Dutch government standards, longest first so that a
#: matcher never reads ``MOET NIET`` as ``MOET``.
NORMATIVE_KEYWORDS: tuple[str, ...] = (
    "ZOU NIET MOETEN",
    "ZOU MOETEN",
    "MOET NIET",
    "MOET",
    "MAG",
)

#: Lifecycle of every object in the publication.
STATUSES: tuple[str, ...] = ("concept", "voorstel", "vastgesteld", "vervallen")
#: The status of an object that no longer applies.
WITHDRAWN = "vervallen"
#: The statuses of objects that still apply.
LIVE_STATUSES: tuple[str, ...] = tuple(s for s in STATUSES if s != WITHDRAWN)

GEMMA_LAYERS: tuple[str, ...] = (
    "architectuurprincipes",
    "bedrijfsarchitectuur",
    "informatiearchitectuur",
    "gegevenslandschap",
    "technische infrastructuur",
)
#: The code of each GEMMA layer in a change's ID (``GEM-TEC-01``).
GEMMA_LAYER_CODES: tuple[str, ...] = ("PRI", "BED", "INF", "GEG", "TEC")
CHANGE_KINDS: tuple[str, ...] = ("toevoegen", "wijzigen", "vervallen")
PRINCIPLE_GROUPS: tuple[str, ...] = (
    "Basis op orde",
    "Toegang",
    "Policy Based Access Control",
    "Federatie",
    "Aanvulling",
)
ORIGINS: tuple[str, ...] = ("origineel", "aanvulling")
SCENARIO_KINDS: tuple[str, ...] = ("inrichting", "implementatie")
STANDARD_LIST_STATUSES: tuple[str, ...] = (
    "verplicht (pas toe of leg uit)",
    "aanbevolen",
    "in behandeling",
    # submitted to Forum Standaardisatie, intake not yet decided
    "aangemeld",
    "niet op de lijst",
)
#: list statuses for which Forum Standaardisatie sets a functional scope
LISTED_STATUSES: tuple[str, ...] = STANDARD_LIST_STATUSES[:2]
CONTROL_FRAMEWORKS: tuple[str, ...] = ("BIO2", "ISO/IEC 27002:2022", "NIST SP 800-207")

# -- audit programme (issue 15) -------------------------------------------------------------
#: How much harm a requirement that is not met can do (rule in source/normatief/eisen.md).
CRITICALITIES: tuple[str, ...] = ("hoog", "midden", "laag")
#: What an auditor tests: design, existence, operating effectiveness (BIO2 8.02.01).
TEST_TYPES: tuple[str, ...] = ("opzet", "bestaan", "werking")
#: The evidence an auditor collects.
EVIDENCE_KINDS: tuple[str, ...] = (
    "beleidsdocument",
    "procesbeschrijving",
    "architectuurontwerp",
    "register",
    "configuratie-export",
    "logextract",
    "testresultaat",
    "verslag van review",
    "contractclausule",
)
#: The role that answers for a requirement in an audit (the auditee).
AUDITEE_ROLES: tuple[str, ...] = (
    "CISO",
    "proceseigenaar",
    "eigenaar IGA-voorziening",
    "beheerder identity provider",
    "beheerder API-gateway",
    "beheerder PDP en PAP",
    "beleidseigenaar",
    "API-eigenaar",
    "beheerder logvoorziening",
    "contractmanager",
    "architect",
)
#: Kinds of object an auditor inventories and scores one by one (scoping sheet).
OBJECT_KINDS: tuple[str, ...] = ("API", "PEP", "PDP", "identity provider", "client",
                                 "leverancier")
#: A requirement assessed once for the whole organisation, not per object.
WHOLE_ORGANISATION = "organisatie"
#: How a requirement is realised: by a component, or by the organisation or a contract.
REALISATIONS: tuple[str, ...] = ("technisch", "organisatorisch", "contractueel")
#: Realisations that no component carries: covered by the owner role instead.
ORGANISATIONAL_REALISATIONS: tuple[str, ...] = ("organisatorisch", "contractueel")
#: Accountability cycles in which a finding on a requirement can be reused.
ACCOUNTABILITY: tuple[str, ...] = ("ENSIA BIO-zelfevaluatie", "DigiD-assessment")
#: Applicability of a requirement in one inrichtingsscenario.
APPLICABILITY: tuple[str, ...] = ("verplicht", "aanbevolen", "n.v.t.")
#: The value that makes a requirement part of a scenario's norm (and of the maturity level).
MANDATORY = "verplicht"
NOT_APPLICABLE = "n.v.t."
#: The inrichtingsscenario's, in the order of the growth path. Each one is a maturity
#: level (1-4) and gives every requirement a field ``toepassing_<code>``.
INRICHTINGSSCENARIOS: tuple[str, ...] = ("SCN-INR-01", "SCN-INR-02", "SCN-INR-03",
                                         "SCN-INR-04")
#: A BIO2 government measure: control number plus sequence number, e.g. ``8.15.05``.
BIO2_MEASURE_PATTERN = r"^[5-8]\.[0-9]{2}\.[0-9]{2}$"


def applicability_field(scenario_id: str) -> str:
    """The requirement field that holds its applicability in one scenario."""
    return "toepassing_" + scenario_id.removeprefix("SCN-").lower().replace("-", "_")


APPLICABILITY_FIELDS: tuple[str, ...] = tuple(applicability_field(s) for s in INRICHTINGSSCENARIOS)


@dataclass(frozen=True)
class MaturityLevel:
    """One step of the maturity scale, tied to an inrichtingsscenario (level 0: none)."""

    level: int
    name: str
    scenario: str
    description: str


MATURITY_LEVELS: tuple[MaturityLevel, ...] = (
    MaturityLevel(0, "Niet ingericht", "",
                  "Nog niet alle eisen van het eerste niveau waarop het domein eisen heeft, "
                  "zijn gehaald."),
    MaturityLevel(1, "Basis", "SCN-INR-01",
                  "Alle eisen van het domein die in scenario 1 verplicht zijn, zijn gehaald."),
    MaturityLevel(2, "Centrale toegang", "SCN-INR-02",
                  "Ook alle eisen die in scenario 2 verplicht zijn, zijn gehaald."),
    MaturityLevel(3, "Centraal beleid", "SCN-INR-03",
                  "Ook alle eisen die in scenario 3 verplicht zijn, zijn gehaald."),
    MaturityLevel(4, "Federatief", "SCN-INR-04",
                  "Ook alle eisen die in scenario 4 verplicht zijn, zijn gehaald."),
)
assert tuple(m.scenario for m in MATURITY_LEVELS[1:]) == INRICHTINGSSCENARIOS

#: The domains of the requirements: the code in ``EIS-<code>-nn`` and its name.
DOMAINS: tuple[tuple[str, str], ...] = (
    ("IDN", "Identiteiten"),
    ("AUT", "Authenticatie"),
    ("TOE", "Autorisatie en toegang"),
    ("PEP", "Policy Enforcement Point"),
    ("PDP", "Policy Decision Point"),
    ("PAP", "Policy Administration Point"),
    ("PIP", "Policy Information Point"),
    ("LOG", "Logging en verantwoording"),
    ("FED", "Federatie"),
    ("CRY", "Cryptografie en verbindingen"),
    ("SYS", "Systeem-tot-systeemverkeer"),
    ("BEH", "Basis op orde en beheer"),
)


def domain_of(requirement_id: str) -> str:
    """The domain code of a requirement ID: ``EIS-PEP-01`` lies in ``PEP``."""
    return requirement_id.split("-")[1] if requirement_id.count("-") >= 2 else ""


@dataclass(frozen=True)
class FieldSpec:
    """A need field: its description, JSON schema and the types that must set it."""

    name: str
    description: str
    schema: dict[str, Any] = field(default_factory=lambda: {"type": "string"})
    required_for: tuple[str, ...] = ()
    #: Shown as a column label in tables and exports.
    label: str = ""


@dataclass(frozen=True)
class LinkSpec:
    """A typed link: which types may carry it and which types it may point to."""

    name: str
    outgoing: str
    incoming: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    description: str
    #: Need types that must carry at least one link of this kind.
    required_for: tuple[str, ...] = ()
    color: str = "#333333"


@dataclass(frozen=True)
class IdCode:
    """The part of an ID that states a field's value: ``GEM-PRI-01`` lies in one layer.

    ``codes`` maps the code after the prefix (``PRI``) to the value ``field`` must then
    have (``architectuurprincipes``), so an ID and its field cannot disagree.
    """

    field: str
    codes: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class NeedTypeSpec:
    """A need type: the directive, its Dutch title, ID prefix and ID pattern."""

    directive: str
    title: str
    plural: str
    prefix: str
    #: The part of the ID after the prefix (a regular expression, no anchors).
    id_tail: str
    id_example: str
    color: str
    style: str = "node"
    #: The field whose value the ID's code states, if any.
    id_code: IdCode | None = None
    #: How a need page reads (rawa.views.need_pages): the need's own text first, under this
    #: heading if one is given, then these fields as paragraphs under their labels, in
    #: this order. All other fields and the links go into the metadata block below.
    text_heading: str = ""
    text_fields: tuple[str, ...] = ()


NEED_TYPES: tuple[NeedTypeSpec, ...] = (
    NeedTypeSpec("principe", "Architectuurprincipe", "Architectuurprincipes", "PRI-",
                 r"[BTPFA][0-9]{1,2}", "PRI-B1", "#CFE3F4",
                 id_code=IdCode("groep", tuple(zip("BTPFA", PRINCIPLE_GROUPS, strict=True))),
                 # statement, rationale, implications: the parts of a TOGAF principle
                 text_heading="Stelling", text_fields=("rationale", "implicaties")),
    NeedTypeSpec("eis", "Normatieve eis", "Normatieve eisen", "EIS-",
                 r"[A-Z][A-Z0-9]{2}-[0-9]{2}", "EIS-TOE-01", "#FCE3C6",
                 text_fields=("toetsing",)),
    NeedTypeSpec("gemma", "GEMMA-wijziging", "GEMMA-wijzigingen", "GEM-",
                 rf"({'|'.join(GEMMA_LAYER_CODES)})-[0-9]{{2}}", "GEM-PRI-01", "#E2D7EE",
                 id_code=IdCode("gemma_laag", tuple(zip(GEMMA_LAYER_CODES, GEMMA_LAYERS,
                                                        strict=True))),
                 text_fields=("motivatie",)),
    NeedTypeSpec("component", "Referentiecomponent", "Referentiecomponenten", "COMP-",
                 r"[A-Z]{2,12}", "COMP-PDP", "#D8EDD3", "component",
                 text_fields=("verantwoordelijkheid", "beperking", "interfaces")),
    NeedTypeSpec("usecase", "Gebruikscase", "Gebruikscases", "UC-",
                 r"[0-9]{2}", "UC-01", "#F6DCE6", "usecase",
                 text_fields=("doel", "toegangsregel")),
    NeedTypeSpec("scenario", "Scenario", "Scenario's", "SCN-",
                 r"(INR|IMP)-[0-9]{2}", "SCN-INR-01", "#DDE7E9",
                 id_code=IdCode("soort", tuple(zip(("INR", "IMP"), SCENARIO_KINDS, strict=True))),
                 text_fields=("past_bij",)),
    NeedTypeSpec("standaard", "Standaard", "Standaarden", "STD-",
                 r"[A-Z0-9]+(-[A-Z0-9]+)*", "STD-OAUTH2", "#EDE9C8", "artifact",
                 text_fields=("toepassingsgebied",)),
    NeedTypeSpec("maatregel", "Beheersmaatregel", "Beheersmaatregelen", "MTR-",
                 r"(BIO-[0-9]{1,2}-[0-9]{1,2}|ZT-[0-9])", "MTR-BIO-5-15", "#E6E6E6",
                 id_code=IdCode("kader", (("BIO", "BIO2"), ("ZT", "NIST SP 800-207")))),
)

TYPE_NAMES: tuple[str, ...] = tuple(t.directive for t in NEED_TYPES)


def _enum(values: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def _enum_list(values: tuple[str, ...]) -> dict[str, Any]:
    """A list field (comma-separated in the source) whose items come from ``values``."""
    return {"type": "array", "items": _enum(values)}


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("bron", "Publicatie, wet of norm waarop het object steunt.", label="Bron"),
    FieldSpec("toelichting", "Korte toelichting of noot bij het object.", label="Toelichting"),
    # principe
    FieldSpec("groep", "Groep van het principe.", _enum(PRINCIPLE_GROUPS),
              required_for=("principe",), label="Groep"),
    FieldSpec("herkomst", "Komt het principe uit de oorspronkelijke publicatie of is het "
              "een aanvulling van RAWA?", _enum(ORIGINS), required_for=("principe",),
              label="Herkomst"),
    FieldSpec("rationale", "Waarom het principe geldt.", required_for=("principe",),
              label="Rationale"),
    FieldSpec("implicaties", "Wat het principe betekent voor de organisatie.",
              required_for=("principe",), label="Implicaties"),
    # eis
    FieldSpec("niveau", "Het normatieve sleutelwoord van de eis.", _enum(NORMATIVE_KEYWORDS),
              required_for=("eis",), label="Niveau"),
    FieldSpec("toetsing", "Hoe een auditor vaststelt dat aan de eis is voldaan.",
              required_for=("eis",), label="Hoe toetst u dit"),
    # eis: audit programme
    FieldSpec("kriticiteit", "Hoe zwaar een tekortkoming weegt (regel in Normatieve eisen).",
              _enum(CRITICALITIES), required_for=("eis",), label="Kriticiteit"),
    FieldSpec("toetssoort", "Wat de auditor toetst: opzet, bestaan en/of werking.",
              _enum_list(TEST_TYPES), required_for=("eis",), label="Toetssoort"),
    FieldSpec("bewijs", "Het bewijs dat de auditor verzamelt.", _enum_list(EVIDENCE_KINDS),
              required_for=("eis",), label="Bewijs"),
    FieldSpec("populatie", "De populatie en de omvang van de steekproef.",
              required_for=("eis",), label="Populatie en steekproef"),
    FieldSpec("eigenaar", "De rol die voor de eis verantwoordelijk is en de auditor te woord "
              "staat.", _enum(AUDITEE_ROLES), required_for=("eis",), label="Eigenaar"),
    FieldSpec("toetsobject", "Per welk soort object de eis wordt beoordeeld, of één keer voor "
              "de organisatie.", _enum((*OBJECT_KINDS, WHOLE_ORGANISATION)),
              required_for=("eis",), label="Toetsen per"),
    FieldSpec("realisatie", "Realiseert een component de eis, of de organisatie of een "
              "contract?", _enum(REALISATIONS), required_for=("eis",), label="Realisatie"),
    *(FieldSpec(name, f"Toepassing van de eis in {scenario}.", _enum(APPLICABILITY),
                required_for=("eis",), label=f"Toepassing {scenario}")
      for name, scenario in zip(APPLICABILITY_FIELDS, INRICHTINGSSCENARIOS, strict=True)),
    FieldSpec("bio2", "Nummers van de BIO2-overheidsmaatregelen (x.yy.zz).",
              {"type": "array", "items": {"type": "string", "pattern": BIO2_MEASURE_PATTERN}},
              label="BIO2-overheidsmaatregelen"),
    FieldSpec("verantwoording", "Verantwoording waarin een bevinding bij de eis terugkomt.",
              _enum_list(ACCOUNTABILITY), label="ENSIA en DigiD"),
    # gemma
    FieldSpec("gemma_laag", "De GEMMA-laag waarin de wijziging valt.", _enum(GEMMA_LAYERS),
              required_for=("gemma",), label="GEMMA-laag"),
    FieldSpec("wijzigingssoort", "Voegt de wijziging iets toe, wijzigt of laat iets vervallen?",
              _enum(CHANGE_KINDS), required_for=("gemma",), label="Soort wijziging"),
    # the GEMMA model elements a change is about; checked against data/gemma by rawa_gemma
    FieldSpec("archimate_type", "ArchiMate-type van het nieuwe of gewijzigde GEMMA-element, "
              "of van de GEMMA-relatie die vervalt.",
              _enum(ARCHIMATE_ELEMENT_TYPES + ARCHIMATE_RELATIONSHIP_TYPES),
              required_for=("gemma",), label="ArchiMate-type"),
    FieldSpec("gemma_type", "GEMMA-type van het nieuwe element (eigenschap 'GEMMA type').",
              label="GEMMA-type"),
    FieldSpec("gemma_naam", "Naam van het nieuwe GEMMA-element.", label="Naam in de GEMMA"),
    FieldSpec("gemma_id", "Object ID('s) van het bestaande GEMMA-element dat wijzigt of "
              "vervalt, gescheiden door komma's.", label="GEMMA Object ID"),
    FieldSpec("gemma_relaties", "Relaties van het element: 'Type -> doel' of 'Type <- bron', "
              "met als doel of bron een GEMMA Object ID of een GEM-ID, gescheiden door "
              "puntkomma's.", label="Relaties"),
    FieldSpec("motivatie", "Waarom de wijziging nodig is.", required_for=("gemma",),
              label="Motivatie"),
    # component
    FieldSpec("verantwoordelijkheid", "Waarvoor de component verantwoordelijk is.",
              required_for=("component",), label="Verantwoordelijkheid"),
    FieldSpec("interfaces", "Koppelvlakken die de component aanbiedt of gebruikt.",
              label="Koppelvlakken"),
    FieldSpec("beperking", "Wat de component niet mag doen.", label="Doet niet"),
    # usecase
    FieldSpec("actor", "Wie of wat toegang vraagt.", required_for=("usecase",), label="Actor"),
    FieldSpec("doel", "Wat de actor wil bereiken.", required_for=("usecase",), label="Doel"),
    FieldSpec("aanleiding", "De gebeurtenis die de gebruikscase start.", label="Aanleiding"),
    FieldSpec("gegevens", "De gegevens en API's die betrokken zijn.", label="Gegevens en API"),
    FieldSpec("toegangsregel", "De toegangsregel in gewone woorden.",
              required_for=("usecase",), label="Toegangsregel"),
    # scenario
    FieldSpec("soort", "Inrichtings- of implementatiescenario.", _enum(SCENARIO_KINDS),
              required_for=("scenario",), label="Soort"),
    FieldSpec("past_bij", "Voor welke gemeente het scenario past.", label="Past bij"),
    # standaard
    FieldSpec("lijststatus", "Status op de lijsten van Forum Standaardisatie.",
              _enum(STANDARD_LIST_STATUSES), required_for=("standaard",), label="Lijststatus"),
    # "format": "date" makes sphinx-needs reject a date that does not exist (2025-02-30)
    FieldSpec("peildatum", "Datum waarop de lijststatus is vastgesteld (JJJJ-MM-DD).",
              {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "format": "date"},
              required_for=("standaard",), label="Peildatum"),
    FieldSpec("geverifieerd_op", "Datum waarop de status na de peildatum opnieuw bij de bron "
              "is gecontroleerd (JJJJ-MM-DD).",
              {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "format": "date"},
              label="Opnieuw geverifieerd op"),
    FieldSpec("versie", "Versie van de standaard.", label="Versie"),
    FieldSpec("url", "Pagina van de standaard bij Forum Standaardisatie, of bij de beheerder "
              "als de standaard niet op de lijst staat.",
              {"type": "string", "pattern": r"^https://\S+$"}, required_for=("standaard",),
              label="Bron (URL)"),
    FieldSpec("toepassingsgebied", "Functioneel toepassingsgebied volgens Forum "
              "Standaardisatie: waarvoor de standaard verplicht of aanbevolen is.",
              label="Functioneel toepassingsgebied"),
    FieldSpec("beheerder", "Organisatie die de standaard beheert.", label="Beheerder"),
    # maatregel
    FieldSpec("kader", "Het normenkader waaruit de maatregel komt.", _enum(CONTROL_FRAMEWORKS),
              required_for=("maatregel",), label="Kader"),
    FieldSpec("nummer", "Nummer van de maatregel in het kader.", required_for=("maatregel",),
              label="Nummer"),
    # coverage
    FieldSpec("gat_toelichting", "Waarom een ontbrekende traceerlink terecht ontbreekt.",
              label="Toelichting op ontbrekende link"),
)

#: Free-text fields that cite or name something outside the publication (a source,
#: a version, an external element): not held to the publication's own terminology.
CITING_FIELDS: tuple[str, ...] = ("bron", "versie", "beheerder", "nummer", "gemma_element",
                                  "url")


def prose_field_names() -> tuple[str, ...]:
    """The fields written in the publication's own words: free text, not cited."""
    return tuple(f.name for f in FIELDS if f.name not in CITING_FIELDS
                 and "enum" not in f.schema and "pattern" not in f.schema)


LINKS: tuple[LinkSpec, ...] = (
    LinkSpec("vervult", "vervult", "wordt vervuld door", ("eis",), ("principe",),
             "Een eis maakt een principe concreet.", required_for=("eis",), color="#1F5A96"),
    LinkSpec("realiseert", "realiseert", "wordt gerealiseerd door", ("component",), ("eis",),
             "Een component realiseert een eis.", color="#2E7D32"),
    LinkSpec("wijzigt", "wordt veroorzaakt door", "veroorzaakt GEMMA-wijziging", ("gemma",),
             ("principe", "eis", "component", "standaard"),
             "Een GEMMA-wijziging volgt uit een principe, eis, component of standaard.",
             required_for=("gemma",), color="#6A1B9A"),
    LinkSpec("gebruikt", "gebruikt", "wordt gebruikt door", ("usecase", "scenario"),
             ("component",), "Een gebruikscase of scenario gebruikt een component.",
             color="#AD1457"),
    LinkSpec("past_toe", "past toe", "is van toepassing in", ("usecase", "scenario"),
             ("eis", "principe"), "Een eis of principe is van toepassing in een gebruikscase "
             "of implementatiescenario.", color="#8D6E63"),
    # what an inrichtingsscenario realises; whether a requirement applies in it is the
    # requirement's own field toepassing_inr_nn (issue 15)
    LinkSpec("voldoet_aan", "voldoet aan", "wordt gerealiseerd in", ("scenario",),
             ("eis", "principe"), "Het inrichtingsscenario realiseert de eis of het principe.",
             color="#2E7D32"),
    LinkSpec("voldoet_deels_aan", "voldoet deels aan", "wordt deels gerealiseerd in",
             ("scenario",), ("eis", "principe"),
             "Het inrichtingsscenario realiseert de eis of het principe ten dele.",
             color="#F9A825"),
    LinkSpec("voldoet_niet_aan", "voldoet niet aan", "wordt niet gerealiseerd in",
             ("scenario",), ("eis", "principe"),
             "Het inrichtingsscenario realiseert de eis of het principe niet.",
             color="#C62828"),
    LinkSpec("volgt", "volgt", "wordt gevolgd door", ("eis", "component"), ("standaard",),
             "Een eis of component volgt een standaard.", color="#827717"),
    LinkSpec("dekt", "dekt", "wordt gedekt door", ("eis",), ("maatregel",),
             "Een eis dekt een beheersmaatregel.", color="#BF360C"),
)

LINK_NAMES: tuple[str, ...] = tuple(link.name for link in LINKS)
#: The three satisfaction links of a scenario, best first, with the verdict they state.
SATISFACTION_LINKS: tuple[tuple[str, str], ...] = (
    ("voldoet_aan", "voldoet"),
    ("voldoet_deels_aan", "deels"),
    ("voldoet_niet_aan", "voldoet niet"),
)


@dataclass(frozen=True)
class KindLinkRule:
    """Needs whose ``field`` is ``value`` may not carry ``link`` (use ``instead``)."""

    directive: str
    field: str
    value: str
    link: str
    instead: str


KIND_LINK_RULES: tuple[KindLinkRule, ...] = (
    KindLinkRule("scenario", "soort", "inrichting", "past_toe",
                 "voldoet_aan, voldoet_deels_aan of voldoet_niet_aan op het scenario en "
                 "toepassing_inr_nn op de eis"),
)


@dataclass(frozen=True)
class WithdrawnTargetRule:
    """A need that still applies may not lean on a withdrawn need over ``link``.

    A requirement that fulfils a withdrawn principle is usually a principle withdrawn
    without its requirements being reconsidered. ``severity`` is the sphinx-needs schema
    severity (``violation``, ``warning`` or ``info``); all three are reported with file
    and line, so in a strict build each fails it.
    """

    link: str
    severity: str = "warning"


WITHDRAWN_TARGET_RULES: tuple[WithdrawnTargetRule, ...] = (WithdrawnTargetRule("vervult"),)


@dataclass(frozen=True)
class CoverageRule:
    """A traceability rule: every need of ``source`` has at least one of ``requires``.

    ``requires`` names links (``vervult``), backlinks (``realiseert_back``) or fields
    (``motivatie``); the rule holds when any of them is non-empty. When ``justifiable``
    is true, a need may leave the gap open if its ``gat_toelichting`` field says why.
    """

    key: str
    source: str
    requires: tuple[str, ...]
    #: Dutch description of the gap, e.g. "Principe zonder eis".
    label: str
    justifiable: bool = True
    #: Only needs whose field ``scope[0]`` has one of the values ``scope[1]`` (all if empty).
    scope: tuple[str, tuple[str, ...]] | None = None

    def in_scope(self, need: dict[str, Any]) -> bool:
        return self.scope is None or need.get(self.scope[0]) in self.scope[1]


#: The justification field for an intentional gap.
GAP_FIELD = "gat_toelichting"

COVERAGE_RULES: tuple[CoverageRule, ...] = (
    CoverageRule("principe-eis", "principe", ("vervult_back",), "Principe zonder eis"),
    CoverageRule("eis-component", "eis", ("realiseert_back",),
                 "Technische eis zonder realiserende component",
                 scope=("realisatie", ("technisch",))),
    # an organisational or contractual requirement is carried by a role, not a component
    CoverageRule("eis-eigenaar", "eis", ("eigenaar",),
                 "Organisatorische of contractuele eis zonder eigenaarsrol", justifiable=False,
                 scope=("realisatie", ORGANISATIONAL_REALISATIONS)),
    CoverageRule("eis-maatregel-standaard", "eis", ("dekt", "volgt"),
                 "Eis zonder beheersmaatregel of standaard"),
    CoverageRule("component-eis", "component", ("realiseert",),
                 "Component waar geen eis om vraagt"),
    CoverageRule("gemma-herkomst", "gemma", ("wijzigt",),
                 "GEMMA-wijziging zonder herkomst", justifiable=False),
    CoverageRule("gemma-motivatie", "gemma", ("motivatie",),
                 "GEMMA-wijziging zonder motivatie", justifiable=False),
    CoverageRule("usecase-component", "usecase", ("gebruikt",),
                 "Gebruikscase zonder component"),
    CoverageRule("scenario-component", "scenario", ("gebruikt",),
                 "Scenario zonder component"),
)


def need_type(directive: str) -> NeedTypeSpec:
    """Return the declaration of one need type."""
    for spec in NEED_TYPES:
        if spec.directive == directive:
            return spec
    raise KeyError(directive)


def id_pattern(spec: NeedTypeSpec) -> str:
    """The anchored regular expression every ID of this type matches."""
    return f"^{spec.prefix}{spec.id_tail}$"


def global_id_regex() -> str:
    """One anchored pattern for every ID (sphinx-needs checks it with ``re.match``)."""
    alternatives = "|".join(f"{t.prefix}{t.id_tail}" for t in NEED_TYPES)
    return f"^({alternatives})$"


#: Fields every need type declares.
COMMON_FIELDS: tuple[str, ...] = ("bron", "toelichting", "gat_toelichting")


def own_fields(directive: str) -> tuple[str, ...]:
    """The names of the fields a type declares besides the common ones."""
    return {
        "principe": ("groep", "herkomst", "rationale", "implicaties"),
        "eis": ("niveau", "toetsing", "kriticiteit", "toetssoort", "bewijs", "populatie",
                "eigenaar", "toetsobject", "realisatie", *APPLICABILITY_FIELDS, "bio2",
                "verantwoording"),
        "gemma": ("gemma_laag", "wijzigingssoort", "archimate_type", "gemma_type",
                  "gemma_naam", "gemma_id", "gemma_relaties", "motivatie"),
        "component": ("verantwoordelijkheid", "interfaces", "beperking"),
        "usecase": ("actor", "doel", "aanleiding", "gegevens", "toegangsregel"),
        "scenario": ("soort", "past_bij"),
        "standaard": ("lijststatus", "peildatum", "geverifieerd_op", "versie", "beheerder",
                      "url", "toepassingsgebied"),
        "maatregel": ("kader", "nummer"),
    }[directive]


def fields_for(directive: str) -> tuple[FieldSpec, ...]:
    """Fields a type declares: the common ones plus those it must set."""
    by_name = {f.name: f for f in FIELDS}
    return tuple(by_name[name] for name in (*COMMON_FIELDS, *own_fields(directive)))


def metadata_fields(directive: str) -> tuple[FieldSpec, ...]:
    """The fields of a need page's metadata block, in order: the type's own, then the
    common ones; the fields that read as text (``text_fields``) are not among them."""
    text = set(need_type(directive).text_fields)
    by_name = {f.name: f for f in FIELDS}
    return tuple(by_name[name] for name in (*own_fields(directive), *COMMON_FIELDS)
                 if name not in text)


def links_from(directive: str) -> tuple[LinkSpec, ...]:
    """Link types a need of this type may carry."""
    return tuple(link for link in LINKS if directive in link.sources)


def links_to(directive: str) -> tuple[LinkSpec, ...]:
    """Link types that may point to a need of this type (its backlinks)."""
    return tuple(link for link in LINKS if directive in link.targets)


# a type's text fields are fields it declares
assert all(set(t.text_fields) <= set(own_fields(t.directive)) for t in NEED_TYPES)


def _needs_types() -> dict[str, dict[str, Any]]:
    types: dict[str, dict[str, Any]] = {}
    declared_links: set[str] = set()
    for spec in NEED_TYPES:
        links: dict[str, dict[str, Any]] = {}
        for link in links_from(spec.directive):
            declaration: dict[str, Any] = {"target_types": list(link.targets)}
            if link.name not in declared_links:
                # display keys belong to the first declaration of a type-only link
                declaration.update(
                    outgoing=link.outgoing, incoming=link.incoming, color=link.color,
                    description=link.description,
                )
                declared_links.add(link.name)
            links[link.name] = declaration
        types[spec.directive] = {
            "title": spec.title,
            "prefix": spec.prefix,
            "color": spec.color,
            "style": spec.style,
            "fields": {
                f.name: {"description": f.description, "schema": dict(f.schema),
                         "nullable": True}
                for f in fields_for(spec.directive)
            },
            "links": links,
        }
    return types


def _schema_rules() -> list[dict[str, Any]]:
    """Validation rules sphinx-needs enforces: ID patterns, required fields and links."""
    rules: list[dict[str, Any]] = []
    for spec in NEED_TYPES:
        select = {"properties": {"type": {"const": spec.directive}}, "required": ["type"]}
        required_specs = [f for f in FIELDS if spec.directive in f.required_for]
        required = [f.name for f in required_specs]
        required_links = [lk.name for lk in LINKS if spec.directive in lk.required_for]
        properties: dict[str, Any] = {"id": {"type": "string", "pattern": id_pattern(spec)}}
        properties.update({
            f.name: ({"type": "array", "minItems": 1} if f.schema.get("type") == "array"
                     else {"type": "string", "minLength": 1})
            for f in required_specs
        })
        properties.update({name: {"type": "array", "minItems": 1} for name in required_links})
        rules.append({
            "id": f"rawa-{spec.directive}",
            "severity": "violation",
            "message": (
                f"{spec.title} {spec.prefix}…: ID volgens {spec.id_example}, verplichte "
                f"velden {', '.join(required) or '-'}, verplichte links "
                f"{', '.join(required_links) or '-'}"
            ),
            "select": select,
            "validate": {"local": {
                "properties": properties,
                "required": ["id", *required, *required_links],
            }},
        })
        rules.extend(_id_code_rules(spec, select))
    rules.extend(_withdrawn_target_rules())
    rules.extend(_kind_link_rules())
    return rules


def _kind_link_rules() -> list[dict[str, Any]]:
    """An inrichtingsscenario states what it realises, not what 'past toe' (issue 15)."""
    return [{
        "id": f"rawa-{rule.directive}-{rule.value}-{rule.link}",
        "severity": "violation",
        "message": (f"een {rule.directive} met {rule.field} '{rule.value}' gebruikt geen "
                    f"'{rule.link}'; gebruik {rule.instead}"),
        "select": {"properties": {"type": {"const": rule.directive},
                                  rule.field: {"const": rule.value}},
                   "required": ["type", rule.field]},
        "validate": {"local": {"properties": {rule.link: {"type": "array", "maxItems": 0}}}},
    } for rule in KIND_LINK_RULES]


def _id_code_rules(spec: NeedTypeSpec, select: dict[str, Any]) -> list[dict[str, Any]]:
    """One rule per ID code: ``GEM-PRI-…`` must have ``gemma_laag: architectuurprincipes``."""
    if spec.id_code is None:
        return []
    rules: list[dict[str, Any]] = []
    for code, value in spec.id_code.codes:
        start = f"{spec.prefix}{code}"
        rules.append({
            "id": f"rawa-{spec.directive}-{code}",
            "severity": "violation",
            "message": (f"een ID dat begint met {start} hoort bij {spec.id_code.field} "
                        f"'{value}': pas het ID of het veld aan"),
            "select": {
                "properties": {**select["properties"],
                               "id": {"type": "string", "pattern": f"^{start}[^A-Za-z]"}},
                "required": ["type", "id"],
            },
            "validate": {"local": {"properties": {
                spec.id_code.field: {"type": "string", "const": value},
            }}},
        })
    return rules


def _still_applies() -> dict[str, Any]:
    """JSON schema of a status that is not "vervallen" (a need without one is a concept)."""
    return {"type": "string", "enum": list(LIVE_STATUSES)}


def _withdrawn_target_rules() -> list[dict[str, Any]]:
    """Rules that a need which still applies links to no withdrawn need."""
    rules: list[dict[str, Any]] = []
    for rule in WITHDRAWN_TARGET_RULES:
        link = next(lk for lk in LINKS if lk.name == rule.link)
        for source in link.sources:
            rules.append({
                "id": f"rawa-{source}-{rule.link}-{WITHDRAWN}",
                "severity": rule.severity,
                "message": (f"'{rule.link}' wijst naar een object met status '{WITHDRAWN}': "
                            f"haal de link weg, of geef ook dit object status '{WITHDRAWN}'"),
                # a need without a status still applies: only "vervallen" is withdrawn
                "select": {
                    "properties": {"type": {"const": source}, "status": _still_applies()},
                    "required": ["type", "status"],
                },
                "validate": {"network": {rule.link: {"items": {"local": {
                    "properties": {"status": _still_applies()},
                }}}}},
            })
    return rules


def needs_config() -> dict[str, Any]:
    """The sphinx-needs settings that follow from the metamodel (for ``conf.py``)."""
    return {
        "needs_types": _needs_types(),
        "needs_fields": {
            # an object without a status is a concept: the withdrawn-link rule applies to it
            "status": {"schema": _enum(STATUSES), "default": STATUSES[0]},
        },
        "needs_id_required": True,
        "needs_id_regex": global_id_regex(),
        "needs_schema_definitions": {"schemas": _schema_rules()},
        "needs_build_json": True,
        "needs_reproducible_json": True,
        "needs_flow_engine": "plantuml",
        "needs_table_style": "table",
        "needs_title_optional": False,
    }

#!/usr/bin/env python3
"""Generate a synthetic RAWA publication, a multiple of the real one, for ``make bench``.

The real publication is the seed of every shape: each need is a copy of a real need
(same type, fields, text and kinds of links) with a new ID that fits the metamodel's
ID pattern (``rawa.model.metamodel``), and its links point to the copies in the same
replica; each glossary entry is a real entry whose names get a replica word; each page
mixes real prose, a sentence that uses glossary terms, copied needs and now and then a
copied PlantUML diagram. The overview pages (coverage, matrices, exports, tables) appear
once, as in the real publication. The output is deterministic: the same scale gives the
same files.

The result builds strictly with the real ``conf.py``; only the folders a page may read
are the generated ones (see :func:`sphinx_overrides`)::

    python tools/make_synthetic.py /tmp/syn --scale 10
    sphinx-build -W --keep-going -n -T -c . \\
        $(python tools/make_synthetic.py --overrides /tmp/syn) \\
        -b html /tmp/syn/source /tmp/syn/html

Some ID patterns have room for fewer copies than asked (two-digit numbers for GEMMA
changes per layer and for use cases, one digit for zero-trust measures): those types
stop at the room they have; :func:`targets` gives the exact numbers.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import rawa.model.metamodel as mm

ROOT = Path(__file__).resolve().parents[1]

SEED = 20261203
REAL_SOURCE = ROOT / "source"
REAL_DIAGRAMS = ROOT / "diagrams"
GLOSSARY_PAGE = "bijlagen/terminologie.md"
#: words that make the names of a replica's glossary terms unique (replica 0 keeps them)
REPLICA_WORDS = ("amstel", "berkel", "dinkel", "eemland", "geinoord", "hunzedal", "lingeveld",
                 "markiezaat", "niersdal", "reggeland", "scheldeoord", "vechtstreek",
                 "waalkant", "zaanoever", "dommelstee", "ijsselkant")
LINK_SPECS = {link.name: link for link in mm.LINKS}
NEED_START = re.compile(r"^(:{3,})\{(" + "|".join(mm.TYPE_NAMES) + r")\}\s*(.*)$")
OPTION = re.compile(r"^:([a-z_0-9]+):\s*(.*)$")
ID_IN_TEXT = re.compile(
    r"(?<![\w-])(" + "|".join(f"{t.prefix}{t.id_tail}" for t in mm.NEED_TYPES) + r")(?![\w-])"
    r"(?P<tail>>?`?)(?P<gloss>\s*\([^()]*\))?")
#: the required links, per type (a need without one fails the build)
REQUIRED_LINKS = {(t, link.name) for link in mm.LINKS for t in link.required_for}
GAP_TEXT = ("Synthetische kopie voor de meting van de bouwtijd: het object waar deze link "
            "naar wees, heeft in deze kopie geen tegenhanger.")


# -- reading the real publication ---------------------------------------------------------

@dataclass
class Template:
    """A real need, read from its MyST source."""

    kind: str
    id: str
    title: str
    options: list[tuple[str, str]]
    body: list[str]
    index: int = 0  # position among the needs of its kind

    def option(self, name: str) -> str:
        return next((v for k, v in self.options if k == name), "")


def read_needs(source: Path = REAL_SOURCE) -> list[Template]:
    """Every need of the real publication, in document order."""
    found: list[Template] = []
    for page in sorted(source.rglob("*.md")):
        lines = page.read_text(encoding="utf-8").splitlines()
        i = 0
        while i < len(lines):
            start = NEED_START.match(lines[i])
            if not start:
                i += 1
                continue
            fence, kind, title = start.groups()
            i += 1
            options = []
            while i < len(lines) and OPTION.match(lines[i]):
                name, value = OPTION.match(lines[i]).groups()
                options.append((name, value))
                i += 1
            body = []
            while i < len(lines) and lines[i].rstrip() != fence:
                body.append(lines[i])
                i += 1
            i += 1
            need_id = next(v for k, v in options if k == "id")
            found.append(Template(kind, need_id, title, options, body))
    counters: dict[str, int] = defaultdict(int)
    for template in found:
        template.index = counters[template.kind]
        counters[template.kind] += 1
    return found


def read_prose(source: Path = REAL_SOURCE) -> list[str]:
    """Plain paragraphs of the real text: no IDs, roles, links, markup or directives."""
    paragraphs = []
    for page in sorted(source.rglob("*.md")):
        if page.name == "README.md" or "_latex" in page.parts:
            continue
        blocks = re.split(r"\n\s*\n", page.read_text(encoding="utf-8"))
        in_fence = False
        for block in blocks:
            text = block.strip()
            if text.count("```") % 2 or text.count(":::") % 2:
                in_fence = not in_fence
                continue
            if in_fence or "\n" in text or len(text) < 200:
                continue
            if (not text[0].isalpha() or ID_IN_TEXT.search(text)
                    or re.search(r"[{}\[\]|<>*`_#$\\]", text)):
                continue
            paragraphs.append(text)
    return paragraphs


@dataclass
class GlossaryEntry:
    """One entry of the real glossary: its term lines and its indented lines."""

    terms: list[str]
    lines: list[str]


def read_glossary(page: Path = REAL_SOURCE / GLOSSARY_PAGE) -> tuple[str, list[GlossaryEntry]]:
    """The introduction and the entries of the real glossary."""
    text = page.read_text(encoding="utf-8")
    head, _, rest = text.partition("```{glossary}\n")
    body = rest.split("\n```", 1)[0]
    entries: list[GlossaryEntry] = []
    previous_blank = True
    for line in body.splitlines():
        if line.startswith(":"):  # the directive's own options
            continue
        if line.strip() and not line[0].isspace():
            if previous_blank or not entries or entries[-1].lines:
                entries.append(GlossaryEntry([], []))
            entries[-1].terms.append(line.strip())
        elif entries:
            entries[-1].lines.append(line)
        previous_blank = not line.strip()
    intro = head.split("\n", 1)[1].strip()
    return intro, entries


# -- the plan: how many of each ----------------------------------------------------------

def _letters(number: int) -> str:
    word = ""
    while True:
        number, rest = divmod(number, 26)
        word = chr(65 + rest) + word
        if number == 0:
            return word
        number -= 1


class IdAllocator:
    """New IDs per need type that fit the metamodel's patterns, or None when full."""

    def __init__(self) -> None:
        self.counters: dict[str, int] = defaultdict(int)
        self.used: set[str] = set()

    def _next(self, key: str, limit: int = 99) -> int | None:
        if self.counters[key] >= limit:
            return None
        self.counters[key] += 1
        return self.counters[key]

    def allocate(self, template: Template, replica: int) -> str | None:
        new = getattr(self, "_" + template.kind)(template, replica)
        if new is None or new in self.used:
            return None
        self.used.add(new)
        return new

    def _principe(self, t: Template, replica: int) -> str | None:
        letter = t.id.removeprefix("PRI-")[0]
        number = self._next(letter)
        return None if number is None else f"PRI-{letter}{number}"

    def _eis(self, t: Template, replica: int) -> str | None:
        own = mm.domain_of(t.id)
        for domain in (own, *(code for code, _ in mm.DOMAINS if code != own)):
            number = self._next("EIS-" + domain)
            if number is not None:
                return f"EIS-{domain}-{number:02d}"
        return None

    def _gemma(self, t: Template, replica: int) -> str | None:
        layer = t.id.split("-")[1]
        number = self._next("GEM-" + layer)
        return None if number is None else f"GEM-{layer}-{number:02d}"

    def _component(self, t: Template, replica: int) -> str | None:
        if replica == 0:
            return t.id
        name, suffix = t.id.removeprefix("COMP-"), _letters(replica)
        return "COMP-" + name[:12 - len(suffix)] + suffix

    def _usecase(self, t: Template, replica: int) -> str | None:
        number = self._next("UC")
        return None if number is None else f"UC-{number:02d}"

    def _scenario(self, t: Template, replica: int) -> str | None:
        if t.option("soort") == "inrichting":
            return t.id if replica == 0 else None  # the metamodel names these four
        number = self._next("SCN-IMP")
        return None if number is None else f"SCN-IMP-{number:02d}"

    def _standaard(self, t: Template, replica: int) -> str | None:
        return t.id if replica == 0 else f"{t.id}-S{replica}"

    def _maatregel(self, t: Template, replica: int) -> str | None:
        parts = t.id.split("-")
        if parts[1] == "BIO":
            major = int(parts[2]) + 10 * replica
            return None if major > 99 else f"MTR-BIO-{major}-{parts[3]}"
        if replica == 0:
            return t.id
        for digit in range(10):
            if f"MTR-ZT-{digit}" not in self.used:
                return f"MTR-ZT-{digit}"
        return None


@dataclass
class Instance:
    """One need of the synthetic publication: a template in one replica."""

    template: Template
    replica: int
    id: str
    options: list[tuple[str, str]] = field(default_factory=list)
    body: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Targets:
    """What a scale asks for: needs per type, glossary terms, pages and diagrams."""

    needs: dict[str, int]
    terms: int
    pages: int
    diagrams: int

    @property
    def total_needs(self) -> int:
        return sum(self.needs.values())


def plan_needs(templates: list[Template], scale: float) -> list[Instance]:
    """The needs of the synthetic publication, replica by replica, per type."""
    allocator = IdAllocator()
    instances: list[Instance] = []
    by_kind: dict[str, list[Template]] = defaultdict(list)
    for template in templates:
        by_kind[template.kind].append(template)
    for kind in mm.TYPE_NAMES:
        group = by_kind.get(kind, [])
        fixed = [t for t in group if kind == "scenario" and t.option("soort") == "inrichting"]
        scaled = [t for t in group if t not in fixed]
        instances += [Instance(t, 0, t.id) for t in fixed]
        allocator.used.update(t.id for t in fixed)
        quota = max(1, round(scale * len(scaled))) if scaled else 0
        made, replica = 0, 0
        while made < quota and replica <= 2 * math.ceil(scale) + 1:
            for template in scaled:
                if made == quota:
                    break
                new_id = allocator.allocate(template, replica)
                if new_id is not None:
                    instances.append(Instance(template, replica, new_id))
                    made += 1
            replica += 1
    return instances


def targets(scale: float, templates: list[Template] | None = None) -> Targets:
    """The numbers the generator produces at ``scale``."""
    templates = templates if templates is not None else read_needs()
    needs: dict[str, int] = defaultdict(int)
    for instance in plan_needs(templates, scale):
        needs[instance.template.kind] += 1
    _, entries = read_glossary()
    real_pages = len([p for p in REAL_SOURCE.rglob("*.md") if p.name != "README.md"
                      and "_latex" not in p.parts])
    diagrams = max(1, round(scale * len(list(REAL_DIAGRAMS.glob("*.puml")))))
    terms = max(1, round(scale * len(entries)))
    parts = max(1, math.ceil(scale))
    glossaries = math.ceil(terms / len(entries))
    fixed = 1 + 1 + 2 + glossaries + parts  # root, annex index, two overviews, glossary, parts
    pages = max(fixed + parts, round(scale * real_pages))
    return Targets(dict(needs), terms, pages, diagrams)


# -- links and text ------------------------------------------------------------------------

class Remapper:
    """Where a link or citation of a template points in one replica."""

    def __init__(self, instances: list[Instance], seed: int = SEED) -> None:
        self.by_template: dict[str, list[Instance]] = defaultdict(list)
        self.by_kind: dict[str, list[Instance]] = defaultdict(list)
        for instance in instances:
            self.by_template[instance.template.id].append(instance)
            self.by_kind[instance.template.kind].append(instance)
        self.kind_of = {i.template.id: i.template.kind for i in instances}
        self.status_of = {i.id: i.template.option("status") for i in instances}
        self.random = random.Random(seed)

    def same(self, target: str, replica: int) -> Instance | None:
        """The copy of ``target`` in ``replica``, else its first copy, else None."""
        copies = self.by_template.get(target, [])
        return (next((c for c in copies if c.replica == replica), None)
                or (copies[0] if copies else None))

    def every(self, target: str) -> list[str]:
        return [c.id for c in self.by_template.get(target, [])]

    def substitute(self, kinds: Iterable[str], live: bool) -> str | None:
        """Another need of one of ``kinds``, live or withdrawn like the original target."""
        pool = [i for kind in kinds for i in self.by_kind.get(kind, [])
                if (i.template.option("status") != mm.WITHDRAWN) == live]
        return self.random.choice(pool).id if pool else None

    def text(self, text: str, replica: int) -> str:
        """Every ID in ``text`` moved to ``replica``; a name in brackets goes if the
        cited need is another one."""

        def swap(match: re.Match[str]) -> str:
            cited = match.group(1)
            found = self.same(cited, replica)
            if found is not None:
                return found.id + match.group("tail") + (match.group("gloss") or "")
            kind = next((t.directive for t in mm.NEED_TYPES
                         if re.fullmatch(mm.id_pattern(t), cited)), "")
            other = self.substitute([kind], live=True) or cited
            return other + match.group("tail")

        return ID_IN_TEXT.sub(swap, text)


def build_instance(instance: Instance, remap: Remapper, replica_word: str) -> None:
    """The fields and text of one copy: new ID, links to the same replica."""
    template, replica = instance.template, instance.replica
    expand = template.kind == "scenario" and template.option("soort") == "inrichting"
    for name, value in template.options:
        if name == "id":
            value = instance.id
        elif name in LINK_SPECS:
            targets_: list[str] = []
            for target in (v.strip() for v in value.split(",") if v.strip()):
                if expand:
                    targets_ += remap.every(target)
                else:
                    found = remap.same(target, replica)
                    targets_ += [found.id] if found else []
            if not targets_ and (template.kind, name) in REQUIRED_LINKS:
                live = template.option("status") != mm.WITHDRAWN
                other = remap.substitute(LINK_SPECS[name].targets, live=live)
                targets_ = [other] if other else []
            if not targets_:
                continue
            value = ", ".join(dict.fromkeys(targets_))
        elif name == "gemma_relaties":
            kept = []
            for relation in (r.strip() for r in value.split(";") if r.strip()):
                cited = ID_IN_TEXT.search(relation)
                found = remap.same(cited.group(1), replica) if cited else None
                if cited is None or found is not None:
                    kept.append(ID_IN_TEXT.sub(lambda m, f=found: f.id, relation)
                                if found else relation)
            if not kept:
                continue
            value = "; ".join(kept)
        elif name == "gemma_naam" and replica:
            value = f"{value} {replica_word.capitalize()}"
        elif name == "nummer" and template.kind == "maatregel" and instance.id != template.id:
            value = instance.id.removeprefix("MTR-BIO-").replace("-", ".") \
                if "BIO" in instance.id else instance.id.removeprefix("MTR-ZT-")
        else:
            value = remap.text(value, replica)
        instance.options.append((name, value))
    instance.body = [remap.text(line, replica) for line in template.body]
    _keep_bio2_consistent(instance)


def _keep_bio2_consistent(instance: Instance) -> None:
    """A BIO2 measure number only with the control it belongs to (rawa_audit.check_bio2)."""
    if instance.template.kind != "eis":
        return
    options = dict(instance.options)
    controls = set()
    for target in (t.strip() for t in options.get("dekt", "").split(",")):
        parts = target.split("-")
        if len(parts) == 4 and parts[1] == "BIO":
            controls.add(f"{int(parts[2])}.{int(parts[3]):02d}")
    measures = [m.strip() for m in options.get("bio2", "").split(",") if m.strip()]
    kept = [m for m in measures if m.rsplit(".", 1)[0] in controls]
    rewritten = []
    for name, value in instance.options:
        if name == "bio2":
            if not kept:
                continue
            value = ", ".join(kept)
        if name == "verantwoording" and not kept:
            value = ", ".join(v.strip() for v in value.split(",")
                              if v.strip() != mm.ACCOUNTABILITY[0])
            if not value:
                continue
        rewritten.append((name, value))
    instance.options = rewritten


def fix_coverage(instances: list[Instance]) -> None:
    """Justify a gap that copying opened, drop a justification whose gap closed."""
    links: dict[str, dict[str, list[str]]] = {}
    for instance in instances:
        links[instance.id] = {k: [v.strip() for v in val.split(",") if v.strip()]
                              for k, val in instance.options if k in LINK_SPECS}
    back: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for source, fields_ in links.items():
        for name, targets_ in fields_.items():
            for target in targets_:
                back[target][name + "_back"].append(source)
    for instance in instances:
        need = {"type": instance.template.kind, **dict(instance.options),
                **links[instance.id], **back[instance.id]}
        gap = any(rule.source == need["type"] and rule.in_scope(need) and rule.justifiable
                  and not any(need.get(key) for key in rule.requires)
                  for rule in mm.COVERAGE_RULES)
        instance.options = [(k, v) for k, v in instance.options if k != mm.GAP_FIELD]
        if gap:
            instance.options.append((mm.GAP_FIELD, GAP_TEXT))


# -- writing -------------------------------------------------------------------------------

def need_block(instance: Instance) -> str:
    lines = [f":::{{{instance.template.kind}}} {instance.template.title}"]
    lines += [f":{k}: {v}" for k, v in instance.options]
    lines += instance.body
    lines.append(":::")
    return "\n".join(lines)


def glossary_entry(entry: GlossaryEntry, word: str) -> tuple[str, str]:
    """The entry's text and its first name, with ``word`` after every name (if any)."""
    if not word:
        return "\n".join([*entry.terms, *entry.lines]), entry.terms[0]

    def suffixed(names: str) -> str:
        return ", ".join(f"{n.strip()} {word}" for n in names.split(",") if n.strip())

    lines = []
    for line in entry.lines:
        match = re.match(r"^(\s*:(Varianten|Niet gebruiken):\s*)(.*)$", line)
        lines.append(match.group(1) + suffixed(match.group(3)) if match else line)
    terms = [f"{t} {word}" for t in entry.terms]
    return "\n".join([*terms, *lines]), terms[0]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip() + "\n", encoding="utf-8")


def _toctree(entries: Iterable[str], caption: str = "", maxdepth: int = 1) -> str:
    head = [f":maxdepth: {maxdepth}"] + ([f":caption: {caption}"] if caption else [])
    return "```{toctree}\n" + "\n".join(head) + "\n\n" + "\n".join(entries) + "\n```"


def _split(items: list, parts: int) -> list[list]:
    """``items`` in ``parts`` consecutive runs of (nearly) equal length."""
    size, rest = divmod(len(items), parts)
    runs, start = [], 0
    for number in range(parts):
        end = start + size + (1 if number < rest else 0)
        runs.append(items[start:end])
        start = end
    return runs


OVERVIEW_TRACE = """# Traceerbaarheid

Deze bijlage toont de dekking en de matrices over alle objecten van de synthetische
publicatie, zoals de echte publicatie ze één keer toont.

```{rawa-dekking}
```

## Principes

```{rawa-matrix} principe
```

## Eisen

```{rawa-matrix} eis
```

## Eisen en normen

```{rawa-matrix} eis-normen
```

## Componenten

```{rawa-matrix} component
```

## Bestanden

```{rawa-exports}
```

## Wijzigingen

```{rawa-wijzigingen}
```
"""


def overview_tables(kinds: Iterable[str], layers: Iterable[str], scenarios: Iterable[str]) -> str:
    parts = ["# Overzichten", "",
             "Deze bijlage toont de tabellen over alle objecten van één soort.", "",
             "## Volwassenheid", "", "```{rawa-volwassenheid}", "```"]
    for scenario in scenarios:
        parts += ["", f"## Eisen in {scenario}", "", f"```{{rawa-scenario-eisen}} {scenario}",
                  "```"]
    for kind in kinds:
        spec = mm.need_type(kind)
        parts += ["", f"## {spec.plural}", "", f"```{{needtable}} {spec.plural}",
                  f":types: {kind}", ':columns: id as "ID", title as "Titel", status',
                  ":style: table", ":class: longtable", ":sort: id", "```"]
    for layer in layers:
        parts += ["", f"## GEMMA-laag {layer}", "",
                  f"```{{gemma-plaat}} Wijzigingen in de laag {layer}.", f":laag: {layer}",
                  "```", "", "```{gemma-wijzigingen}", f":laag: {layer}", "```"]
    return "\n".join(parts)


def write_glossaries(source: Path, terms: int) -> tuple[list[str], list[str]]:
    """Glossary pages of the real entries, then copies with a replica word after every
    name; the page names and each entry's first name (to be used in the text)."""
    intro, entries = read_glossary()
    glossaries, used_terms = [], []
    per_page = len(entries)
    for page_number in range(math.ceil(terms / per_page)):
        texts = []
        for j in range(page_number * per_page, min(terms, (page_number + 1) * per_page)):
            replica, index = divmod(j, per_page)
            text, first = glossary_entry(entries[index], _word(replica) if replica else "")
            texts.append(text)
            used_terms.append(first)
        name = f"bijlagen/terminologie-{page_number + 1:02d}"
        glossaries.append(name)
        _write(source / f"{name}.md",
               f"# Terminologie {page_number + 1}\n\n{intro}\n\n```{{glossary}}\n:sorted:\n\n"
               + "\n\n".join(texts) + "\n```")
    return glossaries, used_terms


def write_diagrams(folder: Path, count: int) -> list[tuple[str, str]]:
    """Copies of the real diagrams, each marked so that it renders (and caches) on its own;
    (file name, name of the real diagram) per copy."""
    real_diagrams = sorted(REAL_DIAGRAMS.glob("*.puml"))
    names = []
    for number in range(count):
        real = real_diagrams[number % len(real_diagrams)]
        text = real.read_text(encoding="utf-8")
        text = text.replace("@startuml", f"@startuml\n' synthetische kopie {number + 1}", 1)
        name = f"syn-{number + 1:03d}-{real.stem}.puml"
        _write(folder / name, text)
        names.append((name, real.stem))
    return names


def content_page(title: str, intro: str, terms: list[str], needs: list[Instance],
                 diagrams: list[tuple[str, str]], prose: Callable[[int], str]) -> str:
    """One page: real prose, a sentence with glossary terms, needs and diagrams."""
    page = [f"# {title}", "", intro]
    if terms:
        listed = terms[0] if len(terms) == 1 else ", ".join(terms[:-1]) + " en " + terms[-1]
        page += ["", f"Op deze pagina gaat het ook over: {listed}."]
    for k, instance in enumerate(needs):
        if k % 5 == 0:
            page += ["", f"## Groep {k // 5 + 1}", "", prose(k + 1)]
        page += ["", need_block(instance)]
    for name, stem in diagrams:
        page += ["", f"```{{uml}} /../diagrams/{name}",
                 f":caption: Kopie van het diagram {stem}.",
                 f":alt: Diagram. Een kopie van het diagram {stem} uit de publicatie, "
                 "voor de meting van de bouwtijd.", "```"]
    return "\n".join(page)


def write_parts(source: Path, parts: int, pages: int, instances: list[Instance],
                terms: list[str], diagrams: list[tuple[str, str]], prose: list[str]) -> None:
    """``pages`` content pages in ``parts`` parts, each part with an index page."""
    need_runs, term_runs = _split(instances, pages), _split(terms, pages)
    diagram_runs = _split(diagrams, pages)
    for part, numbers in enumerate(_split(list(range(pages)), parts), start=1):
        folder = f"deel-{part:02d}"
        for number in numbers:
            text = content_page(f"Deel {part}, pagina {number + 1}", prose[number % len(prose)],
                                term_runs[number], need_runs[number], diagram_runs[number],
                                lambda k, n=number: prose[(n + k) % len(prose)])
            _write(source / folder / f"pagina-{number + 1:03d}.md", text)
        _write(source / folder / "index.md",
               f"# Deel {part}\n\n{prose[part % len(prose)]}\n\n"
               + _toctree(f"pagina-{n + 1:03d}" for n in numbers))


def generate(out: Path, scale: float = 10.0, git: bool = True) -> Targets:
    """Write the synthetic publication to ``out/source`` and ``out/diagrams``."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    templates = read_needs()
    goal = targets(scale, templates)
    instances = plan_needs(templates, scale)
    remap = Remapper(instances)
    for instance in instances:
        build_instance(instance, remap, _word(instance.replica) if instance.replica else "")
    fix_coverage(instances)
    prose = read_prose()
    for folder in ("source", "diagrams"):
        shutil.rmtree(out / folder, ignore_errors=True)
    source = out / "source"

    glossaries, used_terms = write_glossaries(source, goal.terms)
    diagrams = write_diagrams(out / "diagrams", goal.diagrams)
    parts = max(1, math.ceil(scale))
    fixed = 1 + 1 + 2 + len(glossaries) + parts  # root, annexes, two overviews, glossary
    write_parts(source, parts, goal.pages - fixed, instances, used_terms, diagrams, prose)

    kinds = [k for k in mm.TYPE_NAMES if goal.needs.get(k)]
    layers = sorted({dict(i.options)["gemma_laag"] for i in instances
                     if i.template.kind == "gemma"}, key=mm.GEMMA_LAYERS.index)
    scenarios = [i.id for i in instances if i.id in mm.INRICHTINGSSCENARIOS]
    _write(source / "bijlagen/traceerbaarheid.md", OVERVIEW_TRACE)
    _write(source / "bijlagen/overzichten.md", overview_tables(kinds, layers, scenarios))
    _write(source / "bijlagen/index.md", "# Bijlagen\n\n" + prose[0] + "\n\n" + _toctree(
        ["traceerbaarheid", "overzichten", *(g.removeprefix("bijlagen/") for g in glossaries)]))
    _write(source / "index.md",
           "# Synthetische publicatie\n\nDeze publicatie is gegenereerd door "
           f"`tools/make_synthetic.py` (schaal {scale:g}) om de bouwtijd te meten. "
           "Elk object is een kopie van een object uit de echte publicatie.\n\n"
           + _toctree([*(f"deel-{p:02d}/index" for p in range(1, parts + 1)),
                       "bijlagen/index"], maxdepth=2))
    (out / "targets.json").write_text(json.dumps(
        {"scale": scale, "needs": goal.needs, "total_needs": goal.total_needs,
         "terms": goal.terms, "pages": goal.pages, "diagrams": goal.diagrams},
        indent=2, sort_keys=True) + "\n", encoding="utf-8")
    if git:
        _commit(out)
    return goal


def _word(replica: int) -> str:
    base = REPLICA_WORDS[(replica - 1) % len(REPLICA_WORDS)]
    rounds = (replica - 1) // len(REPLICA_WORDS)
    return base if rounds == 0 else f"{base}{_letters(rounds).lower()}"


def _commit(out: Path) -> None:
    """Put the output in a git repository: the build reads "last updated" from git."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "RAWA", "GIT_AUTHOR_EMAIL": "rawa@example.org",
           "GIT_COMMITTER_NAME": "RAWA", "GIT_COMMITTER_EMAIL": "rawa@example.org",
           "GIT_AUTHOR_DATE": "2026-11-29T12:00:00+01:00",
           "GIT_COMMITTER_DATE": "2026-11-29T12:00:00+01:00"}
    run: Callable[..., object] = lambda *a: subprocess.run(  # noqa: E731
        ["git", *a], cwd=out, env=env, check=True, capture_output=True)
    if not (out / ".git").exists():
        run("init", "-q")
    run("add", "-A", "source", "diagrams")
    run("commit", "-q", "--allow-empty", "-m", "synthetic publication")


def sphinx_overrides(out: Path) -> list[str]:
    """The ``-D`` options that let the real conf.py read the generated folders."""
    out = out.resolve()
    return ["-D", f"rawa_project_dirs={out / 'source'},{out / 'diagrams'}",
            "-D", f"rawa_plantuml_include_dirs={out / 'diagrams'}"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for source/ and diagrams/")
    parser.add_argument("--scale", type=float, default=10.0,
                        help="size as a multiple of the real publication (default 10)")
    parser.add_argument("--no-git", action="store_true",
                        help="do not commit the output in a git repository")
    parser.add_argument("--overrides", action="store_true",
                        help="only print the -D options for sphinx-build")
    args = parser.parse_args()
    if args.overrides:
        print(" ".join(sphinx_overrides(args.out)))
        return 0
    goal = generate(args.out, args.scale, git=not args.no_git)
    print(f"{goal.total_needs} objecten, {goal.terms} begrippen, {goal.pages} pagina's, "
          f"{goal.diagrams} diagrammen in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

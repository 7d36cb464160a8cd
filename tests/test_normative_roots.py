"""The normative-keyword check on small projects: each violation names file and line."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Build, warnings_at
from hypothesis import given
from hypothesis import strategies as st

from rawa.checks.normative import find_keywords
from rawa.model.metamodel import NORMATIVE_KEYWORDS


@pytest.mark.parametrize(("text", "expected"), [
    ("Het PEP MOET weigeren.", ["MOET"]),
    ("Het PEP MOET NIET doorlaten.", ["MOET NIET"]),
    ("Een client ZOU NIET\nMOETEN dat doen.", ["ZOU NIET MOETEN"]),
    ("Een client ZOU MOETEN dat doen.", ["ZOU MOETEN"]),
    ("De client MAG cachen.", ["MAG"]),
    ("De gemeente moet dit en mag dat.", []),
    ("MOETEN, MAGAZIJN, OMAG en MOETJE zijn geen sleutelwoorden.", []),
    ("Hij MOET dit en MAG dat.", ["MOET", "MAG"]),
])
def test_keywords_are_matched_whole_words_capitals_longest_first(
        text: str, expected: list[str]) -> None:
    assert find_keywords(text) == expected


LOWER_WORDS = st.lists(st.from_regex(r"[a-zà-ÿ]{1,12}", fullmatch=True), max_size=12)


@given(before=LOWER_WORDS, after=LOWER_WORDS, keyword=st.sampled_from(NORMATIVE_KEYWORDS))
def test_one_keyword_in_lower_case_prose_is_found_exactly_once(
        before: list[str], after: list[str], keyword: str) -> None:
    text = " ".join([*before, keyword, *after])
    assert find_keywords(text) == [keyword]


@given(words=LOWER_WORDS)
def test_lower_case_prose_has_no_keywords(words: list[str]) -> None:
    assert find_keywords(" ".join(words)) == []


def test_correct_use_of_every_keyword_builds_without_warnings(build_root: Build) -> None:
    app, warnings = build_root("normative-ok")
    assert warnings.strip() == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert 'id="EIS-TST-02"' in html


# root name, line of the offending need or paragraph, text the warning must contain
BAD_INPUT = [
    ("bad-eis-no-keyword", 13, "Eis EIS-TST-01 bevat geen normatief sleutelwoord"),
    ("bad-eis-two-keywords", 13, "bevat 2 normatieve sleutelwoorden (MOET, MAG)"),
    ("bad-eis-level-mismatch", 13, "sleutelwoord in de tekst (MOET NIET) verschilt van het veld"),
    ("bad-informative-keyword", 13, "Informatieve tekst gebruikt het normatieve sleutelwoord MOET"),
    ("bad-field-keyword", 3, "Need PRI-B1, veld rationale: informatieve tekst gebruikt"),
]


@pytest.mark.parametrize(("root", "line", "expected"), BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_keyword_violations_name_file_and_line(build_root: Build, root: str, line: int,
                                               expected: str) -> None:
    _, warnings = build_root(root)
    matching = warnings_at(warnings, root, line, expected)
    assert matching, f"no warning at index.md:{line} containing {expected!r}:\n{warnings}"
    assert all("[rawa.normative]" in w for w in matching)
    assert "Traceback" not in warnings


def test_check_reports_from_parallel_reading(make_app: Callable[..., Any], tmp_path: Path,
                                             rootdir: Path) -> None:
    """With two reader processes the warning still names the file and line."""
    srcdir = tmp_path / "parallel"
    shutil.copytree(rootdir / "test-bad-keyword-parallel", srcdir)
    app = make_app("html", srcdir=srcdir, freshenv=True, parallel=2)
    app.build()
    warnings = app.warning.getvalue()
    assert re.search(r"p7\.md:3: WARNING: Informatieve tekst gebruikt het normatieve "
                     r"sleutelwoord MOET", warnings), warnings
    assert warnings.count("[rawa.normative]") == 1
    assert "not safe for parallel" not in warnings


def test_cited_principles_exist_and_their_names_fit(build_root: Any) -> None:
    """A plain ID that does not exist, or a bracketed name of another principle, fails."""
    _, warnings = build_root("bad-citation")
    found = sorted(re.sub(r"^.*?bad-citation/", "", w).split(": WARNING")[0]
                   for w in warnings.splitlines() if "[rawa.citation]" in w)
    assert found == ["index.md:29", "index.md:31", "index.md:33"], warnings
    assert warnings_at(warnings, "bad-citation", 29,
                       "noemt PRI-P3 '(fail closed)', maar PRI-P3 heet 'Geen beleid, geen "
                       "toegang'"), warnings
    assert warnings_at(warnings, "bad-citation", 31, "noemt PRI-P9, maar dat object bestaat "
                       "niet"), warnings
    assert "Traceback" not in warnings

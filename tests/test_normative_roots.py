"""The normative-keyword check on small projects: each violation names file and line."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import expected_warnings
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


@pytest.mark.sphinx("html", testroot="normative-ok", freshenv=True)
def test_correct_use_of_every_keyword_builds_without_warnings(app: Any) -> None:
    app.build()
    assert app.warning.getvalue().strip() == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert 'id="EIS-TST-02"' in html


def test_check_reports_from_parallel_reading(make_app: Callable[..., Any], tmp_path: Path,
                                             rootdir: Path) -> None:
    """With two reader processes the warning still names the file and line."""
    srcdir = tmp_path / "parallel"
    shutil.copytree(rootdir / "test-bad-keyword-parallel", srcdir)
    app = make_app("html", srcdir=srcdir, freshenv=True, parallel=2)
    app.build()
    warnings = app.warning.getvalue()
    (line,) = [e.line for e in expected_warnings(srcdir)]
    assert re.search(rf"p7\.md:{line}: WARNING: Informatieve tekst gebruikt het normatieve "
                     r"sleutelwoord MOET", warnings), warnings
    assert warnings.count("[rawa.normative]") == 1
    assert "not safe for parallel" not in warnings

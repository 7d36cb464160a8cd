"""Incremental builds recover from failed and simultaneous builds (``rawa.checks.build_guard``).

Each case runs ``sphinx-build`` the way a maintainer does, on a copy of
``tests/roots/test-incremental-recover``, in one output and doctree folder: a need moved
between pages in two saves, a build that fails on a warning or crashes or is killed while
writing, two builds started at once. Afterwards a normal build must give exactly the
site of a clean build of the same sources: every page, ``needs.json`` and the exports (the
doctree folder is kept outside the site, as ``make html`` does). The search index and the
sitemap may differ, as in any preview (README, "Incrementeel bouwen").
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, STRICT, SUPPORT
from test_reproducible import digests, preview_digests

RECOVER_ROOT = ROOT / "tests" / "roots" / "test-incremental-recover"
UNFINISHED = "de vorige build in"
WAITS = "een andere build gebruikt"
NEED = (RECOVER_ROOT / "b.md").read_text(encoding="utf-8").split("\n", 2)[2]


def command(src: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "sphinx", *STRICT, "-b", "html", "-d", str(out / "doctrees"),
            str(src), str(out / "html")]


def environment(**hooks: str) -> dict[str, str]:
    """The test root's hooks (``RAWA_TEST_*``) switched on for one build only."""
    path = str(SUPPORT)
    return {**os.environ, "PYTHONPATH": path, **hooks}


def build(src: Path, out: Path, **hooks: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(src, out), capture_output=True, text=True, check=False,
                          env=environment(**hooks), cwd=src)


def start(src: Path, out: Path, output: Path, group: bool = False,
          **hooks: str) -> subprocess.Popen[str]:
    """A build in the background that logs to ``output`` (``group``: in its own session)."""
    with output.open("w", encoding="utf-8") as stream:
        return subprocess.Popen(command(src, out), stdout=stream, stderr=stream, text=True,
                                env=environment(**hooks), cwd=src, start_new_session=group)


def log(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


def succeeds(src: Path, out: Path) -> str:
    result = build(src, out)
    assert result.returncode == 0, log(result)[-4000:]
    assert "Traceback" not in log(result), log(result)[-4000:]
    return result.stdout


def project(tmp_path: Path) -> tuple[Path, Path]:
    src = tmp_path / "src"
    shutil.copytree(RECOVER_ROOT, src)
    return src, tmp_path / "out"


def save(path: Path, text: str) -> None:
    """Write like an editor does: later than the last build read the page."""
    time.sleep(0.02)
    path.write_text(text, encoding="utf-8")


def assert_equals_clean_build(src: Path, out: Path) -> None:
    clean = out.with_name("clean")
    shutil.rmtree(clean, ignore_errors=True)
    succeeds(src, clean)
    assert digests(clean / "html").keys() == digests(out / "html").keys()
    expected, actual = preview_digests(clean / "html"), preview_digests(out / "html")
    differing = sorted(name for name in expected if expected[name] != actual[name])
    assert not differing, f"differs from a clean build: {differing}"


def wait_until_writing(process: subprocess.Popen[str], output: Path) -> None:
    """Until the build pauses while writing a page (its environment is pickled by then).

    The test root's hook says so unbuffered when it starts to sleep; Sphinx' own
    progress lines may sit in a buffer until much later, when the build is done.
    """
    deadline = time.monotonic() + 60
    while "rawa-test: pausing while writing" not in output.read_text(encoding="utf-8"):
        assert process.poll() is None, output.read_text(encoding="utf-8")
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.05)


def move_need(src: Path, out: Path, order: str) -> list[subprocess.CompletedProcess[str]]:
    """Move PRI-B1 (and its label) from page b to page a in two saves, a build after each."""
    add = (src / "a.md", "# Pagina A\n\n" + NEED)
    remove = (src / "b.md", "# Pagina B\n\nLeeg.\n")
    results = []
    for path, text in (add, remove) if order == "add-first" else (remove, add):
        save(path, text)
        results.append(build(src, out))
    return results


@pytest.mark.parametrize("order", ["add-first", "remove-first"])
def test_moving_a_need_in_two_saves_equals_a_clean_build(tmp_path: Path, order: str) -> None:
    src, out = project(tmp_path)
    succeeds(src, out)
    first, second = move_need(src, out, order)
    # between the saves the build fails, rightly: the need is on both pages, or on none
    assert first.returncode != 0
    expected = (f"{src}/a.md:9: WARNING: Need could not be created: A need with ID 'PRI-B1' "
                "already exists" if order == "add-first"
                else f"{src}/index.md:3: WARNING: linked need PRI-B1 not found")
    assert expected in log(first), log(first)
    assert second.returncode == 0, log(second)[-4000:]
    assert UNFINISHED in second.stdout, second.stdout
    assert 'id="PRI-B1"' in (out / "html" / "a.html").read_text(encoding="utf-8")
    assert_equals_clean_build(src, out)


def test_moving_a_need_while_the_build_fails_for_another_reason(tmp_path: Path) -> None:
    src, out = project(tmp_path)
    succeeds(src, out)
    index = src / "index.md"
    good = index.read_text(encoding="utf-8")
    save(index, good.replace("{need}`PRI-B1`", "{need}`PRI-B9`"))
    assert build(src, out).returncode != 0
    move_need(src, out, "add-first")
    save(index, good)
    assert UNFINISHED in succeeds(src, out)
    assert_equals_clean_build(src, out)


def test_a_crash_while_writing_then_a_build_equals_a_clean_build(tmp_path: Path) -> None:
    src, out = project(tmp_path)
    succeeds(src, out)
    save(src / "b.md", (src / "b.md").read_text(encoding="utf-8").replace(
        "Een principe dat verhuist", "Een hernoemd principe"))
    crashed = build(src, out, RAWA_TEST_CRASH_WRITING="index")
    assert crashed.returncode != 0 and "test: crash while writing index" in log(crashed)
    assert UNFINISHED in succeeds(src, out)
    assert_equals_clean_build(src, out)


def children(pid: int) -> list[int]:
    """The processes a build forked (sphinx-sitemap's multiprocessing manager)."""
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in found.read_text().split()] if found.exists() else []


@pytest.mark.parametrize("group", [True, False], ids=["ctrl-c", "kill"])
def test_a_build_stopped_while_writing_then_a_build_equals_a_clean_build(
    tmp_path: Path, group: bool
) -> None:
    """Ctrl-C stops the whole build; ``kill -9`` only the build, so its forked child stays."""
    src, out = project(tmp_path)
    succeeds(src, out)
    # the need's title changes: the reference on page c shows it (page c is not the
    # toctree parent of b, which Sphinx would write again anyway)
    save(src / "b.md", (src / "b.md").read_text(encoding="utf-8").replace(
        "Een principe dat verhuist", "Een hernoemd principe"))
    output = tmp_path / "stopped.log"
    stopped = start(src, out, output, group=True, RAWA_TEST_PAUSE_WRITING="2")
    wait_until_writing(stopped, output)
    left = children(stopped.pid)
    if group:
        os.killpg(stopped.pid, signal.SIGINT)
    else:
        os.kill(stopped.pid, signal.SIGKILL)
    assert stopped.wait(timeout=60) != 0
    try:
        # the child a killed build leaves must not keep the build folder locked
        after = subprocess.run(command(src, out), capture_output=True, text=True, check=False,
                               env=environment(), cwd=src, timeout=120)
    finally:
        for pid in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    assert after.returncode == 0, log(after)[-4000:]
    assert UNFINISHED in after.stdout
    assert "Een hernoemd principe (PRI-B1)" in (out / "html" / "c.html").read_text(
        encoding="utf-8")
    assert_equals_clean_build(src, out)


def test_a_second_build_waits_for_the_first_and_the_site_equals_a_clean_build(
    tmp_path: Path,
) -> None:
    """Save, build, save again while that build still writes, build: two builds at once.

    Without the lock the first build, slower, writes page b and the search index from the
    first save last, while the environment of the second build says b is up to date: no
    later build would write them again.
    """
    src, out = project(tmp_path)
    succeeds(src, out)
    page = src / "b.md"
    save(page, page.read_text(encoding="utf-8").replace("kwartel.", "kwartel en de patrijs."))
    first = start(src, out, tmp_path / "first.log", RAWA_TEST_PAUSE_WRITING="1")
    wait_until_writing(first, tmp_path / "first.log")
    save(page, page.read_text(encoding="utf-8").replace("patrijs", "fazant"))
    second = start(src, out, tmp_path / "second.log")
    for process, name in ((first, "first.log"), (second, "second.log")):
        assert process.wait(timeout=120) == 0, (tmp_path / name).read_text(encoding="utf-8")
    first_log, second_log = ((tmp_path / name).read_text(encoding="utf-8")
                             for name in ("first.log", "second.log"))
    assert UNFINISHED not in first_log, "after a good build, no need to read everything"
    assert f"rawa: een andere build gebruikt {out / 'doctrees'}; deze build wacht tot die " \
           "klaar is" in second_log, second_log
    succeeds(src, out)
    assert "fazant" in (out / "html" / "b.html").read_text(encoding="utf-8")
    assert_equals_clean_build(src, out)


def test_after_a_failed_build_nothing_of_it_stays_in_the_output(tmp_path: Path) -> None:
    """A page that failed and was then removed leaves no page, image or file behind."""
    src, out = project(tmp_path)
    succeeds(src, out)
    (src / "extra.md").write_text("---\norphan: true\n---\n# Extra\n\n<b>ruwe HTML</b>\n\n"
                                  "![plaatje](plaatje.svg)\n", encoding="utf-8")
    (src / "plaatje.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n',
                                     encoding="utf-8")
    failed = build(src, out)
    assert failed.returncode != 0, log(failed)[-3000:]
    assert (out / "html" / "extra.html").exists()  # Sphinx wrote it (--keep-going)
    (src / "extra.md").unlink()
    (src / "plaatje.svg").unlink()
    assert UNFINISHED in succeeds(src, out)
    assert not (out / "html" / "extra.html").exists()
    assert not list((out / "html").rglob("plaatje*.svg"))
    assert_equals_clean_build(src, out)

#!/usr/bin/env python3
"""Make sure the system tools a build needs are present; install them on Debian.

Usage: ``ensure_system_deps.py GROUP [GROUP ...]`` with groups ``plantuml``, ``latex``,
``pdf``, ``browser`` or ``all``. A missing tool is installed with apt-get when this machine
is Debian-like and we are root (or have password-less sudo), unless
``RAWA_NO_INSTALL=1``. Otherwise the script stops and says exactly what to install
on Debian/Ubuntu, macOS and Windows.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from ctypes.util import find_library
from dataclasses import dataclass


@dataclass(frozen=True)
class Group:
    purpose: str
    commands: tuple[str, ...]
    debian: tuple[str, ...]
    macos: str
    windows: str
    #: shared libraries a Python package loads itself (found through ``ldconfig``)
    libraries: tuple[str, ...] = ()


GROUPS: dict[str, Group] = {
    "plantuml": Group(
        purpose="PlantUML-diagrammen lokaal renderen (Java) met Graphviz-layout",
        commands=("java", "dot"),
        debian=("default-jre-headless", "graphviz", "fonts-dejavu-core"),
        macos="brew install openjdk graphviz",
        windows="winget install EclipseAdoptium.Temurin.21.JRE Graphviz.Graphviz",
    ),
    "latex": Group(
        purpose="de PDF-editie bouwen (TeX Live met XeLaTeX, Nederlandse afbreking)",
        commands=("latexmk", "xelatex", "xindy", "epstopdf", "gs", "pdftotext", "pdffonts"),
        debian=(
            "latexmk", "texlive-xetex", "texlive-latex-recommended", "texlive-latex-extra",
            "texlive-fonts-recommended", "texlive-lang-european", "texlive-font-utils",
            "tex-gyre", "fonts-freefont-otf", "ghostscript", "xindy", "poppler-utils",
        ),
        macos="brew install --cask mactex-no-gui && brew install poppler",
        windows="installeer TeX Live (https://tug.org/texlive/) en Poppler voor Windows",
    ),
    "pdf": Group(
        purpose="de toegankelijke PDF-editie (WeasyPrint: Pango, HarfBuzz; Poppler voor de tests)",
        commands=("pdftotext", "pdffonts", "pdfinfo"),
        debian=(
            "libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b", "libharfbuzz-subset0",
            "libfontconfig1", "fonts-dejavu-core", "poppler-utils",
        ),
        macos="brew install pango poppler",
        windows="installeer GTK3 (MSYS2: pacman -S mingw-w64-x86_64-pango) en Poppler",
        libraries=("pango-1.0", "pangoft2-1.0", "harfbuzz", "harfbuzz-subset", "fontconfig"),
    ),
    "spelling": Group(
        purpose="de Nederlandse spellingcontrole (pre-commit, tools/spellcheck.py)",
        commands=("hunspell",),
        debian=("hunspell", "hunspell-nl", "hunspell-en-us"),
        macos="brew install hunspell (en woordenboeken nl_NL en en_US van OpenTaal/LibreOffice)",
        windows="gebruik WSL met Debian en installeer daar hunspell hunspell-nl hunspell-en-us",
    ),
    "browser": Group(
        purpose="toegankelijkheids- en privacytests in een echte browser",
        commands=("chromium",),
        debian=("chromium", "fonts-dejavu-core"),
        macos="brew install --cask chromium",
        windows="winget install Hibbiki.Chromium",
    ),
}


def missing(group: Group) -> list[str]:
    absent = [cmd for cmd in group.commands if shutil.which(cmd) is None]
    return absent + [f"lib{lib}" for lib in group.libraries if find_library(lib) is None]


def can_install() -> list[str] | None:
    """The command prefix that installs Debian packages, or None when we may not."""
    if os.environ.get("RAWA_NO_INSTALL") == "1" or shutil.which("apt-get") is None:
        return None
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") and subprocess.run(
        ["sudo", "-n", "true"], capture_output=True, check=False
    ).returncode == 0:
        return ["sudo", "-n"]
    return None


def install(prefix: list[str], packages: list[str]) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print(f"rawa: apt-get install {' '.join(packages)}", flush=True)
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        [*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
        check=True, env=env,
    )


def explain(name: str, group: Group, absent: list[str]) -> str:
    return (
        f"rawa: voor {group.purpose} ontbreekt: {', '.join(absent)}.\n"
        f"  Debian/Ubuntu: sudo apt-get install {' '.join(group.debian)}\n"
        f"  macOS:         {group.macos}\n"
        f"  Windows:       {group.windows}\n"
        f"  Daarna opnieuw uitvoeren (groep '{name}')."
    )


def ensure(names: list[str]) -> int:
    wanted = list(GROUPS) if "all" in names else names
    unknown = [n for n in wanted if n not in GROUPS]
    if unknown:
        print(f"rawa: onbekende groep {', '.join(unknown)}; kies uit {', '.join(GROUPS)}, all")
        return 2
    packages: list[str] = []
    for name in wanted:
        if missing(GROUPS[name]):
            packages.extend(GROUPS[name].debian)
    if packages and (prefix := can_install()) is not None:
        install(prefix, sorted(set(packages)))
    status = 0
    for name in wanted:
        absent = missing(GROUPS[name])
        if absent:
            print(explain(name, GROUPS[name], absent), file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(ensure(sys.argv[1:] or ["all"]))

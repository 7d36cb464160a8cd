"""Publication metadata (title, version, status, date) read from ``publicatie.toml``.

Every mistake in the file (TOML syntax, a missing or unknown key, a wrong type, an invalid
date, an unknown status, a version that is not ``x.y.z``, a base address without a
trailing slash) is a :class:`rawa_settings.SettingsError` naming the file and line.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rawa.model import settings as rawa_settings
from rawa.model.settings import Problem, SettingsError, shown

#: The statuses of a Dutch government publication, in the order a version passes them.
STATUSES: tuple[str, ...] = (
    "Werkversie",
    "Consultatieversie",
    "Versie ter vaststelling",
    "Vastgestelde versie",
)

_DUTCH_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
    "september", "oktober", "november", "december",
)


@dataclass(frozen=True)
class Publication:
    titel: str
    afkorting: str
    ondertitel: str
    versie: str
    status: str
    datum: dt.date
    uitgever: str
    basis_url: str
    licentie: str = "Tekst: CC BY 4.0; code: EUPL-1.2"
    #: the one date at which the statuses of standards and other facts were checked
    peildatum: dt.date | None = None

    @property
    def is_final(self) -> bool:
        return self.status == "Vastgestelde versie"

    @property
    def banner(self) -> str:
        """Site banner text for a version that is not final; empty for a final one."""
        if self.is_final:
            return ""
        return (
            f"{self.status} {self.versie} van {self.datum_nl}. Dit is geen vastgestelde "
            "versie: de inhoud kan nog veranderen."
        )

    @property
    def short_version(self) -> str:
        return ".".join(self.versie.split(".")[:2])

    def substitutions(self) -> dict[str, str]:
        """Values for ``{{ versie }}``, ``{{ status }}``, ``{{ datum }}`` and the titles in
        MyST pages (the print template of ``rawa.pdf`` reads them too)."""
        return {"versie": self.versie, "status": self.status, "datum": self.datum_nl,
                "titel": self.titel, "ondertitel": self.ondertitel,
                "peildatum": _dutch(self.peildatum) if self.peildatum else "niet vastgelegd"}

    @property
    def datum_nl(self) -> str:
        """The date written out in Dutch, e.g. ``29 november 2026``."""
        return _dutch(self.datum)


def _dutch(date: dt.date) -> str:
    return f"{date.day} {_DUTCH_MONTHS[date.month - 1]} {date.year}"


#: Keys of ``publicatie.toml``: the required ones, then the optional ones.
REQUIRED_KEYS: tuple[str, ...] = ("titel", "afkorting", "ondertitel", "versie", "status",
                                  "datum", "uitgever", "basis_url")
OPTIONAL_KEYS: tuple[str, ...] = ("licentie", "peildatum")
#: keys whose value is a date, not text
DATE_KEYS: tuple[str, ...] = ("datum", "peildatum")
# x.y.z without leading zeros (as SemVer): "0.02.0" would be a second name for 0.2.0
VERSION_RE = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
BASE_URL_VARIABLE = "RAWA_BASE_URL"


def key_line(text: str, key: str) -> int | None:
    """The line on which ``key = ...`` is set (``publicatie.toml`` is one flat table)."""
    match = re.search(rf"""^[ \t]*["']?{re.escape(key)}["']?[ \t]*=""", text, flags=re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


def read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """The text and data of a TOML file; any problem becomes a SettingsError with its line."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise SettingsError.one(path, None, f"het bestand kan niet gelezen worden "
                                            f"({err.strerror or err}).") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SettingsError.one(path, raw.count(b"\n", 0, err.start) + 1,
                                "het bestand is niet opgeslagen als UTF-8; sla het op met de "
                                "codering UTF-8.") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        found = re.search(r"\(at line (\d+), column \d+\)|\(at end of document\)", str(err))
        line = (int(found[1]) if found and found[1] else text.count("\n") + 1) if found else None
        detail = str(err).split(" (at ")[0]
        raise SettingsError.one(path, line, f"geen geldige TOML ({detail}). Schrijf elke "
                                            'instelling als sleutel = "waarde", met '
                                            "aanhalingstekens om de waarde.") from None


def read_version(path: Path) -> str:
    """Only the ``versie`` of a metadata file, checked (for the release tools)."""
    text, data = read_toml(path)
    problems = _check_version(path, text, data)
    if problems:
        raise SettingsError(problems)
    return str(data["versie"])


def _check_version(path: Path, text: str, data: dict[str, Any]) -> list[Problem]:
    versie = data.get("versie")
    if versie is None:
        return [Problem(shown(path), None, "de sleutel 'versie' ontbreekt.")]
    if not isinstance(versie, str) or not VERSION_RE.match(versie):
        return [Problem(shown(path), key_line(text, "versie"),
                        f"versie {versie!r} is geen versienummer van de vorm x.y.z, "
                        'zoals "1.2.0".')]
    return []


def _problems(path: Path, text: str, data: dict[str, Any]) -> list[Problem]:
    """Every mistake in the data of ``publicatie.toml``, in the order of the file."""
    where = shown(path)
    problems: list[Problem] = []

    def add(key: str | None, message: str) -> None:
        problems.append(Problem(where, key_line(text, key) if key else None, message))

    for key in data:
        if key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            add(key, f"onbekende sleutel '{key}'. Bekende sleutels: "
                     f"{', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)}.")
    for key in REQUIRED_KEYS:
        if key not in data:
            add(None, f"de sleutel '{key}' ontbreekt.")
    for key in (*REQUIRED_KEYS, *OPTIONAL_KEYS):
        value = data.get(key)
        if key in DATE_KEYS or value is None:
            continue
        if not isinstance(value, str):
            add(key, f"de waarde van '{key}' moet tekst tussen aanhalingstekens zijn.")
        elif not value.strip():
            add(key, f"de waarde van '{key}' is leeg.")
    if isinstance(data.get("versie"), str):
        problems.extend(_check_version(path, text, data))
    status = data.get("status")
    if isinstance(status, str) and status.strip() and status not in STATUSES:
        add("status", f"status {status!r} is niet een van: {', '.join(STATUSES)}.")
    for key in DATE_KEYS:
        if key in data and _date(data[key]) is None:
            add(key, f"{key} {data[key]!s} is geen geldige datum; schrijf "
                     '"jjjj-mm-dd", zoals "2026-11-29".')
    basis_url = data.get("basis_url")
    if isinstance(basis_url, str) and basis_url.strip():
        message = _url_problem(basis_url)
        if message:
            add("basis_url", f"basis_url {message}")
    return sorted(problems, key=lambda p: p.line or 0)


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None  # a date and time: the publication has a date only
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DATE_RE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the base address of the site, or ``None``."""
    if not url.startswith(("https://", "http://")):
        return f"{url!r} moet beginnen met https://."
    if not url.endswith("/"):
        return f"{url!r} moet eindigen op een schuine streep: {url + '/'!r}."
    return None


def load(path: Path) -> Publication:
    """Read and check the metadata file; every mistake is a :class:`SettingsError`."""
    text, data = read_toml(path)
    problems = _problems(path, text, data)
    base_url = os.environ.get(BASE_URL_VARIABLE)
    if base_url is not None and _url_problem(base_url):
        problems.append(Problem(BASE_URL_VARIABLE, None, f"de omgevingsvariabele "
                                f"{BASE_URL_VARIABLE} {_url_problem(base_url)}"))
    if problems:
        raise SettingsError(problems)
    datum = _date(data["datum"])
    assert datum is not None  # checked above
    return Publication(
        titel=data["titel"], afkorting=data["afkorting"], ondertitel=data["ondertitel"],
        versie=data["versie"], status=data["status"], datum=datum, uitgever=data["uitgever"],
        basis_url=base_url or data["basis_url"],
        licentie=data.get("licentie", Publication.licentie),
        peildatum=_date(data["peildatum"]) if "peildatum" in data else None,
    )


#: What ``conf.py`` gets when ``publicatie.toml`` has a mistake; never published, because
#: ``rawa_settings`` stops the build first.
PLACEHOLDER = Publication(titel="RAWA", afkorting="RAWA", ondertitel="", versie="0.0.0",
                          status=STATUSES[0], datum=dt.date(1970, 1, 1), uitgever="RAWA",
                          basis_url="https://example.invalid/")


def load_for_conf(path: Path) -> Publication:
    """:func:`load` for ``conf.py``: a mistake is kept for ``rawa_settings`` to report.

    Raising in ``conf.py`` would make Sphinx print a traceback and a bug-report request.
    As the first thing ``conf.py`` does, it also starts the other settings checks.
    """
    rawa_settings.start_conf_checks()
    try:
        return load(path)
    except SettingsError as err:
        rawa_settings.defer(err)
        return PLACEHOLDER

"""Publication metadata (title, version, status, date) read from ``publicatie.toml``."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

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
        """Values for ``{{ versie }}``, ``{{ status }}`` and ``{{ datum }}`` in MyST pages."""
        return {"versie": self.versie, "status": self.status, "datum": self.datum_nl,
                "titel": self.titel}

    @property
    def datum_nl(self) -> str:
        """The date written out in Dutch, e.g. ``29 november 2026``."""
        return f"{self.datum.day} {_DUTCH_MONTHS[self.datum.month - 1]} {self.datum.year}"


def load(path: Path) -> Publication:
    """Read and check the metadata file; a wrong status or date stops the build."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    status = data["status"]
    if status not in STATUSES:
        raise ValueError(f"{path}: status {status!r} is niet een van {', '.join(STATUSES)}")
    datum = data["datum"]
    if not isinstance(datum, dt.date):
        datum = dt.date.fromisoformat(str(datum))
    return Publication(
        titel=data["titel"], afkorting=data["afkorting"], ondertitel=data["ondertitel"],
        versie=data["versie"], status=status, datum=datum, uitgever=data["uitgever"],
        basis_url=os.environ.get("RAWA_BASE_URL", data["basis_url"]),
    )

"""Standards at one peildatum: every ``standaard`` is checked at the publication's date.

``publicatie.toml`` sets one ``peildatum``: the date at which the statuses of the
standards were checked. ``conf.py`` passes it on as ``rawa_standards_peildatum``. After
reading, every standard must

* have a ``peildatum`` that is not older than that date (a status checked earlier may
  have changed since: check it again and move the date);
* name its functional scope (``toepassingsgebied``) when it is mandatory or recommended
  on the lists of Forum Standaardisatie, because the obligation holds only there;
* if it records a later check of its status (``geverifieerd_op``), date that check on
  or after its ``peildatum``: a re-verification cannot precede the first one.

The ``url`` itself is a required field of the metamodel, so sphinx-needs already
refuses a standard without one. Each finding is a warning of type ``rawa.standard`` at
the standard's file and line, so the strict build fails.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx_needs.data import SphinxNeedsData

import rawa.model.metamodel as mm

logger = logging.getLogger(__name__)

STANDARD_TYPE = "standaard"


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None  # the metamodel's schema reports a malformed date


def problems(need: dict[str, Any], peildatum: dt.date | None) -> list[str]:
    """Dutch descriptions of what is wrong with one standard."""
    found: list[str] = []
    own = _date(need.get("peildatum") or "")
    if peildatum is not None and own is not None and own < peildatum:
        found.append(
            f"standaard {need['id']} heeft peildatum {own.isoformat()}, ouder dan de "
            f"peildatum van de publicatie ({peildatum.isoformat()}, publicatie.toml). "
            "Controleer de status opnieuw bij de bron en zet de datum op de dag van die "
            "controle")
    verified = _date(need.get("geverifieerd_op") or "")
    if own is not None and verified is not None and verified < own:
        found.append(
            f"standaard {need['id']} is opnieuw geverifieerd op {verified.isoformat()}, "
            f"eerder dan zijn peildatum ({own.isoformat()}). Zet bij :geverifieerd_op: de "
            "dag waarop u de status na de peildatum opnieuw bij de bron controleerde")
    if need.get("lijststatus") in mm.LISTED_STATUSES and not (
            need.get("toepassingsgebied") or "").strip():
        found.append(
            f"standaard {need['id']} is '{need['lijststatus']}' maar noemt geen "
            "functioneel toepassingsgebied; neem het veld :toepassingsgebied: over van de "
            "pagina van Forum Standaardisatie")
    return found


def check_standards(app: Sphinx, env: BuildEnvironment) -> None:
    peildatum = _date(app.config.rawa_standards_peildatum) if (
        app.config.rawa_standards_peildatum) else None
    needs = SphinxNeedsData(env).get_needs_mutable()
    for need_id in sorted(needs):
        need = needs[need_id]
        if need["type"] != STANDARD_TYPE:
            continue
        for message in problems(need, peildatum):
            logger.warning(message, location=(need["docname"], need.get("lineno")),
                           type="rawa", subtype="standard")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("rawa_standards_peildatum", "", "env", types=(str,))
    app.connect("env-check-consistency", check_standards)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

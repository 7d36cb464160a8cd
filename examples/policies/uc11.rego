# Beleid bij gebruikscase UC-11: de privacyfunctionaris beantwoordt een
# vraag over inzage.
# resource.id is het nummer van het inzageverzoek; het verzoek (BSN van de
# inwoner, status) komt via het PIP uit de registratie van AVG-verzoeken, de rol
# van de medewerker uit de IGA-voorziening. resource.properties.bsn is het BSN
# waarop de medewerker wil zoeken: dat moet het BSN uit het verzoek zijn.
package rawa.uc11

import rego.v1

default allow := false

allow if {
    input.subject.type == "medewerker"
    input.subject.properties.identity_provider in data.pap.algemeen.vertrouwde_idps.medewerker
    "privacyfunctionaris" in data.pip.iga.medewerkers[input.subject.id].rollen
    input.action.name == "doorzoeken"
    input.resource.type == "beslislog"
    verzoek := data.pip.inzageverzoeken[input.resource.id]
    verzoek.status in data.pap.uc11.open_statussen
    input.resource.properties.bsn == verzoek.bsn
}

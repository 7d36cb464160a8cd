# Beleid bij gebruikscase UC-05: een ondernemer volgt een vergunningaanvraag.
# Uit de eHerkenning-inlog (via het token) komen het KvK-nummer van de
# onderneming, de diensten waarvoor de inlog bevoegdheid bevestigt en het
# niveau. De aanvrager en het zaaktype komen via het PIP uit de
# zaakregistratie. Welke dienst bij welk zaaktype en welke handeling hoort,
# legt het PAP vast.
package rawa.uc05

import rego.v1

default allow := false

# eIDAS-niveaus. eHerkenning EH2 en EH2+ zijn laag, EH3 substantieel, EH4 hoog.
betrouwbaarheid := {"laag": 1, "substantieel": 2, "hoog": 3}

allow if {
    input.subject.type == "ondernemer"
    ondernemer := input.subject.properties
    ondernemer.identity_provider in data.pap.algemeen.vertrouwde_idps.ondernemer
    input.resource.type == "zaak"
    zaak := data.pip.zaken[input.resource.id]
    zaak.initiator.kvk == ondernemer.kvk
    data.pap.uc05.dienst[zaak.zaaktype][input.action.name] in ondernemer.diensten
    minimum := data.pap.uc05.minimum_niveau
    betrouwbaarheid[ondernemer.betrouwbaarheidsniveau] >= betrouwbaarheid[minimum]
}

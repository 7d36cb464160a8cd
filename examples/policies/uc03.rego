# Beleid bij gebruikscase UC-03: een inwoner bekijkt zijn eigen zaken.
# subject.id is het BSN uit de DigiD-inlog: de IdP zet het in het token en de
# gateway controleert het token. Initiator, betrokkenen met hun rol en de
# vertrouwelijkheid komen via het PIP uit de zaakregistratie. Welke rollen
# inzage geven en welk niveau een aanduiding vraagt, legt het PAP vast.
package rawa.uc03

import rego.v1

default allow := false

# eIDAS-niveaus. De IdP zet DigiD Midden om naar laag; DigiD Basis krijgt geen niveau.
betrouwbaarheid := {"laag": 1, "substantieel": 2, "hoog": 3}

zaak := data.pip.zaken[input.resource.id]

eigen_zaak if zaak.initiator.bsn == input.subject.id

eigen_zaak if {
    some betrokkene in zaak.betrokkenen
    betrokkene.bsn == input.subject.id
    betrokkene.rol in data.pap.uc03.rollen_met_inzage
}

allow if {
    input.subject.type == "inwoner"
    input.subject.properties.identity_provider in data.pap.algemeen.vertrouwde_idps.inwoner
    input.action.name == "lezen"
    input.resource.type == "zaak"
    eigen_zaak
    nodig := data.pap.algemeen.niveau_inwoner[zaak.vertrouwelijkheidaanduiding]
    betrouwbaarheid[input.subject.properties.betrouwbaarheidsniveau] >= betrouwbaarheid[nodig]
}

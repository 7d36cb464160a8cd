# Beleid bij gebruikscase UC-03: een inwoner bekijkt zijn eigen zaken.
# subject.id is het BSN uit de DigiD-inlog; resource.properties.initiator_bsn
# en resource.properties.betrokkenen_bsn zijn BSN's uit de zaak.
package rawa.uc03

import rego.v1

default allow := false

betrouwbaarheid := {"basis": 1, "midden": 2, "substantieel": 3, "hoog": 4}

# Zaken tot en met zaakvertrouwelijk vragen substantieel, hogere vragen hoog.
vereist_niveau(aanduiding) := "substantieel" if {
    aanduiding in {"openbaar", "beperkt_openbaar", "intern", "zaakvertrouwelijk"}
} else := "hoog"

eigen_zaak if input.subject.id == input.resource.properties.initiator_bsn

eigen_zaak if input.subject.id in input.resource.properties.betrokkenen_bsn

allow if {
    input.subject.type == "inwoner"
    input.action.name == "lezen"
    input.resource.type == "zaak"
    eigen_zaak
    zaak := input.resource.properties
    nodig := vereist_niveau(zaak.vertrouwelijkheidaanduiding)
    inlog := input.subject.properties.betrouwbaarheidsniveau
    betrouwbaarheid[inlog] >= betrouwbaarheid[nodig]
}

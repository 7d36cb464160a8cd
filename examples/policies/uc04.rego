# Beleid bij gebruikscase UC-04: een inwoner bekijkt zaken namens een ouder.
# subject.id is het BSN van de gemachtigde; de machtiging uit DigiD Machtigen
# staat in subject.properties.machtiging met het BSN van de vertegenwoordigde.
# Het PDP vergelijkt dat BSN met resource.properties.initiator_bsn.
package rawa.uc04

import rego.v1

default allow := false

betrouwbaarheid := {"basis": 1, "midden": 2, "substantieel": 3, "hoog": 4}

# De dienst in DigiD Machtigen die bij een zaaktype hoort.
dienst_voor_zaaktype := {"wmo_voorziening": "wmo-aanvraag-volgen"}

allow if {
    input.subject.type == "inwoner"
    input.action.name == "lezen"
    machtiging := input.subject.properties.machtiging
    zaak := input.resource.properties
    machtiging.dienst == dienst_voor_zaaktype[zaak.zaaktype]
    machtiging.vertegenwoordigde_bsn == zaak.initiator_bsn
    nu := time.parse_rfc3339_ns(input.context.tijdstip)
    nu < time.parse_rfc3339_ns(machtiging.geldig_tot)
    inlog := input.subject.properties.betrouwbaarheidsniveau
    betrouwbaarheid[inlog] >= betrouwbaarheid.substantieel
}

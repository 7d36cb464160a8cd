# Beleid bij gebruikscase UC-04: een inwoner bekijkt zaken namens een ouder.
# DigiD Machtigen toetst bij het inloggen of de machtiging voor deze dienst
# geldt. Het token bevat dan het BSN van de gemachtigde (subject.id), het BSN
# van de vertegenwoordigde en de dienst (subject.properties.namens) en het
# moment van inloggen (auth_time, in seconden sinds 1970). Een einddatum van de
# machtiging zit niet in de inlog; daarom beperkt het beleid hoe oud de inlog
# mag zijn. context.tijdstip zet de gateway met haar eigen, gelijklopende klok.
package rawa.uc04

import rego.v1

default allow := false

betrouwbaarheid := {"laag": 1, "substantieel": 2, "hoog": 3}

# Een tijdstip telt alleen met tijdzone, zoals 2026-11-03T10:15:00+01:00.
met_tijdzone := `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$`

nu := time.parse_rfc3339_ns(input.context.tijdstip) if {
    regex.match(met_tijdzone, input.context.tijdstip)
}

allow if {
    input.subject.type == "inwoner"
    inwoner := input.subject.properties
    inwoner.identity_provider in data.pap.algemeen.vertrouwde_idps.inwoner
    input.action.name == "lezen"
    input.resource.type == "zaak"
    zaak := data.pip.zaken[input.resource.id]
    inwoner.namens.dienst == data.pap.uc04.dienst_per_zaaktype[zaak.zaaktype]
    inwoner.namens.bsn == zaak.initiator.bsn
    is_number(inwoner.auth_time)
    leeftijd := nu - inwoner.auth_time * 1000000000
    leeftijd >= 0
    leeftijd < data.pap.uc04.max_leeftijd_inlog_s * 1000000000
    nodig := data.pap.algemeen.niveau_inwoner[zaak.vertrouwelijkheidaanduiding]
    betrouwbaarheid[inwoner.betrouwbaarheidsniveau] >= betrouwbaarheid[nodig]
}

# Beleid bij gebruikscase UC-10: noodtoegang bij een calamiteit (break-glass).
# Alle voorwaarden moeten tegelijk gelden. De lijst voor noodtoegang en de
# activering (wie activeerde, vanaf, tot, gebied, kenmerk) staan in het PAP,
# niet in de vraag: de medewerker kan noodtoegang dus niet zelf aanzetten.
# Het inlogmoment (auth_time, in seconden) en de inlogmethoden (amr) komen uit
# het token, het tijdstip van de klok van de gateway, de wijk van het gevraagde
# adres of de gevraagde persoon via het PIP uit BRP en BAG. Alleen de reden
# typt de medewerker zelf; die moet er zijn, maar geeft geen toegang.
package rawa.uc10

import rego.v1

default allow := false

# Een tijdstip telt alleen met tijdzone, zoals 2026-11-03T10:15:00+01:00.
met_tijdzone := `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$`

nu := time.parse_rfc3339_ns(input.context.tijdstip) if {
    regex.match(met_tijdzone, input.context.tijdstip)
}

actieve_activering contains activering if {
    some activering in data.pap.uc10.activeringen
    activering.geactiveerd_door != input.subject.id
    vanaf := time.parse_rfc3339_ns(activering.vanaf)
    tot := time.parse_rfc3339_ns(activering.tot)
    nu >= vanaf
    nu < tot
    tot - vanaf <= data.pap.uc10.max_duur_activering_s * 1000000000
    data.pip.gebieden[input.resource.id] in activering.gebied
}

verse_inlog if {
    inlog := input.subject.properties
    "mfa" in inlog.amr
    is_number(inlog.auth_time)
    leeftijd := nu - inlog.auth_time * 1000000000
    leeftijd >= 0
    leeftijd <= data.pap.uc10.max_leeftijd_inlog_s * 1000000000
}

allow if {
    input.subject.type == "medewerker"
    input.subject.properties.identity_provider in data.pap.algemeen.vertrouwde_idps.medewerker
    input.subject.id in data.pap.uc10.noodlijst
    input.action.name == "lezen"
    input.resource.type in data.pap.uc10.resourcetypen
    count(actieve_activering) > 0
    verse_inlog
    count(trim_space(input.context.reden)) > 0
}

# Het kenmerk van de activering gaat mee naar het antwoord en het beslislog.
kenmerk contains activering.kenmerk if {
    allow
    some activering in actieve_activering
}

# Een geweigerde poging tot noodtoegang krijgt een signaal voor de monitoring
# van het beslislog (EIS-LOG-05).
signaal contains "noodtoegang_geweigerd" if {
    not allow
    input.context.reden
}

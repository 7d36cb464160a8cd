# Beleid bij gebruikscase UC-10: noodtoegang bij een calamiteit (break-glass).
# Alle voorwaarden moeten gelden: de medewerker staat op de lijst, heeft
# kort geleden opnieuw ingelogd met meerdere factoren, geeft een reden, en
# de noodtoegang is actief op het moment van het verzoek.
package rawa.uc10

import rego.v1

default allow := false

noodlijst := {"j.jansen@gemeente.example", "a.bakker@gemeente.example"}

# Een nieuwe inlog is maximaal 15 minuten oud.
max_leeftijd_inlog_ns := (15 * 60) * 1000000000

allow if {
    input.subject.type == "medewerker"
    input.subject.id in noodlijst
    input.action.name == "lezen"
    inlog := input.subject.properties.inlog
    "mfa" in inlog.methoden
    nu := time.parse_rfc3339_ns(input.context.tijdstip)
    nu - time.parse_rfc3339_ns(inlog.tijdstip) <= max_leeftijd_inlog_ns
    count(trim_space(input.context.noodtoegang.reden)) > 0
    nu < time.parse_rfc3339_ns(input.context.noodtoegang.actief_tot)
}

# Het kenmerk dat het PDP in het antwoord en in het beslislog meegeeft.
kenmerk := "noodtoegang" if allow

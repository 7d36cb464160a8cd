# Beleid bij gebruikscase UC-09: een softwarerobot controleert aanvragen.
# De robot heeft een eigen identiteit (subject.type "robot"). Het tijdvak
# geldt in Nederlandse tijd; context.tijdstip bevat de tijd met tijdzone.
# context.verzoeken_afgelopen_uur telt het PEP.
package rawa.uc09

import rego.v1

default allow := false

robots := {"rpa-kwijtschelding-01"}

toegestane_acties := {"lezen", "status_toevoegen"}

werkdagen := {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}

maximum_per_uur := 500

binnen_tijdvak if {
    moment := [time.parse_rfc3339_ns(input.context.tijdstip), "Europe/Amsterdam"]
    time.weekday(moment) in werkdagen
    [uur, _, _] := time.clock(moment)
    uur >= 7
    uur < 19
}

allow if {
    input.subject.type == "robot"
    input.subject.id in robots
    input.action.name in toegestane_acties
    input.resource.properties.zaaktype == "kwijtschelding"
    binnen_tijdvak
    input.context.verzoeken_afgelopen_uur < maximum_per_uur
}

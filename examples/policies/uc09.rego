# Beleid bij gebruikscase UC-09: een softwarerobot controleert aanvragen.
# De robot heeft een eigen identiteit (subject.type "robot"). Wat hij mag, het
# tijdvak en het maximum per uur legt het PAP vast. Het tijdvak geldt in
# Nederlandse tijd; context.tijdstip zet de gateway met haar eigen klok, met
# tijdzone. context.verzoeken_afgelopen_uur telt de gateway zelf.
package rawa.uc09

import rego.v1

default allow := false

# Een tijdstip telt alleen met tijdzone, zoals 2026-11-03T10:15:00+01:00.
met_tijdzone := `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$`

nu := time.parse_rfc3339_ns(input.context.tijdstip) if {
    regex.match(met_tijdzone, input.context.tijdstip)
}

binnen_tijdvak if {
    tijdvak := data.pap.uc09.tijdvak
    moment := [nu, "Europe/Amsterdam"]
    time.weekday(moment) in tijdvak.werkdagen
    [uur, _, _] := time.clock(moment)
    uur >= tijdvak.begin_uur
    uur < tijdvak.eind_uur
}

onder_maximum if {
    aantal := input.context.verzoeken_afgelopen_uur
    is_number(aantal)
    aantal < data.pap.uc09.maximum_per_uur
}

# Een status toevoegen mag alleen met een statustype dat de robot mag zetten;
# een status die de zaak afsluit, is een besluit en hoort daar niet bij.
toegestane_handeling(robot) if input.action.name == "lezen"

toegestane_handeling(robot) if {
    input.action.name == "status_toevoegen"
    input.action.properties.statustype in robot.statustypen
}

allow if {
    input.subject.type == "robot"
    input.subject.properties.identity_provider in data.pap.algemeen.vertrouwde_idps.robot
    robot := data.pap.uc09.robots[input.subject.id]
    toegestane_handeling(robot)
    input.resource.type == "zaak"
    data.pip.zaken[input.resource.id].zaaktype in robot.zaaktypen
    input.context.verwerkingsactiviteit == robot.verwerkingsactiviteit
    binnen_tijdvak
    onder_maximum
}

# Hoe het PDP beleid kiest en combineert.
# Het PAP legt per client vast welk beleid geldt (data.pap.pdp.beleid_per_client);
# het soort object, de actie en de rest toetst elk beleid zelf. Het besluit is
# toestaan als minstens één gekozen beleid toestaat en geen gedeelde weigerregel
# geldt: weigeren wint (EIS-PDP-03). Is er geen beleid gekozen, dan weigert het
# PDP (EIS-PDP-01).
package rawa.pdp

import rego.v1

default allow := false

gekozen contains beleid if {
    some beleid in data.pap.pdp.beleid_per_client[input.context.client_id]
}

weigerredenen contains reden if {
    some reden in data.rawa.functiescheiding.deny
}

allow if {
    some beleid in gekozen
    data.rawa[beleid].allow == true
    count(weigerredenen) == 0
}

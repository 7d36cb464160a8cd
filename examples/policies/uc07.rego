# Beleid bij gebruikscase UC-07: een ketenpartner vraagt gegevens op via FSC.
# subject.id is het peer-ID (OIN) van de afnemer uit zijn certificaat; de
# FSC-inway heeft het toegangstoken gecontroleerd en zet de grant-hash uit dat
# token in context.fsc_grant_hash. Looptijd (not_before, not_after, in seconden)
# en status van het contract komen via het PIP uit de FSC-manager. Welke
# zaaktypen en doelen bij het contract horen, staat in de afspraak die de
# gemeente in het PAP bij het contract heeft vastgelegd: het FSC-contract zelf
# noemt alleen de dienst en de partijen.
package rawa.uc07

import rego.v1

default allow := false

# Een tijdstip telt alleen met tijdzone, zoals 2026-11-03T10:15:00+01:00.
met_tijdzone := `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$`

nu := time.parse_rfc3339_ns(input.context.tijdstip) if {
    regex.match(met_tijdzone, input.context.tijdstip)
}

allow if {
    input.subject.type == "organisatie"
    input.action.name == "lezen"
    input.resource.type == "zaakstatus"
    contract := data.pip.fsc_contracten[input.context.fsc_grant_hash]
    contract.status == "geldig"
    contract.afnemer_peer_id == input.subject.id
    nu >= contract.not_before * 1000000000
    nu < contract.not_after * 1000000000
    afspraak := data.pap.uc07.afspraken[input.context.fsc_grant_hash]
    data.pip.zaken[input.resource.id].zaaktype in afspraak.zaaktypen
    input.context.doel in afspraak.doelen
}

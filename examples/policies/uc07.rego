# Beleid bij gebruikscase UC-07: een ketenpartner vraagt gegevens op via FSC.
# subject.id is het OIN van de afnemende organisatie; het FSC-contract staat
# in context.contract. De gemeente kent de medewerkers van de afnemer niet.
package rawa.uc07

import rego.v1

default allow := false

allow if {
    input.subject.type == "organisatie"
    input.action.name == "status_lezen"
    contract := input.context.contract
    contract.afnemer_oin == input.subject.id
    input.resource.properties.zaaktype in contract.zaaktypen
    input.context.doel == contract.doel
    nu := time.parse_rfc3339_ns(input.context.tijdstip)
    nu < time.parse_rfc3339_ns(contract.geldig_tot)
}

# Beleid bij gebruikscase UC-06: het zaaksysteem registreert een document.
# De client bewijst zich met een certificaat; het token is daaraan gebonden
# (context.certificaat_vingerafdruk moet gelijk zijn aan
# subject.properties.token_cnf, de vingerafdruk in het token).
package rawa.uc06

import rego.v1

default allow := false

# Zaaktypen waarvoor een systeem is geregistreerd.
geregistreerd := {"zaaksysteem": {"melding_openbare_ruimte", "omgevingsvergunning"}}

allow if {
    input.subject.type == "systeem"
    input.action.name == "aanmaken"
    input.resource.type == "document"
    input.resource.properties.zaaktype in geregistreerd[input.subject.id]
    input.subject.properties.token_cnf == input.context.certificaat_vingerafdruk
}

# Beleid bij gebruikscase UC-06: het zaaksysteem registreert een document.
# De gateway controleert bij de TLS-verbinding het clientcertificaat (keten,
# geldigheid, intrekking) en zet de vingerafdruk in context.certificaat_x5t_s256.
# subject.properties.cnf_x5t_s256 is de vingerafdruk waaraan het token is
# gebonden (RFC 8705). Beide moeten de vorm uit RFC 8705 hebben en gelijk zijn.
# resource.properties.zaak noemt de zaak; het zaaktype komt via het PIP.
package rawa.uc06

import rego.v1

default allow := false

# x5t#S256: SHA-256 in base64url zonder opvulling, 43 tekens.
vingerafdruk := `^[A-Za-z0-9_-]{43}$`

allow if {
    input.subject.type == "systeem"
    input.subject.properties.identity_provider in data.pap.algemeen.vertrouwde_idps.systeem
    input.action.name == "aanmaken"
    input.resource.type == "document"
    zaak := data.pip.zaken[input.resource.properties.zaak]
    zaak.zaaktype in data.pap.uc06.zaaktypen_per_systeem[input.subject.id]
    activiteit := data.pap.uc06.verwerkingsactiviteit_per_systeem[input.subject.id]
    input.context.verwerkingsactiviteit == activiteit
    regex.match(vingerafdruk, input.context.certificaat_x5t_s256)
    input.subject.properties.cnf_x5t_s256 == input.context.certificaat_x5t_s256
}

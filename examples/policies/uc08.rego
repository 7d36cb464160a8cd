# Beleid bij gebruikscase UC-08: een SaaS-dienst roept API's aan namens de gemeente.
# Het onderwerp is de medewerker van de gemeente (ingelogd bij de eigen IdP);
# de SaaS-dienst is de client in context.client_id.
package rawa.uc08

import rego.v1

default allow := false

gemeente_idp := "https://login.gemeente.example"

saas_clients := {"klantcontact-saas"}

# Het beperkte overzicht: geen zaken boven "intern".
zichtbaar := {"openbaar", "beperkt_openbaar", "intern"}

allow if {
    input.subject.type == "medewerker"
    input.subject.properties.idp == gemeente_idp
    input.context.client_id in saas_clients
    input.action.name == "lezen"
    input.resource.properties.vertrouwelijkheidaanduiding in zichtbaar
}

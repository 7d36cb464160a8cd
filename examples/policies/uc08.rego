# Beleid bij gebruikscase UC-08: een SaaS-dienst roept API's aan namens de gemeente.
# Het onderwerp is de medewerker uit het token van de gemeentelijke IdP; de
# SaaS-dienst is de client (context.client_id, uit hetzelfde token). Of het
# account van een echte medewerker is en niet een gastaccount van bijvoorbeeld
# de leverancier, en bij welke afdeling hij werkt, komt via het PIP uit de
# IGA-voorziening. De vertrouwelijkheid van de zaak komt uit de zaakregistratie.
# Welke velden de medewerker ziet, regelt de gateway (EIS-PEP-05), niet dit beleid.
package rawa.uc08

import rego.v1

default allow := false

allow if {
    input.subject.type == "medewerker"
    input.subject.properties.identity_provider in data.pap.algemeen.vertrouwde_idps.medewerker
    input.context.client_id in data.pap.uc08.saas_clients
    input.action.name == "lezen"
    input.resource.type == "zaak"
    medewerker := data.pip.iga.medewerkers[input.subject.id]
    medewerker.soort_account == "medewerker"
    medewerker.afdeling in data.pap.uc08.afdelingen
    input.context.verwerkingsactiviteit == data.pap.uc08.verwerkingsactiviteit
    data.pip.zaken[input.resource.id].vertrouwelijkheidaanduiding in data.pap.uc08.zichtbaar
}

# Beleid bij gebruikscase UC-11: de privacyfunctionaris beantwoordt een
# vraag over inzage.
# resource.id is het BSN van de inwoner over wie de besluitrecords gaan;
# context.inzageverzoek noemt het BSN van de inwoner die inzage vroeg.
package rawa.uc11

import rego.v1

default allow := false

allow if {
    input.subject.properties.rol == "privacyfunctionaris"
    input.action.name == "doorzoeken"
    input.resource.type == "besluitrecords_inwoner"
    verzoek := input.context.inzageverzoek
    verzoek.status == "geregistreerd"
    verzoek.bsn == input.resource.id
}

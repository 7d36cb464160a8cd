# Beleid bij gebruikscase UC-05: een ondernemer volgt een vergunningaanvraag.
# subject.properties.kvk komt uit de eHerkenning-inlog en
# resource.properties.initiator_kvk uit de zaak: beide een KvK-nummer.
package rawa.uc05

import rego.v1

default allow := false

# eIDAS-niveaus zoals eHerkenning ze levert.
betrouwbaarheid := {"laag": 1, "substantieel": 2, "hoog": 3}

# De eHerkenning-dienst die een handeling dekt.
dienst_voor_actie := {
    "lezen": "omgevingsvergunning-volgen",
    "document_toevoegen": "omgevingsvergunning-aanvullen",
}

allow if {
    input.subject.type == "ondernemer"
    ondernemer := input.subject.properties
    ondernemer.kvk == input.resource.properties.initiator_kvk
    dienst_voor_actie[input.action.name] in ondernemer.diensten
    betrouwbaarheid[ondernemer.betrouwbaarheidsniveau] >= betrouwbaarheid.substantieel
}

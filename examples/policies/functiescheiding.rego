# Gedeelde weigerregel: functiescheiding. Het PDP past deze regel toe naast elk
# beleid dat een medewerker toegang tot een zaak geeft (zie pdp.rego).
# Het PIP legt het BSN van de medewerker uit de personeelsadministratie naast de
# initiator uit de zaakregistratie en levert alleen de uitkomst. Zo komt geen BSN
# van de medewerker in de vraag of in het log, en werkt de regel ook als de
# initiator een onderneming is.
package rawa.functiescheiding

import rego.v1

# Weigeren, tenzij het PIP uitdrukkelijk meldt dat de medewerker niet de
# initiator is. Ontbreekt die melding, dan weigert de regel ook.
deny contains "functiescheiding" if {
    input.subject.type == "medewerker"
    input.resource.type == "zaak"
    not aantoonbaar_geen_initiator
}

aantoonbaar_geen_initiator if {
    relatie := data.pip.zaakrelaties[input.resource.id][input.subject.id]
    relatie.medewerker_is_initiator == false
}

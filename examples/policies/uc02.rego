# Beleid bij gebruikscase UC-02: een medewerker raadpleegt de BRP voor een zaak.
# resource.id is het BSN van de gevraagde persoon en resource.properties.velden
# de velden die de client vraagt (de parameter fields van de BRP API Personen).
# context.zaak_id noemt de zaak waarvoor de medewerker de gegevens nodig heeft.
# Alles over die zaak (status, behandelaars, betrokkenen, zaaktype) komt via het
# PIP uit de zaakregistratie; welke velden bij welk zaaktype en welke
# verwerkingsactiviteit horen, legt het PAP vast.
package rawa.uc02

import rego.v1

default allow := false

allow if {
    input.subject.type == "medewerker"
    input.subject.properties.identity_provider in data.pap.algemeen.vertrouwde_idps.medewerker
    input.action.name == "lezen"
    input.resource.type == "persoon"
    zaak := data.pip.zaken[input.context.zaak_id]
    zaak.status == "lopend"
    input.subject.id in zaak.behandelaars
    input.resource.id in zaak.betrokkenen_bsn
    toegestaan := data.pap.uc02.velden[zaak.zaaktype][input.context.verwerkingsactiviteit]
    gevraagd := input.resource.properties.velden
    is_array(gevraagd)
    count(gevraagd) > 0
    every veld in gevraagd {
        veld in toegestaan
    }
}

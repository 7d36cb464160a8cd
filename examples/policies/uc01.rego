# Beleid bij gebruikscase UC-01: een medewerker raadpleegt een zaak.
# Uit de vraag gebruikt het beleid alleen wat de gateway zelf vaststelt: de
# identiteit en de IdP uit het gecontroleerde token en de gevraagde zaak (uit
# het pad van het verzoek). De client verklaart de verwerkingsactiviteit; die
# kan de toegang alleen beperken. Team en functie komen via het PIP uit de
# IGA-voorziening, zaaktype en vertrouwelijkheid uit de zaakregistratie, de
# tabellen uit het PAP. De functiescheiding staat in functiescheiding.rego.
package rawa.uc01

import rego.v1

default allow := false

# Volgorde van de vertrouwelijkheidaanduidingen uit de ZGW API's.
niveau := {
    "openbaar": 1, "beperkt_openbaar": 2, "intern": 3, "zaakvertrouwelijk": 4,
    "vertrouwelijk": 5, "confidentieel": 6, "geheim": 7, "zeer_geheim": 8,
}

allow if {
    input.subject.type == "medewerker"
    input.subject.properties.identity_provider in data.pap.algemeen.vertrouwde_idps.medewerker
    input.action.name == "lezen"
    input.resource.type == "zaak"
    regels := data.pap.uc01
    medewerker := data.pip.iga.medewerkers[input.subject.id]
    zaak := data.pip.zaken[input.resource.id]
    zaak.zaaktype in regels.zaaktypen_per_team[medewerker.team]
    activiteit := regels.verwerkingsactiviteit_per_zaaktype[zaak.zaaktype]
    input.context.verwerkingsactiviteit == activiteit
    maximum := regels.maximum_per_functie[medewerker.functie]
    niveau[zaak.vertrouwelijkheidaanduiding] <= niveau[maximum]
}

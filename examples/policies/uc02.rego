# Beleid bij gebruikscase UC-02: een medewerker raadpleegt de BRP voor een zaak.
# resource.id is het BSN van de gevraagde persoon; de zaak in context.zaak
# noemt de betrokkenen met hun BSN. Beide komen uit dezelfde naamruimte.
package rawa.uc02

import rego.v1

default allow := false

# Zaaktypen met een grondslag voor de BRP, en de velden per verwerkingsactiviteit.
velden_per_zaaktype := {
    "bijstand": {"naam", "adres", "geboortedatum"},
    "verhuizing": {"naam", "adres"},
}

allow if {
    input.action.name == "raadplegen"
    input.resource.type == "ingeschreven_persoon"
    zaak := input.context.zaak
    zaak.status == "lopend"
    input.subject.id in zaak.behandelaars
    input.resource.id in zaak.betrokkenen_bsn
    gevraagd := {veld | some veld in input.resource.properties.velden}
    count(gevraagd - velden_per_zaaktype[zaak.zaaktype]) == 0
}

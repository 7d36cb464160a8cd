# Beleid bij gebruikscase UC-01: een medewerker raadpleegt een zaak.
# Functiescheiding: het PDP vergelijkt twee BSN's, dat van de medewerker
# (subject.properties.bsn) en dat van de initiator van de zaak
# (resource.properties.initiator_bsn). Beide komen uit dezelfde naamruimte.
# Ontbreekt een van de twee, dan weigert het beleid.
package rawa.uc01

import rego.v1

default allow := false

# Zaaktypen die een team behandelt (vastgesteld in het PAP).
zaaktypen := {
    "vergunningen": {"omgevingsvergunning", "evenementenvergunning"},
    "belastingen": {"kwijtschelding", "bezwaar_woz"},
}

# Hoogste vertrouwelijkheidaanduiding die een functie mag inzien.
maximum := {
    "behandelaar": "zaakvertrouwelijk",
    "senior_behandelaar": "vertrouwelijk",
}

# Volgorde van de vertrouwelijkheidaanduidingen uit de ZGW API's.
niveau := {
    "openbaar": 1, "beperkt_openbaar": 2, "intern": 3, "zaakvertrouwelijk": 4,
    "vertrouwelijk": 5, "confidentieel": 6, "geheim": 7, "zeer_geheim": 8,
}

allow if {
    input.action.name == "lezen"
    medewerker := input.subject.properties
    zaak := input.resource.properties
    zaak.zaaktype in zaaktypen[medewerker.team]
    niveau[zaak.vertrouwelijkheidaanduiding] <= niveau[maximum[medewerker.functie]]
    medewerker.bsn != zaak.initiator_bsn
}

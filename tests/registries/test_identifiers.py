"""The pseudonymous reference refuses obvious identifiers (NIR with or without spaces and key,
phone numbers, emails, dates of birth, names) and accepts ordinary references."""

from __future__ import annotations

import pytest

from registries.identifiers import identifier_problem, looks_like_nir, nir_key_valid

# A fictitious NIR with its valid key: 97 - (1850578006084 % 97) = 91.
NIR = "185057800608491"


def test_the_nir_key_is_checked():
    assert 97 - int(NIR[:13]) % 97 == int(NIR[13:])
    assert nir_key_valid(NIR)
    assert not nir_key_valid(NIR[:13] + "37")
    assert looks_like_nir(NIR[:13])  # no key: the shape is enough
    assert not looks_like_nir("985057800608436")  # no such first digit


def test_corsica_nir_key():
    # 2A counts as 19 in the key: 97 - (2690219123456 % 97).
    number = "2690219123456"
    key = 97 - int(number) % 97
    corsican = f"26902{'2A'}123456{key:02d}"
    assert nir_key_valid(corsican)
    assert "sociale (NIR)" in identifier_problem(f"ref {corsican}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (NIR, "sociale (NIR)"),
        ("1 85 05 78 006 084 91", "sociale (NIR)"),
        ("1.85.05.78.006.084.91", "sociale (NIR)"),
        ("185-05-78-006-084", "sociale (NIR)"),  # 13 digits, no key
        ("MT 1850578006084", "sociale (NIR)"),
        ("185057800608437", "longue suite de chiffres"),  # wrong key: still refused
        ("06 12 34 56 78", "téléphone"),
        ("0612345678", "téléphone"),
        ("+33 6 12 34 56 78", "téléphone"),
        ("ref 04.67.88.42.17", "téléphone"),
        ("patient@exemple.fr", "adresse e-mail"),
        ("né le 12/03/1954", "date de naissance"),
        ("MT-1954-03-12", "date de naissance"),
        ("12031954", "date de naissance"),
        ("12 mars 1954", "date de naissance"),
        ("Jean DUPONT", "nom ou à un prénom"),
        ("DUPONT Jean", "nom ou à un prénom"),
        ("Bernard Lefèvre", "nom ou à un prénom"),
        ("mme Garcia", "civilité"),
        ("M. Martin", "civilité"),
        ("marie-claire", "nom ou à un prénom"),
        ("Yannick LE GOFF", "nom ou à un prénom"),
        ("Cathy BERTRAND", "nom ou à un prénom"),  # not in the list: the "Prénom NOM" shape
        # A surname typed alone (no first name, no "Prénom NOM" shape): the surnames list.
        ("DUPONT", "« DUPONT » ressemble à un nom"),
        ("Durand", "« Durand » ressemble à un nom"),
        ("dossier-lefebvre-2", "ressemble à un nom"),
        ("MT-2026-GARCIA", "ressemble à un nom"),
    ],
)
def test_identifiers_are_refused(text: str, expected: str):
    problem = identifier_problem(text)
    assert expected in problem, (text, problem)


@pytest.mark.parametrize(
    "text",
    [
        "MT-2026-0042",
        "MT-2025-001",
        "CPAM-ALD-17",
        "Pharmacie-12",
        "Gignac 2026-14",
        "SAINT-ANDRE-03",
        "Demande 2026-03",
        "A12-B7",
        "MT 2026 ALD 0042",
        "LOT-31-12",
        "",
    ],
)
def test_ordinary_references_pass(text: str):
    assert identifier_problem(text) == ""

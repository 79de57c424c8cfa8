"""The annex import page (upload → preview → confirm) and the year's annex download."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cpts.models import User
from missions.annex import parse_annex
from missions.models import Contract, IndicatorLine, MissionEnvelope, Proof
from missions.selectors.annex import export_yaml
from missions.services.annex import import_annex
from tests.missions.test_annex import FILES, SAMPLE, add_proof, make_contract, year3

pytestmark = pytest.mark.django_db

IMPORT = reverse("contract_annex_import")
CONFIRM = reverse("contract_annex_confirm")


@pytest.fixture
def contract() -> Contract:
    return make_contract()


@pytest.fixture
def coordinator_client(client: Client, coordinator: User) -> Client:
    client.force_login(coordinator)
    return client


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def upload(client: Client, text: str, *, replace: bool = False, name: str = "annexe.yaml") -> Any:
    data: dict[str, Any] = {"fichier": SimpleUploadedFile(name, text.encode("utf-8"))}
    if replace:
        data["replace"] = "on"
    return client.post(IMPORT, data)


def test_import_page(coordinator_client: Client, contract: Contract) -> None:
    response = coordinator_client.get(IMPORT)
    assert response.status_code == 200
    assert 'name="fichier"' in text(response)
    assert reverse("contract_annex_export", args=[year3(contract).pk]) in text(response)


def test_preview_then_confirm(coordinator_client: Client, contract: Contract) -> None:
    response = upload(coordinator_client, SAMPLE)
    assert response.status_code == 200
    page = text(response)
    assert "année 3 du contrat, du 01/01/2026 au 31/12/2026" in page
    assert "Mission ajoutée aux missions choisies du contrat." in page
    assert "Taux de dépistage du cancer colorectal" in page
    token = response.context["token"]
    assert token and not IndicatorLine.objects.exists()
    response = coordinator_client.post(CONFIRM, {"token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "contract_year_detail", kwargs={"pk": year3(contract).pk}
    )
    assert IndicatorLine.objects.count() == 6
    follow = coordinator_client.get(IMPORT)
    messages = [str(m) for m in follow.context["messages"]]
    assert "Annexe de l'année 3 importée : 6 ligne(s) ajoutée(s), 0 mise(s) à jour, " in messages[0]
    # The token works once.
    response = coordinator_client.post(CONFIRM, {"token": token}, follow=True)
    assert "Ce fichier n'est plus disponible" in text(response)


def test_errors_are_listed_with_their_paths(coordinator_client: Client, contract: Contract) -> None:
    errors = (FILES / "annexe_erreurs.yaml").read_text(encoding="utf-8")
    response = upload(coordinator_client, errors)
    page = text(response)
    assert "Le fichier contient 14 erreurs : rien ne sera enregistré." in page
    assert "<code>missions[0].lines[0].tiers[1].threshold</code> : Les paliers vont" in page
    assert not response.context["token"]
    assert 'action="/contrat/annexe/confirmer/"' not in page
    assert not MissionEnvelope.objects.exists()


def test_no_current_contract_is_an_error(coordinator_client: Client) -> None:
    page = text(upload(coordinator_client, SAMPLE))
    assert "<code>contract_year</code> : Aucun contrat signé" in page


def test_a_year_with_lines_needs_the_box(coordinator_client: Client, contract: Contract) -> None:
    import_annex(parse_annex(SAMPLE))
    line = IndicatorLine.objects.get(label="Organiser 3 ateliers de prévention")
    proof = add_proof(line.livrables.get(label="Feuilles d'émargement"))
    changed = SAMPLE.replace("amount: 6500", "amount: 6000").replace(
        "      - label: Participer au service d'accès aux soins (SAS)", "      - label: SAS"
    )
    response = upload(coordinator_client, changed)
    assert "L'année 3 a déjà 6 ligne(s) d'indicateurs" in text(response)
    assert not response.context["token"]
    response = upload(coordinator_client, changed, replace=True)
    page = text(response)
    assert "(montant)" in page
    assert "1 justificatif conservé" in page
    assert "Les lignes totalisent 9" in page  # 3 500 + 6 000 against 10 000
    response = coordinator_client.post(CONFIRM, {"token": response.context["token"]})
    assert response.status_code == 302
    line.refresh_from_db()
    assert str(line.amount) == "6000.00"
    assert Proof.objects.filter(pk=proof.pk, livrable__line=line).exists()
    assert IndicatorLine.objects.filter(label="SAS").exists()


def test_removed_lines_say_they_take_their_proofs(
    coordinator_client: Client, contract: Contract
) -> None:
    import_annex(parse_annex(SAMPLE))
    line = IndicatorLine.objects.get(label="Participer au service d'accès aux soins (SAS)")
    add_proof(line.livrables.first())  # type: ignore[arg-type]
    changed = SAMPLE.replace(
        "      - label: Participer au service d'accès aux soins (SAS)", "      - label: SAS"
    )
    page = text(upload(coordinator_client, changed, replace=True))
    assert "Les lignes supprimées emportent 1 justificatif déposé." in page
    assert "1 justificatif supprimé avec la ligne" in page


def test_unchanged_file_has_nothing_to_confirm(
    coordinator_client: Client, contract: Contract
) -> None:
    import_annex(parse_annex(SAMPLE))
    response = upload(coordinator_client, SAMPLE, replace=True)
    assert "Ce fichier ne change rien à l'année" in text(response)
    assert not response.context["token"]


def test_confirm_after_the_year_changed(coordinator_client: Client, contract: Contract) -> None:
    token = upload(coordinator_client, SAMPLE).context["token"]
    import_annex(parse_annex(SAMPLE.replace("amount: 6500", "amount: 6000")))
    response = coordinator_client.post(CONFIRM, {"token": token})
    page = text(response)
    assert "Le contrat a changé depuis l'aperçu" in page
    assert "L'année 3 a déjà 6 ligne(s)" in page
    assert str(IndicatorLine.objects.get(label__startswith="Organiser").amount) == "6000.00"


def test_upload_form_errors(coordinator_client: Client, contract: Contract) -> None:
    response = upload(coordinator_client, SAMPLE, name="annexe.xlsx")
    assert response.context["form"].errors == {"fichier": ["Envoyez un fichier .yaml."]}
    response = coordinator_client.post(IMPORT, {})
    assert "fichier" in response.context["form"].errors
    response = upload(coordinator_client, SAMPLE + "#" * (1024 * 1024), name="annexe.yaml")
    assert response.context["form"].errors == {
        "fichier": ["Le fichier dépasse 1 Mo : ce n'est pas une annexe."]
    }
    assert 'accept=".yaml,.yml,.txt"' in response.content.decode()


def test_export_download(client: Client, president: User, contract: Contract) -> None:
    import_annex(parse_annex(SAMPLE))
    client.force_login(president)
    year = year3(contract)
    response = client.get(reverse("contract_annex_export", args=[year.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert (
        response["Content-Disposition"] == 'attachment; filename="annexe-contrat-2024-annee-3.yaml"'
    )
    assert text(response) == export_yaml(year)
    # The president reads the contract but does not import.
    assert client.get(IMPORT).status_code == 403


@pytest.mark.parametrize("persona", ["adherent", "referent"])
def test_refused_personas(client: Client, persona: str, request: Any, contract: Contract) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert (
        client.get(reverse("contract_annex_export", args=[year3(contract).pk])).status_code == 403
    )
    assert upload(client, SAMPLE).status_code == 403
    assert client.post(CONFIRM, {"token": "x" * 30}).status_code == 403
    assert not IndicatorLine.objects.exists()


def test_anonymous_is_sent_to_login(client: Client, contract: Contract) -> None:
    response = client.get(IMPORT)
    assert response.status_code == 302 and "login" in response["Location"]


def _annex_with_lines(count: int) -> str:
    lines = "".join(
        f"      - label: Ligne {index}\n        kind: binary\n        amount: 10\n"
        f"        livrables: [Compte rendu {index}]\n"
        for index in range(count)
    )
    return (
        f"contract_year: 3\nmissions:\n  - key: prevention\n    fixed: 1000\n"
        f"    variable: {count * 10}\n    lines:\n{lines}"
    )


def test_preview_queries_do_not_grow_with_lines(
    coordinator_client: Client, contract: Contract
) -> None:
    upload(coordinator_client, _annex_with_lines(1))  # the session exists from now on
    counts = []
    for size in (2, 20):
        MissionEnvelope.objects.all().delete()
        import_annex(parse_annex(_annex_with_lines(size)))
        with CaptureQueriesContext(connection) as queries:
            response = upload(coordinator_client, _annex_with_lines(size), replace=True)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]

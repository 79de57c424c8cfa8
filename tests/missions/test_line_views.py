"""Pages of indicator lines: the line page, the editor, the result card, livrables and proofs,
carrying over; bad input never gives a 500; refused personas."""

from __future__ import annotations

from decimal import Decimal as D
from html import unescape
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missions.earning import Band, Tier
from missions.models import IndicatorLine, LivrableStatus, Mission, MissionEnvelope, Proof
from missions.services import lines as services
from missions.services.lines import LineData
from tests.missions.test_lines import make_contract

pytestmark = pytest.mark.django_db

SCREENING = (
    Tier(D("69.70"), D("1000"), "socle"),
    Tier(D("72.40"), D("2500"), "intermédiaire"),
    Tier(D("75"), D("3500"), "objectif"),
)


@pytest.fixture
def envelope(association: Any) -> MissionEnvelope:
    year = make_contract().years.get(number=2)
    return MissionEnvelope.objects.create(
        year=year, mission=Mission.objects.get(key="prevention"), variable=D("20000")
    )


@pytest.fixture
def tiers_line(envelope: MissionEnvelope) -> IndicatorLine:
    return services.create_line(
        envelope,
        LineData(label="Dépistage colorectal", kind="tiers", baseline=D("66.26"), tiers=SCREENING),
        livrables=["Extraction CPAM"],
    )


@pytest.fixture
def binary_line(envelope: MissionEnvelope) -> IndicatorLine:
    return services.create_line(
        envelope,
        LineData(label="Organiser 3 réunions", kind="binary", amount=D("1234.56")),
        livrables=["Émargements"],
    )


@pytest.fixture
def staff(client: Any, coordinator: Any) -> Any:
    client.force_login(coordinator)
    return client


def pdf(name: str = "emargement.pdf", size: int = 10) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"x" * size, content_type="application/pdf")


def line_post(**overrides: Any) -> dict[str, Any]:
    data = {
        "label": "Dépistage du cancer du sein",
        "kind": "tiers",
        "direction": "increasing",
        "amount": "",
        "baseline": "66,26",
        "target": "",
        "livrables": "Extraction CPAM\nCompte rendu",
        "tiers-TOTAL_FORMS": "3",
        "tiers-INITIAL_FORMS": "0",
        "tiers-0-label": "socle",
        "tiers-0-threshold": "69,70",
        "tiers-0-amount": "1 000",
        "tiers-1-label": "",
        "tiers-1-threshold": "",
        "tiers-1-amount": "",
        "tiers-2-label": "objectif",
        "tiers-2-threshold": "75 %",
        "tiers-2-amount": "3 500,00 €",
        "bands-TOTAL_FORMS": "0",
        "bands-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


# --- The line page -------------------------------------------------------------------------


def test_line_detail_shows_parameters_result_and_livrables(staff, tiers_line):
    services.assess_line(tiers_line, achieved=D("73.1"))
    response = staff.get(reverse("line_detail", args=[tiers_line.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dépistage colorectal" in html
    assert "2\xa0500,00 €" in html  # earned, French format
    assert "3\xa0500,00 €" in html
    assert "73,10" in html  # the achieved value, French decimals
    assert 'data-testid="reached"' in html
    assert html.count('data-testid="reached"') == 1
    assert "intermédiaire" in html
    assert "Extraction CPAM" in html
    assert 'data-testid="audit-history"' in html


def test_line_detail_for_a_reader_has_no_forms(client, president, binary_line):
    client.force_login(president)
    response = client.get(reverse("line_detail", args=[binary_line.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("line_assess", args=[binary_line.pk]) not in html
    assert reverse("line_edit", args=[binary_line.pk]) not in html


def test_line_detail_query_count_does_not_grow(staff, binary_line):
    def add(count: int) -> None:
        for index in range(count):
            livrable = services.add_livrable(binary_line, f"Livrable {index}")
            services.add_proof(livrable, pdf(f"p{index}.pdf"))

    url = reverse("line_detail", args=[binary_line.pk])
    add(1)
    with CaptureQueriesContext(connection) as small:
        assert staff.get(url).status_code == 200
    add(19)
    with CaptureQueriesContext(connection) as large:
        response = staff.get(url)
    assert response.content.decode().count('data-testid="livrable"') == 21
    # The audit trail resolves one query per related model named in its entries: the
    # count may only shrink as older entries leave the trail's window.
    assert len(large.captured_queries) <= len(small.captured_queries) <= 20


def test_missing_line_is_404(staff):
    assert staff.get(reverse("line_detail", args=[999999])).status_code == 404


# --- Creating, editing, deleting -----------------------------------------------------------


def test_create_tiers_line_with_french_numbers(staff, envelope):
    response = staff.post(reverse("line_create", args=[envelope.pk]), line_post())
    line = IndicatorLine.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("line_detail", args=[line.pk])
    assert line.amount == D("3500")
    assert line.baseline == D("66.26")
    assert [(t.label, t.threshold, t.amount) for t in line.tiers.all()] == [
        ("socle", D("69.70"), D("1000")),
        ("objectif", D("75"), D("3500")),
    ]
    assert [lv.label for lv in line.livrables.all()] == ["Extraction CPAM", "Compte rendu"]


def test_create_form_renders(staff, envelope):
    response = staff.get(reverse("line_create", args=[envelope.pk]))
    assert response.status_code == 200
    assert 'name="tiers-0-threshold"' in response.content.decode()


def test_tiers_out_of_order_shows_the_error_on_the_row(staff, envelope):
    response = staff.post(
        reverse("line_create", args=[envelope.pk]),
        line_post(**{"tiers-2-threshold": "60"}),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Les paliers vont du plus facile au meilleur" in html
    assert not IndicatorLine.objects.exists()
    form = response.context["editor"].tiers.forms[2]
    assert "threshold" in form.errors


def test_bands_with_a_gap_show_the_error_on_the_row(staff, envelope):
    data = line_post(
        kind="bands",
        **{
            "bands-TOTAL_FORMS": "2",
            "bands-0-minimum": "",
            "bands-0-maximum": "50",
            "bands-0-amount": "9000",
            "bands-1-minimum": "60",
            "bands-1-maximum": "100",
            "bands-1-amount": "6000",
        },
    )
    response = staff.post(reverse("line_create", args=[envelope.pk]), data)
    assert response.status_code == 200
    assert "minimum" in response.context["editor"].bands.forms[1].errors
    assert "Il manque des valeurs entre 50 et 60." in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "target", "target": "", "amount": "100"}, "target"),
        ({"kind": "binary", "amount": "douze"}, "amount"),
        ({"kind": "binary", "amount": "99999999999999999999"}, "amount"),
        ({"kind": "binary", "amount": "-5"}, "amount"),
        ({"kind": "binary", "amount": "1e400"}, "amount"),
        ({"kind": "binary", "amount": "NaN"}, "amount"),
        ({"kind": "nimporte"}, "kind"),
        ({"label": ""}, "label"),
        ({"baseline": "abc"}, "baseline"),
    ],
)
def test_bad_line_input_is_refused_on_its_field(staff, envelope, overrides, field):
    response = staff.post(reverse("line_create", args=[envelope.pk]), line_post(**overrides))
    assert response.status_code == 200
    assert field in response.context["editor"].form.errors
    assert not IndicatorLine.objects.exists()


def test_letters_in_a_tier_amount(staff, envelope):
    response = staff.post(
        reverse("line_create", args=[envelope.pk]), line_post(**{"tiers-0-amount": "mille"})
    )
    assert response.status_code == 200
    assert "amount" in response.context["editor"].tiers.forms[0].errors
    assert not IndicatorLine.objects.exists()


def test_missing_management_form_is_not_a_500(staff, envelope):
    data = line_post()
    del data["tiers-TOTAL_FORMS"]
    response = staff.post(reverse("line_create", args=[envelope.pk]), data)
    assert response.status_code == 200
    assert not IndicatorLine.objects.exists()


def test_edit_prefills_french_values_and_saves(staff, tiers_line):
    url = reverse("line_edit", args=[tiers_line.pk])
    html = staff.get(url).content.decode()
    assert 'value="69,7"' in html and 'value="66,26"' in html
    response = staff.post(
        url,
        line_post(
            label="Dépistage modifié",
            **{"tiers-TOTAL_FORMS": "1", "tiers-0-threshold": "80", "tiers-0-amount": "7 000"},
        ),
    )
    assert response.status_code == 302
    tiers_line.refresh_from_db()
    assert tiers_line.label == "Dépistage modifié"
    assert tiers_line.amount == D("7000")
    assert tiers_line.tiers.count() == 1


def test_delete_line(staff, binary_line):
    year = binary_line.envelope.year
    response = staff.post(reverse("line_delete", args=[binary_line.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("contract_year_detail", args=[year.pk])
    assert not IndicatorLine.objects.exists()


# --- Result --------------------------------------------------------------------------------


def test_assess_tiers_line_with_htmx_returns_the_card(staff, tiers_line):
    response = staff.post(
        reverse("line_assess", args=[tiers_line.pk]),
        {"achieved": "72,4", "source": "cpam", "note": "Extraction du 12/01", "proof_file": pdf()},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="resultat"' in html and "<html" not in html
    assert "2\xa0500,00 €" in html
    tiers_line.refresh_from_db()
    assert tiers_line.achieved == D("72.4")
    assert tiers_line.achieved_proof
    download = staff.get(reverse("line_value_proof", args=[tiers_line.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_assess_binary_line_without_htmx_redirects(staff, binary_line):
    response = staff.post(
        reverse("line_assess", args=[binary_line.pk]), {"done": "on", "source": "manual"}
    )
    assert response.status_code == 302
    binary_line.refresh_from_db()
    assert binary_line.done


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"achieved": "", "source": "manual"}, "Saisissez la valeur atteinte."),
        ({"achieved": "beaucoup", "source": "manual"}, "Saisissez un nombre"),
        ({"achieved": "1" * 30, "source": "manual"}, "Ce nombre est trop grand."),
        ({"achieved": "70", "source": "inconnue"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_values_are_refused_in_the_card(staff, tiers_line, data, message):
    response = staff.post(
        reverse("line_assess", args=[tiers_line.pk]), data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    tiers_line.refresh_from_db()
    assert tiers_line.assessed_at is None


def test_bad_value_without_htmx_renders_the_page(staff, tiers_line):
    response = staff.post(reverse("line_assess", args=[tiers_line.pk]), {"achieved": "x"})
    assert response.status_code == 200
    assert "<html" in response.content.decode()


def test_value_proof_missing_is_404(staff, tiers_line):
    assert staff.get(reverse("line_value_proof", args=[tiers_line.pk])).status_code == 404


# --- Livrables and proofs ------------------------------------------------------------------


def test_livrable_add_update_delete(staff, binary_line):
    response = staff.post(reverse("livrable_add", args=[binary_line.pk]), {"label": "Support"})
    assert response.status_code == 302
    livrable = binary_line.livrables.get(label="Support")
    staff.post(reverse("livrable_update", args=[livrable.pk]), {"status": "accepted"})
    livrable.refresh_from_db()
    assert livrable.status == LivrableStatus.ACCEPTED
    staff.post(reverse("livrable_update", args=[livrable.pk]), {"label": "Support diffusé"})
    livrable.refresh_from_db()
    assert (livrable.label, livrable.status) == ("Support diffusé", "accepted")
    staff.post(reverse("livrable_delete", args=[livrable.pk]))
    assert not binary_line.livrables.filter(pk=livrable.pk).exists()


def test_livrable_bad_input(staff, binary_line):
    livrable = binary_line.livrables.get()
    response = staff.post(
        reverse("livrable_add", args=[binary_line.pk]), {"label": ""}, follow=True
    )
    assert "Indiquez le livrable attendu." in response.content.decode()
    response = staff.post(
        reverse("livrable_update", args=[livrable.pk]), {"status": "perdu"}, follow=True
    )
    assert "Statut de livrable inconnu." in response.content.decode()
    livrable.refresh_from_db()
    assert livrable.status == "missing"


def test_proof_upload_download_delete(staff, binary_line):
    livrable = binary_line.livrables.get()
    response = staff.post(
        reverse("proof_upload", args=[livrable.pk]), {"title": "Émargement", "file": pdf()}
    )
    assert response.status_code == 302
    proof = Proof.objects.get()
    livrable.refresh_from_db()
    assert livrable.status == LivrableStatus.PROVIDED
    download = staff.get(reverse("proof_download", args=[proof.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    response = staff.post(reverse("proof_delete", args=[proof.pk]))
    assert response.status_code == 302
    assert not Proof.objects.exists()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "Choisissez le fichier à déposer."),
        ({"file": pdf("programme.exe")}, "Format de fichier non accepté"),
    ],
)
def test_proof_upload_errors(staff, binary_line, files, message):
    livrable = binary_line.livrables.get()
    response = staff.post(reverse("proof_upload", args=[livrable.pk]), files, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Proof.objects.exists()


def test_proof_upload_too_big(staff, binary_line, settings):
    livrable = binary_line.livrables.get()
    response = staff.post(
        reverse("proof_upload", args=[livrable.pk]),
        {"file": pdf(size=10 * 1024 * 1024 + 1)},
        follow=True,
    )
    assert "10 Mo" in response.content.decode()
    assert not Proof.objects.exists()


def test_proof_with_a_lost_file_is_404(staff, binary_line):
    proof = services.add_proof(binary_line.livrables.get(), pdf())
    proof.file.storage.delete(proof.file.name)
    assert staff.get(reverse("proof_download", args=[proof.pk])).status_code == 404


# --- Carrying over -------------------------------------------------------------------------


def test_carry_over_is_confirmed_on_a_page_first(staff, binary_line):
    year = binary_line.envelope.year
    url = reverse("lines_carry_over", args=[year.pk])
    response = staff.get(url)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert f"{binary_line.label} (report de l'année 2)" in html
    assert "La part variable de l'année 3 augmentera" in html
    assert 'name="confirm"' in html
    assert not IndicatorLine.objects.filter(carried_from=binary_line).exists()
    # The year page's button posts without confirming: it lands on the confirmation page.
    response = staff.post(url)
    assert response.status_code == 302 and response["Location"] == url
    assert not IndicatorLine.objects.filter(carried_from=binary_line).exists()


def test_carry_over_from_the_confirmation_page(staff, binary_line):
    year = binary_line.envelope.year
    url = reverse("lines_carry_over", args=[year.pk])
    response = staff.post(url, {"confirm": "1"}, follow=True)
    html = unescape(response.content.decode())
    assert "1 ligne(s) non atteinte(s) reportée(s) sur l'année 3." in html
    assert IndicatorLine.objects.filter(carried_from=binary_line).count() == 1
    html = unescape(staff.get(url).content.decode())
    assert "déjà reportée sur l'année 3" in html and 'name="confirm"' not in html
    response = staff.post(url, {"confirm": "1"}, follow=True)
    assert "Aucune ligne à reporter" in response.content.decode()
    assert IndicatorLine.objects.filter(carried_from=binary_line).count() == 1


def test_carry_over_year_five_is_refused_with_a_message(staff, envelope):
    last = envelope.year.contract.years.get(number=5)
    url = reverse("lines_carry_over", args=[last.pk])
    response = staff.post(url, {"confirm": "1"}, follow=True)
    assert response.status_code == 200
    assert "La dernière année du contrat ne peut pas être reportée" in response.content.decode()
    response = staff.get(url)
    assert response.status_code == 200
    assert "La dernière année du contrat ne peut pas être reportée" in response.content.decode()


def test_result_form_refuses_a_negative_value(staff, envelope):
    line = services.create_line(
        envelope, LineData(label="Cible", kind="target", target=D("5"), amount=D("10"))
    )
    response = staff.post(
        reverse("line_assess", args=[line.pk]), {"achieved": "-5", "source": "manual"}
    )
    assert response.status_code == 200
    assert "La valeur atteinte ne peut pas être négative." in unescape(response.content.decode())
    line.refresh_from_db()
    assert line.achieved is None


# --- Refused personas ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["adherent", "referent", "tresorier", "president"])
def test_writers_only_write(client, personas, persona, binary_line):
    client.force_login(personas[persona])
    response = client.post(
        reverse("line_assess", args=[binary_line.pk]), {"done": "on", "source": "manual"}
    )
    assert response.status_code == 403
    binary_line.refresh_from_db()
    assert not binary_line.done


@pytest.mark.parametrize("persona", ["adherent", "referent"])
def test_non_board_cannot_read_lines_or_proofs(client, personas, persona, binary_line):
    proof = services.add_proof(binary_line.livrables.get(), pdf())
    client.force_login(personas[persona])
    assert client.get(reverse("line_detail", args=[binary_line.pk])).status_code == 403
    assert client.get(reverse("proof_download", args=[proof.pk])).status_code == 403


def test_anonymous_goes_to_login(client, binary_line):
    response = client.get(reverse("line_detail", args=[binary_line.pk]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_band_rows_prefilled_on_edit(staff, envelope):
    line = services.create_line(
        envelope,
        LineData(
            label="ALD",
            kind="bands",
            bands=(Band(None, D("50"), D("9000")), Band(D("51"), None, D("6000"))),
        ),
    )
    html = staff.get(reverse("line_edit", args=[line.pk])).content.decode()
    assert 'name="bands-0-maximum" value="50"' in html
    assert 'name="bands-1-minimum" value="51"' in html

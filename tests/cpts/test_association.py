"""The identity page of the CPTS: reading, editing with validation, the logo and its
permission-checked view, the audit trail, and the refused personas."""

from __future__ import annotations

import io
import os
from html import unescape

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cpts.forms.association import LOGO_MAX_BYTES, normalize_phone
from cpts.models import Association
from cpts.services.association import update_identity

pytestmark = pytest.mark.django_db

VALID_SIRET = "73282932000074"
URL = "/association/identite/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image_file(fmt: str = "PNG", name: str = "logo.png", size=(40, 20), noise=False):
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (29, 78, 137))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def form_data(**overrides):
    data = {
        "name": "CPTS du Cœur d'Hérault",
        "short_name": "CPTS CDH",
        "siret": "732 829 320 00074",
        "finess_juridique": "340012345",
        "finess_geographique": "340012346",
        "address": "1 place de la Mairie",
        "postal_code": "34800",
        "city": "Clermont-l'Hérault",
        "email": "contact@cpts-cdh.fr",
        "phone": "+33 4 67 00 00 00",
        "website": "https://cpts-cdh.fr",
    }
    data.update(overrides)
    return data


def page_text(response) -> str:
    return unescape(response.content.decode())


# --- URL and reading -------------------------------------------------------------------


def test_url_is_the_french_path():
    assert reverse("association_identity") == URL
    assert reverse("association_logo") == "/association/logo/"


def test_treasurer_reads_the_identity_without_a_form(client, association, tresorier):
    Association.objects.filter(pk=1).update(siret=VALID_SIRET, phone="04 67 00 00 00")
    client.force_login(tresorier)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["form"] is None
    text = page_text(response)
    assert "CPTS du Cœur d'Hérault" in text
    assert VALID_SIRET in text and "04 67 00 00 00" in text
    assert '<form method="post" enctype' not in text


@pytest.mark.parametrize("persona", ["president", "coordinator"])
def test_managers_see_the_edit_form(client, association, personas, persona):
    client.force_login(personas[persona])
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="id_siret" class="form-label">SIRET' in html
    assert 'accept="image/png,image/jpeg"' in html


@pytest.mark.parametrize(
    ("persona", "status"), [("anonymous", 302), ("adherent", 403), ("referent", 403)]
)
def test_reading_is_refused_without_association_view(
    client, association, personas, persona, status
):
    user = personas[persona]
    if user is not None:
        client.force_login(user)
    response = client.get(URL)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("adherent", 403), ("referent", 403), ("tresorier", 403)],
)
def test_editing_is_refused_without_association_manage(
    client, association, personas, persona, status
):
    user = personas[persona]
    if user is not None:
        client.force_login(user)
    response = client.post(URL, form_data(name="Piratée"))
    assert response.status_code == status
    assert Association.objects.get_solo().name == "CPTS du Cœur d'Hérault"


# --- Editing ---------------------------------------------------------------------------


def test_valid_post_saves_normalises_and_is_audited(client, association, coordinator):
    client.force_login(coordinator)
    response = client.post(URL, form_data(), follow=True)
    assert response.redirect_chain == [(URL, 302)]
    saved = Association.objects.get_solo()
    assert saved.siret == VALID_SIRET
    assert saved.phone == "04 67 00 00 00"
    assert saved.short_name == "CPTS CDH"
    assert saved.postal_code == "34800"
    assert "L'identité de la CPTS a été enregistrée." in page_text(response)
    entry = LogEntry.objects.get_for_object(saved).latest("timestamp")
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == coordinator
    assert entry.changes_dict["siret"] == ["", VALID_SIRET]
    rows = response.context["history"]
    assert rows[0].actor == coordinator.get_full_name()
    assert rows[0].action_label == "modification"
    siret_change = next(c for c in rows[0].changes if c.label == "SIRET")
    assert (siret_change.old, siret_change.new) == ("—", VALID_SIRET)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siret", "73282932000075", "clé de contrôle (Luhn)"),
        ("siret", "7328293200", "exactement 14 chiffres"),
        ("finess_juridique", "34001234", "Le numéro FINESS doit comporter 9 caractères"),
        ("finess_geographique", "3A0012345", "Le numéro FINESS doit comporter 9 caractères"),
        ("phone", "04 67 00 00", "numéro de téléphone français"),
        ("phone", "+44 20 7946 0958", "numéro de téléphone français"),
        ("postal_code", "3480", "Le code postal doit comporter exactement 5 chiffres."),
        ("email", "pas-un-email", "adresse de courriel valide"),
        ("name", "", "Ce champ est obligatoire."),
    ],
)
def test_invalid_field_is_named_and_nothing_is_saved(
    client, association, president, field, value, message
):
    entries_before = LogEntry.objects.count()
    client.force_login(president)
    response = client.post(URL, form_data(**{field: value}))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])
    text = page_text(response)
    assert "rien n'a été enregistré" in text
    label = str(form.fields[field].label)
    assert f'class="alert-link">{label}</a> : ' in text
    assert 'aria-invalid="true"' in text and "is-invalid" in text
    saved = Association.objects.get_solo()
    assert saved.siret == "" and saved.short_name == ""
    assert LogEntry.objects.count() == entries_before


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("0467000000", "04 67 00 00 00"),
        ("04.67.00.00.00", "04 67 00 00 00"),
        ("04-67-00-00-00", "04 67 00 00 00"),
        ("+33 4 67 00 00 00", "04 67 00 00 00"),
        ("+33 (0)4 67 00 00 00", "04 67 00 00 00"),
        ("0033612345678", "06 12 34 56 78"),
    ],
)
def test_french_phone_numbers_are_normalised(raw, normalised):
    assert normalize_phone(raw) == normalised


@pytest.mark.parametrize("raw", ["0067000000", "12345", "+32 4 67 00 00 00", "04 67 00 00 00 0"])
def test_non_french_phone_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        normalize_phone(raw)


def test_service_validates_before_writing(association):
    with pytest.raises(ValidationError):
        update_identity(association, {"siret": "12345678901234"})
    assert Association.objects.get_solo().siret == ""


# --- Logo ------------------------------------------------------------------------------


def test_png_logo_is_saved_and_served_to_signed_in_people(
    client, association, coordinator, adherent, media_root
):
    client.force_login(coordinator)
    response = client.post(URL, {**form_data(), "logo": image_file()})
    assert response.status_code == 302
    saved = Association.objects.get_solo()
    assert saved.logo.name.startswith("association/logo") and saved.logo.name.endswith(".png")
    assert (media_root / saved.logo.name).exists()
    assert 'data-testid="identity-logo"' in client.get(URL).content.decode()

    client.force_login(adherent)
    response = client.get(reverse("association_logo"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_replacing_the_logo_deletes_the_old_file(
    client, association, coordinator, media_root, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {**form_data(), "logo": image_file()})
    first = Association.objects.get_solo().logo.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {**form_data(), "logo": image_file("JPEG", "photo.jpeg")})
    second = Association.objects.get_solo().logo.name
    assert second.endswith(".jpg") and second != first
    assert not (media_root / first).exists()
    assert (media_root / second).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {**form_data(), "remove_logo": "on"})
    assert not Association.objects.get_solo().logo
    assert not (media_root / second).exists()
    assert client.get(reverse("association_logo")).status_code == 404


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("logo.png", b"not an image at all", content_type="image/png"),
            "Le logo doit être une image PNG ou JPEG valide",
        ),
        (
            SimpleUploadedFile(
                "logo.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                content_type="image/svg+xml",
            ),
            "Le logo doit être une image PNG ou JPEG",
        ),
        (image_file("GIF", "logo.gif"), "format reçu : GIF"),
    ],
)
def test_invalid_logo_is_refused(client, association, coordinator, upload, message, media_root):
    upload.seek(0)
    client.force_login(coordinator)
    response = client.post(URL, {**form_data(), "logo": upload})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["logo"])
    assert not Association.objects.get_solo().logo
    assert not (media_root / "association").exists()


def test_logo_over_2_mo_is_refused(client, association, coordinator):
    big = image_file(size=(1000, 1000), noise=True)
    assert big.size > LOGO_MAX_BYTES
    client.force_login(coordinator)
    response = client.post(URL, {**form_data(), "logo": big})
    assert response.status_code == 200
    assert response.context["form"].errors["logo"] == ["Le logo ne doit pas dépasser 2 Mo."]
    assert not Association.objects.get_solo().logo


def test_logo_view_is_404_without_a_logo(client, association, adherent):
    client.force_login(adherent)
    assert client.get(reverse("association_logo")).status_code == 404


def test_logo_view_is_404_when_the_file_is_missing(client, association, adherent):
    Association.objects.filter(pk=1).update(logo="association/disparu.png")
    client.force_login(adherent)
    assert client.get(reverse("association_logo")).status_code == 404


def test_logo_view_requires_a_login(client, association):
    response = client.get(reverse("association_logo"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

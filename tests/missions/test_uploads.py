"""The shared upload check looks at the content, not only the extension: a Windows executable
renamed ``fake.pdf`` is refused as a proof, an event document and a meeting document."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from governance.services.meetings import check_document
from missions.models import Mission, MissionEnvelope, Proof
from missions.services import lines as services
from missions.services.lines import LineData, check_proof_file
from tests.missions.test_lines import make_contract

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"PE\x00\x00"


def image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format=fmt)
    return buffer.getvalue()


def office_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


REAL = {
    "cr.pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n",
    "photo.png": image("PNG"),
    "photo.jpg": image("JPEG"),
    "photo.jpeg": image("JPEG"),
    "schema.gif": image("GIF"),
    "bilan.docx": office_zip(),
    "budget.xlsx": office_zip(),
    "compte-rendu.odt": office_zip(),
    "ancien.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
    "ancien.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
    "notes.txt": "Réunion du 12/03 : présents…\n".encode(),
    "liste.csv": "nom;prénom\nDupré;Zoé\n".encode("latin-1"),
}


def files(content: dict[str, bytes]) -> list[Any]:
    return [pytest.param(name, data, id=name) for name, data in content.items()]


@pytest.mark.parametrize(("name", "data"), files(REAL))
def test_real_files_of_each_kind_are_accepted(name, data):
    check_document(SimpleUploadedFile(name, data))
    upload = SimpleUploadedFile(name, data)
    check_proof_file(upload)
    assert upload.read() == data  # left at the start for saving


@pytest.mark.parametrize("name", list(REAL))
def test_an_executable_under_any_accepted_extension_is_refused(name):
    suffix = name[name.rindex(".") :]
    message = f"Le contenu du fichier ne correspond pas à son extension ({suffix})."
    with pytest.raises(ValidationError) as excinfo:
        check_document(SimpleUploadedFile(name, EXE))
    assert excinfo.value.message_dict == {"file": [message]}
    with pytest.raises(ValidationError) as excinfo:
        check_proof_file(SimpleUploadedFile(name, EXE), "proof_file")
    assert excinfo.value.message_dict == {"proof_file": [message]}


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.png", REAL["photo.jpg"]),  # a JPEG is not a PNG
        ("cr.pdf", REAL["bilan.docx"]),
        ("bilan.docx", REAL["cr.pdf"]),
        ("vide.pdf", b""),
        ("notes.txt", b"texte\x00binaire"),
    ],
)
def test_content_of_another_type_is_refused(name, data):
    with pytest.raises(ValidationError):
        check_document(SimpleUploadedFile(name, data))


@pytest.mark.django_db
def test_proof_upload_of_a_renamed_executable_is_refused(client, coordinator, association):
    year = make_contract().years.get(number=1)
    envelope = MissionEnvelope.objects.create(
        year=year, mission=Mission.objects.get(key="prevention"), variable=10
    )
    line = services.create_line(
        envelope,
        LineData(label="Réunions", kind="binary", amount=Decimal("10")),
        livrables=["Émargements"],
    )
    livrable = line.livrables.get()
    client.force_login(coordinator)
    response = client.post(
        reverse("proof_upload", args=[livrable.pk]),
        {"file": SimpleUploadedFile("fake.pdf", EXE)},
        follow=True,
    )
    assert "Le contenu du fichier ne correspond pas à son extension (.pdf)." in (
        response.content.decode()
    )
    assert not Proof.objects.exists()

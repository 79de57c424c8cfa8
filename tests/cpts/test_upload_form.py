"""The upload form every file import starts with (members, indicator values, SAS activity):
the extension and the 10 Mo limit are checked before the file is read, a reader's error comes
back on the field, and a good file gives the reader's rows with the bytes and the name."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _

from cpts.forms.imports import UploadedTableForm
from cpts.importing import MAX_BYTES, ImportFileError
from indicators.forms.imports import IndicatorImportForm
from members.forms.imports import MemberImportForm
from registries.views.sas_import import SasImportForm


class WordsForm(UploadedTableForm):
    """A tiny reader: one row a line, the cells separated by ``;``; "#" ends the file."""

    file_label = _("Fichier des mots")
    file_help_text = _("Un mot par colonne.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.read_calls: list[str] = []

    def read(self, content: bytes, filename: str) -> list[list[str]]:
        self.read_calls.append(filename)
        text = content.decode("utf-8")
        if "#" in text:
            raise ImportFileError("La ligne d'en-tête manque.")
        return [line.split(";") for line in text.splitlines() if line]


def _form(content: bytes, name: str = "Mots.CSV") -> WordsForm:
    return WordsForm(data={}, files={"fichier": SimpleUploadedFile(name, content)})


def test_a_good_file_gives_the_rows_the_bytes_and_the_name() -> None:
    form = _form(b"un;deux\ntrois;quatre\n")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["rows"] == [["un", "deux"], ["trois", "quatre"]]
    assert form.cleaned_data["content"] == b"un;deux\ntrois;quatre\n"
    assert form.cleaned_data["filename"] == "Mots.CSV"
    assert form.read_calls == ["mots.csv"]  # the reader gets the lower-cased name


@pytest.mark.parametrize("name", ["mots.xlsx", "mots.csv", "mots.txt"])
def test_every_accepted_extension_is_read(name: str) -> None:
    form = _form(b"un\n", name)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["rows"] == [["un"]]


@pytest.mark.parametrize("name", ["mots.xls", "mots.ods", "mots.csv.pdf", "mots"])
def test_a_wrong_extension_is_an_error_on_the_field_and_nothing_is_read(name: str) -> None:
    form = _form(b"un;deux\n", name)

    assert not form.is_valid()
    assert form.errors == {"fichier": ["Envoyez un fichier .xlsx ou .csv."]}
    assert form.read_calls == []
    assert "rows" not in form.cleaned_data
    assert "is-invalid" in form.fields["fichier"].widget.attrs["class"]


def test_a_file_over_10_mo_is_an_error_on_the_field_and_nothing_is_read() -> None:
    form = _form(b"a" * (MAX_BYTES + 1))

    assert not form.is_valid()
    assert form.errors == {"fichier": ["Le fichier dépasse 10 Mo : découpez-le."]}
    assert form.read_calls == []


def test_a_file_of_exactly_10_mo_is_read() -> None:
    form = _form(b"a" * MAX_BYTES)

    assert form.is_valid(), form.errors
    assert form.read_calls == ["mots.csv"]


def test_an_unreadable_file_is_the_reader_message_on_the_field() -> None:
    form = _form(b"# pas un tableau\n")

    assert not form.is_valid()
    assert form.errors == {"fichier": ["La ligne d'en-tête manque."]}
    assert form.read_calls == ["mots.csv"]
    assert "rows" not in form.cleaned_data
    assert "content" not in form.cleaned_data


def test_no_file_is_the_required_error() -> None:
    form = WordsForm(data={}, files={})

    assert not form.is_valid()
    assert form.errors == {"fichier": ["Ce champ est obligatoire."]}
    assert form.read_calls == []


def test_the_label_and_help_text_are_the_subclass_s() -> None:
    html = WordsForm().as_div()

    assert "Fichier des mots" in html
    assert "Un mot par colonne." in html
    assert 'accept=".xlsx,.csv,.txt"' in html


@pytest.mark.parametrize(
    ("form_class", "label"),
    [
        (MemberImportForm, "Fichier des membres (.xlsx ou .csv)"),
        (IndicatorImportForm, "Fichier des valeurs (.xlsx ou .csv)"),
        (SasImportForm, "Fichier de l'activité (.xlsx ou .csv)"),
    ],
)
def test_the_three_imports_keep_their_label(
    form_class: type[UploadedTableForm], label: str
) -> None:
    form = form_class()

    assert form.fields["fichier"].label == label
    assert form.fields["fichier"].help_text
    assert issubclass(form_class, UploadedTableForm)

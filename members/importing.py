"""Reading member files as coordinators really have them (XLSX, or CSV separated by ``;`` or
``,``, in UTF-8 with or without BOM or in Windows-1252), and the documented import template.

``read_member_file`` turns the bytes into a ``tablib.Dataset`` whose headers are the template's
column names (matched case- and accent-insensitively, with a few common aliases), whose cells
are trimmed strings, without empty rows, and with a last column ``_ligne`` holding each row's
line number in the file (the header is line 1) so that errors name the line the coordinator sees.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import tablib
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Shared by every import; the readers, jobs and commands of the apps import them from here.
from cpts.importing import MAX_BYTES, ImportFileError

TEMPLATE_HEADERS = (
    "type",
    "civilite",
    "nom",
    "prenom",
    "raison_sociale",
    "profession",
    "rpps",
    "adeli",
    "finess",
    "siret",
    "email",
    "telephone",
    "adresse",
    "code_postal",
    "commune",
    "code_insee",
    "mode_exercice",
    "structure",
    "college",
    "date_adhesion",
    "cotisation_payee",
)
LINE_COLUMN = "_ligne"
HEADER_SEARCH_ROWS = 10
MAX_ROWS = 5_000

# Other spellings seen in coordinators' sheets, after normalisation.
HEADER_ALIASES = {
    "e_mail": "email",
    "mail": "email",
    "courriel": "email",
    "adresse_e_mail": "email",
    "tel": "telephone",
    "portable": "telephone",
    "cp": "code_postal",
    "ville": "commune",
    "insee": "code_insee",
    "mode_d_exercice": "mode_exercice",
    "date_d_adhesion": "date_adhesion",
    "cotisation": "cotisation_payee",
    "cotisation_reglee": "cotisation_payee",
    "structure_d_exercice": "structure",
}

# Width of identifiers that spreadsheets store as numbers and strip of their leading zeros.
NUMERIC_WIDTHS = {"code_postal": 5, "code_insee": 5, "rpps": 11, "adeli": 9, "siret": 14}

# What each column holds, for the template's "Mode d'emploi" sheet and the import page.
COLUMN_HELP = (
    ("type", gettext_lazy("personne ou structure (obligatoire)"), "personne"),
    ("civilite", gettext_lazy("M. ou Mme (personnes)"), "Mme"),
    ("nom", gettext_lazy("nom de famille (obligatoire pour une personne)"), "Martin"),
    ("prenom", gettext_lazy("prénom (personnes)"), "Claire"),
    (
        "raison_sociale",
        gettext_lazy(
            "nom de la structure (obligatoire pour une structure) ; pour une personne, "
            "le nom de sa structure d'exercice"
        ),
        "MSP du Lodévois",
    ),
    ("profession", gettext_lazy("libellé ou code de la liste des professions"), "Infirmier"),
    ("rpps", gettext_lazy("11 chiffres (personnes)"), "10001234567"),
    ("adeli", gettext_lazy("9 caractères (personnes)"), "341234567"),
    ("finess", gettext_lazy("9 caractères, 2A ou 2B pour la Corse"), "340012345"),
    ("siret", gettext_lazy("14 chiffres, clé de contrôle vérifiée"), "73282932000074"),
    ("email", gettext_lazy("adresse e-mail"), "claire.martin@exemple.fr"),
    ("telephone", gettext_lazy("numéro français à 10 chiffres"), "04 67 00 00 00"),
    ("adresse", gettext_lazy("numéro et voie"), "1 place de la Mairie"),
    ("code_postal", gettext_lazy("5 chiffres, cohérent avec la commune"), "34700"),
    ("commune", gettext_lazy("nom de la commune (avec le code postal)"), "Lodève"),
    ("code_insee", gettext_lazy("code INSEE de la commune (remplace le nom)"), "34142"),
    ("mode_exercice", gettext_lazy("libéral, salarié ou mixte (personnes)"), "libéral"),
    (
        "structure",
        gettext_lazy(
            "personne : MSP, centre de santé, cabinet de groupe, exercice isolé, établissement ; "
            "structure : MSP, centre de santé, EHPAD, hôpital, SSIAD, DAC, association…"
        ),
        "MSP",
    ),
    ("college", gettext_lazy("nom ou code du collège"), "Libéraux de santé"),
    ("date_adhesion", gettext_lazy("jj/mm/aaaa : crée l'adhésion de cette année"), "15/01/2026"),
    (
        "cotisation_payee",
        gettext_lazy("oui, non ou le montant déjà payé (demande une date d'adhésion)"),
        "oui",
    ),
)


def normalize_label(text: str) -> str:
    """Lower-case, accent-free form with single spaces (used to match headers and values)."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_text = ascii_text.replace("\u2019", "'").lower()
    return " ".join(re.sub(r"[\s_\-'./]+", " ", ascii_text).split())


def normalize_header(text: str) -> str:
    key = normalize_label(text.lstrip("\ufeff")).replace(" ", "_")
    return HEADER_ALIASES.get(key, key)


def read_member_file(content: bytes, filename: str = "") -> tablib.Dataset:
    """The rows of an XLSX or CSV file as a dataset with the template's headers."""
    if not content.strip():
        raise ImportFileError(_("Le fichier est vide."))
    if len(content) > MAX_BYTES:
        raise ImportFileError(_("Le fichier dépasse 10 Mo : découpez-le en plusieurs fichiers."))
    if content.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(content)
    elif content.startswith(b"\xd0\xcf\x11\xe0") or filename.lower().endswith(".xls"):
        raise ImportFileError(
            _(
                "Les fichiers .xls ne sont pas pris en charge : enregistrez-le au format "
                ".xlsx ou .csv."
            )
        )
    else:
        rows = _csv_rows(content)
    return _dataset(rows)


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _csv_rows(content: bytes) -> list[list[Any]]:
    text = _decode(content)
    if "\x00" in text:
        raise ImportFileError(
            _("Ce fichier n'est ni un classeur .xlsx ni un fichier .csv lisible.")
        )
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=";,\t").delimiter
    except csv.Error:
        delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _xlsx_rows(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(_("Ce classeur .xlsx ne peut pas être lu.")) from error
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cell_text(value: Any, column: str) -> str:
    """A cell as trimmed text: spreadsheet numbers and dates become what the person typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float | Decimal):
        if value == int(value):
            text = str(int(value))
            width = NUMERIC_WIDTHS.get(column)
            return text.zfill(width) if width and len(text) < width else text
        return str(value).replace(".", ",")
    return " ".join(str(value).replace("\u00a0", " ").split())


def _dataset(rows: list[list[Any]]) -> tablib.Dataset:
    filled = [i for i, row in enumerate(rows) if any(_cell_text(v, "") for v in row)]
    if not filled:
        raise ImportFileError(_("Le fichier est vide."))
    # The header row is the first one with a "type" column: a title above it is skipped.
    header_index = next(
        (
            i
            for i in filled[:HEADER_SEARCH_ROWS]
            if "type" in {normalize_header(_cell_text(v, "")) for v in rows[i]}
        ),
        filled[0],
    )
    raw_headers = [_cell_text(v, "") for v in rows[header_index]]
    while raw_headers and not raw_headers[-1]:
        raw_headers.pop()
    headers = [normalize_header(h) for h in raw_headers]
    _check_headers(raw_headers, headers)
    dataset = tablib.Dataset(headers=[*headers, LINE_COLUMN])
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        cells = [_cell_text(v, headers[i] if i < len(headers) else "") for i, v in enumerate(row)]
        if not any(cells):
            continue  # empty rows, trailing or not
        if any(cells[len(headers) :]):
            raise ImportFileError(
                _(
                    "Ligne %(line)s : plus de valeurs que de colonnes. Vérifiez le séparateur "
                    "(; ou ,) et les guillemets autour des textes qui contiennent une virgule."
                )
                % {"line": offset}
            )
        cells = (cells + [""] * len(headers))[: len(headers)]
        dataset.append([*cells, offset])
        if len(dataset) > MAX_ROWS:
            raise ImportFileError(
                _("Le fichier dépasse %(max)s lignes : découpez-le en plusieurs fichiers.")
                % {"max": MAX_ROWS}
            )
    if not len(dataset):
        raise ImportFileError(_("Le fichier ne contient aucune ligne de membre sous l'en-tête."))
    return dataset


def _check_headers(raw_headers: list[str], headers: list[str]) -> None:
    unknown = [
        raw or _("(vide)")
        for raw, h in zip(raw_headers, headers, strict=True)
        if h not in TEMPLATE_HEADERS
    ]
    if unknown:
        raise ImportFileError(
            _("Colonne(s) inconnue(s) : %(unknown)s. Colonnes attendues : %(expected)s.")
            % {"unknown": ", ".join(unknown), "expected": ", ".join(TEMPLATE_HEADERS)}
        )
    repeated = sorted({h for h in headers if headers.count(h) > 1})
    if repeated:
        raise ImportFileError(
            _("Colonne(s) en double : %(columns)s.") % {"columns": ", ".join(repeated)}
        )
    if "type" not in headers:
        raise ImportFileError(_("La colonne « type » (personne ou structure) est obligatoire."))
    if "nom" not in headers and "raison_sociale" not in headers:
        raise ImportFileError(_("Il faut une colonne « nom » ou « raison_sociale »."))


TEMPLATE_CSV_PATH = Path(__file__).resolve().parent / "data" / "modele-import-membres.csv"


def template_csv() -> bytes:
    """The template as CSV (members/data/modele-import-membres.csv): UTF-8 with BOM, so that
    Excel shows the accents, separated by ``;``."""
    return TEMPLATE_CSV_PATH.read_bytes()


def template_xlsx() -> bytes:
    """The template as XLSX: a "Membres" sheet with the header row, and a "Mode d'emploi"
    sheet documenting each column with an example."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Membres")
    sheet.append(list(TEMPLATE_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.number_format = "@"
    help_sheet = workbook.create_sheet(_("Mode d'emploi"))
    help_sheet.append([_("colonne"), _("contenu"), _("exemple")])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for column, description, example in COLUMN_HELP:
        help_sheet.append([column, str(description), example])
    help_sheet.append([])
    help_sheet.append([_("Une cellule vide ne modifie jamais une valeur déjà enregistrée.")])
    help_sheet.append(
        [_("Un membre déjà connu est reconnu par son RPPS, puis son SIRET, puis son e-mail.")]
    )
    help_sheet.column_dimensions["A"].width = 20
    help_sheet.column_dimensions["B"].width = 90
    help_sheet.column_dimensions["C"].width = 28
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()

"""Loading of the profession reference list shipped in members/data/professions.csv."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

PROFESSIONS_CSV = Path(__file__).resolve().parent / "data" / "professions.csv"


def read_professions(path: Path = PROFESSIONS_CSV) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            {
                "code": row["code"],
                "label": row["libelle"],
                "category": row["categorie"],
                "is_health_profession": row["profession_de_sante"] == "oui",
                "identifier": row["identifiant"],
            }
            for row in csv.DictReader(handle)
        ]


def load_professions(profession_model: Any, path: Path = PROFESSIONS_CSV) -> int:
    """Insert or update every profession of the CSV (idempotent); used by the data migration
    (with the historical model) and by ``manage.py load_professions``."""
    rows = read_professions(path)
    profession_model.objects.bulk_create(
        [profession_model(**row) for row in rows],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["label", "category", "is_health_profession", "identifier"],
    )
    return len(rows)

"""Files named on a command line (cpts/command_files.py): a French error, exit code 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management.base import CommandError

from cpts.command_files import read_input, write_output


def test_read_and_write_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "annexe.yaml"
    write_output(path, "année: 2\n".encode())
    assert read_input(path) == "année: 2\n".encode()


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"^Impossible de lire .*absent\.csv : ") as caught:
        read_input(tmp_path / "absent.csv")
    assert caught.value.returncode == 1


def test_an_unwritable_place_is_named(tmp_path: Path) -> None:
    target = tmp_path / "dossier-absent" / "rapport.pdf"
    with pytest.raises(CommandError, match=r"^Impossible d'écrire .*rapport\.pdf : ") as caught:
        write_output(target, b"%PDF")
    assert caught.value.returncode == 1
    with pytest.raises(CommandError, match="Impossible d'écrire"):
        write_output(tmp_path, b"%PDF")  # a folder, not a file

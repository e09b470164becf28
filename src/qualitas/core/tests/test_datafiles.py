"""core.datafiles: an area's data files, read from <area>/data/<name>.toml."""

import os
import shutil
import tempfile
from pathlib import Path
from unittest import mock

from django.test import SimpleTestCase

from qualitas.core import datafiles


class DataFileTests(SimpleTestCase):
    def setUp(self) -> None:
        self.dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.dir)
        (self.dir / "data" / "demo").mkdir(parents=True)
        config = mock.Mock(path=str(self.dir))
        patcher = mock.patch.object(datafiles.apps, "get_app_config", return_value=config)
        patcher.start()
        self.addCleanup(patcher.stop)

    def write(self, name: str, text: str) -> Path:
        file = self.dir / "data" / f"{name}.toml"
        file.write_text(text, encoding="utf-8")
        return file

    def test_a_file_is_read_as_toml_with_its_types(self) -> None:
        self.write(
            "demo/documents",
            '[[documents]]\ncode = "QP-01"\ntitle = "Steuerung von Dokumenten"\neffective = 2024-05-01\n'
            'interval = 24\nroles = ["admin", "quality_manager"]\n',
        )
        data = datafiles.load("documents", "demo/documents")
        row = data["documents"][0]
        self.assertEqual(row["title"], "Steuerung von Dokumenten")
        self.assertEqual(str(row["effective"]), "2024-05-01")
        self.assertEqual((row["interval"], row["roles"]), (24, ["admin", "quality_manager"]))

    def test_a_changed_file_is_read_again(self) -> None:
        file = self.write("demo", "n = 1\n")
        self.assertEqual(datafiles.load("x", "demo"), {"n": 1})
        file.write_text("n = 2\n")
        os.utime(file, (file.stat().st_atime, file.stat().st_mtime + 5))
        self.assertEqual(datafiles.load("x", "demo"), {"n": 2})

    def test_missing_or_broken_files_name_the_file(self) -> None:
        with self.assertRaisesMessage(datafiles.DataFileError, "missing data file"):
            datafiles.load("x", "nothing")
        self.write("broken", "title = \n")
        with self.assertRaisesMessage(datafiles.DataFileError, "broken.toml"):
            datafiles.load("x", "broken")

    def test_a_name_cannot_leave_the_data_folder(self) -> None:
        for bad in ("../settings", "/etc/passwd", ""):
            with self.assertRaises(datafiles.DataFileError):
                datafiles.load("x", bad)


class ShippedDataFileTests(SimpleTestCase):
    def test_an_area_file_in_the_package_is_found(self) -> None:
        self.assertEqual(datafiles.path("standards", "iso9001-2015").name, "iso9001-2015.toml")
        data = datafiles.load("standards", "iso9001-2015")
        self.assertEqual(data["standard"]["code"], "iso9001-2015")
        self.assertIn("4.1", [c["number"] for c in data["clauses"]])

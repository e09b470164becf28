from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings

from qualitas.core.files import inspect_upload, safe_filename

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


class UploadTests(SimpleTestCase):
    def test_safe_filename_strips_paths_and_odd_characters(self) -> None:
        self.assertEqual(safe_filename("../../etc/passwd"), "passwd")
        self.assertEqual(safe_filename("C:\\Users\\x\\report 2026.pdf"), "report_2026.pdf")
        self.assertEqual(safe_filename("a<b>|c?.pdf"), "a_b_c_.pdf")
        self.assertEqual(safe_filename(""), "file")

    def test_type_is_judged_by_content(self) -> None:
        info = inspect_upload(SimpleUploadedFile("cert.pdf", PDF))
        self.assertEqual(info.mime_type, "application/pdf")
        self.assertEqual(len(info.sha256), 64)

    def test_a_renamed_file_is_refused(self) -> None:
        with self.assertRaisesMessage(ValidationError, "does not match"):
            inspect_upload(SimpleUploadedFile("photo.pdf", PNG))
        with self.assertRaisesMessage(ValidationError, "not accepted"):
            inspect_upload(SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + b"\x00" * 60))

    def test_text_and_csv_are_accepted_binary_disguised_as_text_is_not(self) -> None:
        self.assertEqual(inspect_upload(SimpleUploadedFile("r.csv", b"a,b\n1,2\n")).mime_type, "text/plain")
        with self.assertRaises(ValidationError):
            inspect_upload(SimpleUploadedFile("r.csv", b"\xff\xfe\x00\x00binary"))

    @override_settings(QUALITAS_MAX_UPLOAD_BYTES=10)
    def test_size_limit(self) -> None:
        with self.assertRaisesMessage(ValidationError, "limit"):
            inspect_upload(SimpleUploadedFile("cert.pdf", PDF))

    def test_empty_file(self) -> None:
        with self.assertRaisesMessage(ValidationError, "empty"):
            inspect_upload(SimpleUploadedFile("e.pdf", b""))

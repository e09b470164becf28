import threading

from django.db import connection, transaction
from django.test import TransactionTestCase, skipUnlessDBFeature
from django.utils import timezone

from qualitas.accounts.models import Organization
from qualitas.core import numbering
from qualitas.core.testing import QualitasTestCase


class NumberingTests(QualitasTestCase):
    def test_numbers_are_per_organization_yearly_and_padded(self) -> None:
        year = timezone.localdate().year
        with transaction.atomic():
            a1 = numbering.next_reference(self.org_a, "NC")
            a2 = numbering.next_reference(self.org_a, "NC")
            b1 = numbering.next_reference(self.org_b, "NC")
        self.assertEqual((a1, a2, b1), (f"NC-{year}-0001", f"NC-{year}-0002", f"NC-{year}-0001"))

    def test_a_rolled_back_write_gives_its_number_back(self) -> None:
        try:
            with transaction.atomic():
                numbering.next_reference(self.org_a, "DOC", yearly=False)
                raise ValueError
        except ValueError:
            pass
        with transaction.atomic():
            self.assertEqual(numbering.next_reference(self.org_a, "DOC", yearly=False), "DOC-0001")

    def test_outside_a_transaction_is_refused(self) -> None:
        from unittest import mock

        with mock.patch("qualitas.core.numbering.transaction.get_connection") as conn:
            conn.return_value.in_atomic_block = False
            with self.assertRaises(RuntimeError):
                numbering.next_value(self.org_a, "X")


@skipUnlessDBFeature("has_select_for_update")
class ConcurrentNumberingTests(TransactionTestCase):
    """Threads racing for numbers get distinct, gap-free values (PostgreSQL: row locks)."""

    # The flush after this test then empties only these apps' tables (cascading to tenant data), and
    # leaves the catalogs that data migrations loaded (standards, maturity models) for later tests.
    available_apps = ["qualitas.accounts", "qualitas.core"]

    def test_parallel_writers_get_distinct_gap_free_numbers(self) -> None:
        org = Organization.objects.create(name="Race", slug="race")
        results: list[int] = []
        errors: list[BaseException] = []

        def worker() -> None:
            try:
                for _ in range(10):
                    with transaction.atomic():
                        results.append(numbering.next_value(org, "RACE"))
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(sorted(results), list(range(1, 41)))

"""Products name a process owner who is a member; deletes of records without rules of their own."""

from django.core.exceptions import ValidationError

from qualitas.core.testing import QualitasTestCase
from qualitas.production import services
from qualitas.production.tests.factories import make_product


class ProductOwnerTests(QualitasTestCase):
    def test_the_process_owner_must_be_a_member(self) -> None:
        with self.assertRaisesMessage(ValidationError, "not an active member"):
            services.create_product(
                organization=self.org_a,
                actor=self.manager,
                data={"part_number": "X-1", "name": "Shaft", "owner": self.outsider},
            )
        product = make_product(self.org_a, self.manager, owner=self.member)
        with self.assertRaisesMessage(ValidationError, "not an active member"):
            services.update_product(product, actor=self.manager, data={"owner": self.outsider})
        product.refresh_from_db()
        self.assertEqual(product.owner, self.member)

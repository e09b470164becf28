from django.urls import reverse

from qualitas.core import audit
from qualitas.core.registry import registry
from qualitas.core.testing import QualitasTestCase
from qualitas.documents import search, services
from qualitas.documents.tests.factories import make_document, make_effective_document


class FullTextSearchTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            self.title_hit = make_effective_document(
                self.org_a, self.manager, code="WI-20", title="Deburring of turned parts", text="Use gloves."
            )
            self.body_hit = make_effective_document(
                self.org_a,
                self.manager,
                code="WI-21",
                title="Packing",
                text="After deburring, wrap the parts in VCI paper.",
            )
            self.draft = make_document(
                self.org_a,
                self.manager,
                code="WI-22",
                title="Draft only",
                text="deburring in a draft must not be found by its text",
            )
            self.other_org = make_effective_document(
                self.org_b, self.outsider, code="WI-20", title="Deburring elsewhere"
            )

    def test_search_finds_titles_and_effective_text_and_ranks_the_title_first(self) -> None:
        hits = [d.code for d, _rank, _snippet in search.search(self.org_a, "deburring")]
        self.assertEqual(hits[:2], ["WI-20", "WI-21"])
        self.assertNotIn("WI-22", hits)

    def test_search_never_crosses_organizations(self) -> None:
        hits = search.search(self.org_b, "deburring")
        self.assertEqual([d.organization_id for d, _r, _s in hits], [self.org_b.pk])

    def test_words_are_prefixes_and_all_are_required(self) -> None:
        self.assertEqual([d.code for d, _r, _s in search.search(self.org_a, "debur VCI")], ["WI-21"])
        self.assertEqual(search.search(self.org_a, 'quote" OR * -'), [])

    def test_a_new_effective_revision_replaces_the_indexed_text(self) -> None:
        rev_b = services.start_revision(
            self.body_hit, actor=self.manager, reason="Packaging change", text="Wrap in bubble foil."
        )
        self.assertTrue(
            search.search(self.org_a, "VCI"), "the effective text stays searchable during the change"
        )
        services.record_external_approval(
            rev_b, actor=self.manager, effective_date=rev_b.created_at.date(), reason="Signed on paper"
        )
        self.assertEqual(search.search(self.org_a, "VCI"), [])
        self.assertEqual([d.code for d, _r, _s in search.search(self.org_a, "bubble")], ["WI-21"])

    def test_the_search_page_api_and_search_source_agree(self) -> None:
        self.login(self.viewer)
        page = self.client.get(reverse("documents:search"), {"q": "deburring"})
        self.assertContains(page, "Deburring of turned parts")
        self.assertNotContains(page, "Deburring elsewhere")
        api = self.api_client(self.viewer).get(reverse("document-search"), {"q": "deburring"})
        self.assertEqual(api.status_code, 200)
        self.assertEqual([r["code"] for r in api.json()][:2], ["WI-20", "WI-21"])
        source = next(s for s in registry.search_sources if s.key == "documents")
        self.assertEqual(len(source.search(self.org_a, self.viewer, "deburring", 10)), 2)
        self.assertEqual(source.search(self.org_a, self.outsider, "deburring", 10), [])

    def test_the_organization_token_in_the_index_is_not_searchable_text(self) -> None:
        self.assertEqual(search.search(self.org_a, search.org_token(self.org_a.pk)), [])
        self.assertEqual(search.search(self.org_a, "org"), [])

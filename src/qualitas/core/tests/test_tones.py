"""Status tones are declared by the areas next to their choices; core only looks them up."""

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.template import Context, Template
from django.test import SimpleTestCase

from qualitas.core import tones


class Colour(models.TextChoices):
    RED = "test_red", "Red"
    GREEN = "test_green", "Green"


class Other(models.TextChoices):
    RED = "test_red", "Red again"


class ToneTests(SimpleTestCase):
    def setUp(self) -> None:
        self.saved = dict(tones._declared)
        self.addCleanup(lambda: (tones._declared.clear(), tones._declared.update(self.saved)))

    def test_a_declared_status_gets_its_tone_and_anything_else_info(self) -> None:
        tones.declare_tones(Colour, {Colour.RED: "bad", "test_green": "ok"})
        self.assertEqual(tones.tone_for("test_red"), "bad")
        self.assertEqual(tones.tone_for(Colour.GREEN), "ok")
        self.assertEqual(tones.tone_for("never_declared"), "info")
        html = Template("{% load qualitas %}{% badge 'test_red' 'Red' %}").render(Context())
        self.assertEqual(html, '<span class="badge badge-bad">Red</span>')

    def test_one_word_one_tone(self) -> None:
        tones.declare_tones(Colour, {Colour.RED: "bad"})
        tones.declare_tones(Other, {Other.RED: "bad"})  # the same tone again is fine
        with self.assertRaisesMessage(ImproperlyConfigured, "one word, one tone"):
            tones.declare_tones(Other, {Other.RED: "ok"})

    def test_unknown_tones_and_values_are_refused(self) -> None:
        with self.assertRaisesMessage(ImproperlyConfigured, "is not one of"):
            tones.declare_tones(Colour, {Colour.RED: "crimson"})
        with self.assertRaisesMessage(ImproperlyConfigured, "has no value 'test_blue'"):
            tones.declare_tones(Colour, {"test_blue": "info"})

    def test_the_areas_declare_their_statuses(self) -> None:
        declared = tones.declared()
        self.assertEqual(declared["in_review"], "warn")  # documents
        self.assertEqual(declared["off_target"], "bad")  # planning
        self.assertEqual(declared["on_hold"], "bad")  # production
        self.assertEqual(declared["minuted"], "ok")  # reviews

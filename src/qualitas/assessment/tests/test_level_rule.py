from django.test import SimpleTestCase

from qualitas.assessment import rules


class NoGapsBelowRuleTests(SimpleTestCase):
    def test_level_is_the_highest_level_with_all_criteria_met_and_no_gap_below(self) -> None:
        met = {1: [True, True], 2: [True, True], 3: [True, True, True], 4: [True, False], 5: [False, False]}
        self.assertEqual(rules.element_level(met), 3)

    def test_criteria_met_above_a_gap_do_not_count(self) -> None:
        met = {1: [True, True], 2: [True, False], 3: [True, True], 4: [True, True], 5: [True, True]}
        self.assertEqual(rules.element_level(met), 1)
        self.assertEqual(rules.met_above(met, 1), 7)

    def test_everything_met_is_level_five(self) -> None:
        self.assertEqual(rules.element_level({n: [True, True] for n in range(1, 6)}), 5)

    def test_nothing_met_is_the_basic_level(self) -> None:
        self.assertEqual(rules.element_level({n: [False, False] for n in range(1, 6)}), 1)
        self.assertEqual(rules.element_level({}), 1)

    def test_a_level_without_criteria_cannot_be_reached(self) -> None:
        self.assertEqual(rules.element_level({1: [True], 2: [True], 3: [], 4: [True], 5: [True]}), 2)

    def test_level_for_share_maps_more_done_to_higher_levels(self) -> None:
        self.assertEqual(
            [rules.level_for_share(s) for s in (0, 0.19, 0.2, 0.5, 0.79, 0.8, 1.0)], [1, 1, 2, 3, 4, 5, 5]
        )
        self.assertIsNone(rules.level_for_share(None))


class SpreadAndComparisonTests(SimpleTestCase):
    def test_spread_gives_min_max_and_population_standard_deviation(self) -> None:
        s = rules.spread([2, 4, 4, 4, 5, 5, 7 - 2])
        self.assertEqual((s.low, s.high, s.count), (2, 5, 7))
        self.assertAlmostEqual(s.stdev or 0, 0.99, places=2)
        self.assertEqual(rules.spread([]).stdev, None)

    def test_elements_with_most_disagreement_come_first(self) -> None:
        spreads = {"a": rules.spread([3, 3, 3]), "b": rules.spread([1, 5]), "c": rules.spread([2, 3])}
        self.assertEqual(rules.by_disagreement(spreads), ["b", "c", "a"])

    def test_comparison_says_up_down_same_or_new(self) -> None:
        self.assertEqual(
            rules.compare({"5.2": 3, "9.2.4": 2, "10.6": 3, "11.4": 1}, {"5.2": 3, "9.2.4": 3, "10.6": 1}),
            {"5.2": "same", "9.2.4": "down", "10.6": "up", "11.4": "new"},
        )

    def test_contradiction_needs_two_levels_of_distance(self) -> None:
        self.assertTrue(rules.contradicts(4, 2))
        self.assertTrue(rules.contradicts(1, 3))
        self.assertFalse(rules.contradicts(4, 3))
        self.assertFalse(rules.contradicts(None, 1))
        self.assertFalse(rules.contradicts(4, None))

    def test_clause_level_is_the_mean_of_its_elements(self) -> None:
        levels = {"9.2.2": 2, "9.3": 4, "10.6": None}
        self.assertEqual(
            rules.clause_levels(levels, {"9.2.2": "9", "9.3": "9", "10.6": "10"}), {"9": 3.0, "10": None}
        )

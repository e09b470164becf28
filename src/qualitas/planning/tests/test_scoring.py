from django.test import SimpleTestCase

from qualitas.planning.scoring import check_thresholds, crossed, kpi_status, level_of, risk_level, risk_score


class RiskMatrixArithmeticTests(SimpleTestCase):
    def test_score_is_likelihood_times_impact(self) -> None:
        self.assertEqual(risk_score(3, 4, 5), 12)
        self.assertEqual(risk_score(1, 1, 3), 1)
        self.assertEqual(risk_score(4, 4, 4), 16)

    def test_ratings_outside_the_matrix_are_refused(self) -> None:
        for lk, im, size in [(0, 1, 5), (6, 1, 5), (4, 1, 3), (1, 5, 4)]:
            with self.assertRaises(ValueError):
                risk_score(lk, im, size)

    def test_matrix_size_must_be_three_to_five(self) -> None:
        for size in (2, 6):
            with self.assertRaises(ValueError):
                risk_score(1, 1, size)

    def test_five_by_five_bands(self) -> None:
        expected = {
            1: "low",
            4: "low",
            5: "medium",
            9: "medium",
            10: "high",
            16: "high",
            20: "critical",
            25: "critical",
        }
        for score, level in expected.items():
            self.assertEqual(risk_level(score, 5), level, score)

    def test_three_by_three_bands(self) -> None:
        expected = {1: "low", 2: "medium", 3: "medium", 4: "high", 6: "critical", 9: "critical"}
        for score, level in expected.items():
            self.assertEqual(risk_level(score, 3), level, score)

    def test_four_by_four_bands(self) -> None:
        expected = {2: "low", 3: "medium", 4: "medium", 6: "high", 9: "high", 12: "critical", 16: "critical"}
        for score, level in expected.items():
            self.assertEqual(risk_level(score, 4), level, score)

    def test_the_top_corner_is_critical_on_every_matrix(self) -> None:
        for size in (3, 4, 5):
            self.assertEqual(level_of(size, size, size), (size * size, "critical"))
            self.assertEqual(level_of(1, 1, size)[1], "low")

    def test_a_score_that_cannot_exist_on_the_matrix_is_refused(self) -> None:
        with self.assertRaises(ValueError):
            risk_level(10, 3)


class KpiStatusTests(SimpleTestCase):
    def test_higher_is_better(self) -> None:
        kw = {"direction": "higher", "target": 95, "warning": 93, "alarm": 90}
        self.assertEqual(kpi_status(97, **kw), "on_target")
        self.assertEqual(kpi_status(93, **kw), "on_target")  # meets the warning threshold
        self.assertEqual(kpi_status(92.9, **kw), "at_risk")
        self.assertEqual(kpi_status(90, **kw), "at_risk")
        self.assertEqual(kpi_status(89.9, **kw), "off_target")

    def test_lower_is_better(self) -> None:
        kw = {"direction": "lower", "target": 2, "warning": 2.5, "alarm": 3}
        self.assertEqual(kpi_status(1.0, **kw), "on_target")
        self.assertEqual(kpi_status(2.5, **kw), "on_target")
        self.assertEqual(kpi_status(2.6, **kw), "at_risk")
        self.assertEqual(kpi_status(3.1, **kw), "off_target")

    def test_without_warning_the_target_is_the_edge_and_without_alarm_never_off_target(self) -> None:
        self.assertEqual(kpi_status(95, direction="higher", target=95), "on_target")
        self.assertEqual(kpi_status(10, direction="higher", target=95), "at_risk")

    def test_no_value_is_no_data(self) -> None:
        self.assertEqual(kpi_status(None, direction="higher", target=1), "no_data")

    def test_crossing_means_getting_worse(self) -> None:
        self.assertTrue(crossed("on_target", "at_risk"))
        self.assertTrue(crossed("at_risk", "off_target"))
        self.assertTrue(crossed(None, "off_target"))
        self.assertFalse(crossed("at_risk", "at_risk"))
        self.assertFalse(crossed("off_target", "at_risk"))
        self.assertFalse(crossed("at_risk", "on_target"))

    def test_thresholds_must_be_ordered_by_direction(self) -> None:
        self.assertEqual(check_thresholds("higher", 95, 93, 90), {})
        self.assertIn("warning", check_thresholds("higher", 95, 97, None))
        self.assertIn("alarm", check_thresholds("higher", 95, 93, 94))
        self.assertEqual(check_thresholds("lower", 2, 2.5, 3), {})
        self.assertIn("alarm", check_thresholds("lower", 2, None, 1))

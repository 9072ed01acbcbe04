use chrono::NaiveDate;
use roadmap_core::api::PlanSettings;
use roadmap_core::schedule::{spread_steps, target_end};
use roadmap_core::{CoreError, Roadmap};

fn date(s: &str) -> NaiveDate {
    s.parse().expect("test date")
}

fn bundled() -> Roadmap {
    Roadmap::bundled().expect("bundled roadmap validates")
}

#[test]
fn months_outside_six_to_twenty_four_are_refused() {
    for months in [0, 5, 25, 100] {
        let settings = PlanSettings {
            start: date("2027-01-01"),
            months,
        };
        let err = target_end(&settings).expect_err("out of range");
        assert!(
            matches!(err, CoreError::InvalidSettings(ref m) if m.contains("6 to 24")),
            "{err}"
        );
    }
}

#[test]
fn target_end_clamps_to_month_end() {
    let settings = PlanSettings {
        start: date("2027-08-31"),
        months: 6,
    };
    assert_eq!(target_end(&settings).expect("valid"), date("2028-02-29"));
}

#[test]
fn steps_cover_the_whole_duration_in_order_without_gaps() {
    let roadmap = bundled();
    for months in 6..=24 {
        let settings = PlanSettings {
            start: date("2027-01-15"),
            months,
        };
        let spans = spread_steps(&roadmap, &settings).expect("plan");
        assert_eq!(spans.len(), roadmap.steps.len());
        assert_eq!(spans[0].start, settings.start);
        let end = target_end(&settings).expect("valid");
        assert_eq!(
            spans.last().expect("steps").end,
            end.pred_opt().expect("day before")
        );
        for pair in spans.windows(2) {
            assert_eq!(
                pair[0].end.succ_opt(),
                Some(pair[1].start),
                "gap or overlap at {}",
                pair[1].step
            );
        }
        for (span, step) in spans.iter().zip(&roadmap.steps) {
            assert_eq!(span.step, step.id);
            assert!(span.start <= span.end);
        }
    }
}

#[test]
fn bigger_steps_get_more_days() {
    let roadmap = bundled();
    let settings = PlanSettings {
        start: date("2027-01-01"),
        months: 24,
    };
    let spans = spread_steps(&roadmap, &settings).expect("plan");
    let (big, small) = {
        let mut by_hours = spans.clone();
        by_hours.sort_by(|a, b| a.hours.total_cmp(&b.hours));
        (
            by_hours.last().cloned().expect("steps"),
            by_hours[0].clone(),
        )
    };
    let days = |s: &roadmap_core::api::StepSpan| (s.end - s.start).num_days();
    assert!(big.hours > small.hours);
    assert!(
        days(&big) > days(&small),
        "{} h got {} days, {} h got {} days",
        big.hours,
        days(&big),
        small.hours,
        days(&small)
    );
}

#[test]
fn the_same_settings_give_the_same_spread() {
    let roadmap = bundled();
    let settings = PlanSettings {
        start: date("2027-03-01"),
        months: 10,
    };
    let a = serde_json::to_string(&spread_steps(&roadmap, &settings).expect("plan")).expect("json");
    let b = serde_json::to_string(&spread_steps(&roadmap, &settings).expect("plan")).expect("json");
    assert_eq!(a, b);
}

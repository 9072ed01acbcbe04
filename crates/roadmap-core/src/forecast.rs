//! The learner's own pace and an honest finish-date band.
//!
//! **Pace.** Every topic's estimate is the roadmap's guess for a motivated beginner. A finished
//! topic says how this learner compares: `log(actual / expected)`. Each skill area has a pace
//! factor `p_s`; a topic tagged with k skills is paced by the geometric mean of theirs. The
//! log-factors start from a prior centred on 1.0× ("the roadmap's guess"), a part shared by
//! every skill (`SHARED_SD`) and a part of each skill's own (`SKILL_SD`), and are updated by
//! Bayesian linear regression, each finished topic weighing in by how sure its own estimate
//! was (the spread of its low–high range, plus `TOPIC_SD`) and by its age (`fade`): a
//! shrinkage estimate that moves only as evidence comes in, never a raw ratio of two sessions.
//!
//! **Adherence.** The share of planned hours studied, week by week. Its mean has the vague
//! prior `N(ADHERENCE_PRIOR, ADHERENCE_PRIOR_SD²)`, older weeks counting less
//! (`WEEKS_HALF_LIFE`); the spread of weeks starts at `WEEK_SD` and is learned from them.
//!
//! **The band.** Before anything was studied, `runs` simulated futures of the roadmap's ranges
//! alone, studied as planned. After, `runs` simulated futures: each draws the skills' paces, the
//! learner's mean adherence and the share of topics they turn out to know already from their
//! posteriors, each open topic's effort from its low/expected/high range (triangular), and every
//! future week's adherence around that mean (log-normal); the pace then wanders by
//! `DRIFT_SD_MONTH` a month as the learner studies their availability (blocked-out days
//! excepted) times that week's adherence, from `as_of`, until the work left is done. The 50th,
//! 80th and 90th percentiles of those finish days are the band. The generator is seeded, so
//! the same data always gives the same band. `benches/learners.rs` holds the band to learners
//! unlike this model.

use chrono::{Datelike, Days, NaiveDate};

/// Prior spread of a learner's log pace factor, shared by every skill area (someone slow at
/// one thing tends to be slow at others), and of each skill's own deviation from it. Together
/// a skill's factor is 1.0× give or take about 0.36 in log terms: 0.7× or 1.4× are about one
/// standard deviation away.
pub const SHARED_SD: f64 = 0.3;
pub const SKILL_SD: f64 = 0.2;
/// How much one topic's effort varies beyond its estimate's range and the learner's pace (on
/// its logarithm): one topic that went quickly is not yet a fast learner.
pub const TOPIC_SD: f64 = 0.3;
/// Prior mean and spread of the share of planned hours a learner studies.
pub const ADHERENCE_PRIOR: f64 = 0.9;
pub const ADHERENCE_PRIOR_SD: f64 = 0.5;
/// How widely learners' mean shares are spread in fact (what the calibration tests draw
/// from): the prior above is deliberately vaguer, so that a learner unlike most is believed
/// after a few weeks rather than pulled toward the average.
pub const ADHERENCE_SPREAD: f64 = 0.2;
/// How much one week's adherence varies around the learner's mean.
pub const WEEK_SD: f64 = 0.2;
/// Weekly adherence is kept within these bounds (a week can hold more than was planned).
pub const ADHERENCE_MAX: f64 = 1.5;
/// Evidence fades: a finished topic or a past week counts half as much for every this many
/// weeks of age, so that a learner who changed (a slow start, a new job) is judged mostly by
/// how they study now.
pub const HALF_LIFE_WEEKS: f64 = 2.0;
/// The same for the share of planned hours studied, week by week: weeks are many and each
/// says little, so they fade more slowly.
pub const WEEKS_HALF_LIFE: f64 = 8.0;
/// How many weeks' worth of belief the prior spread of weeks ([`WEEK_SD`]) is worth: the
/// spread is learned from the weeks seen (lost weeks make it wider), starting from this.
pub const WEEK_SD_PRIOR_WEEKS: f64 = 4.0;
/// A learner's pace wanders over months, and no past can say where to: each simulated
/// future lets the log of the pace walk at random by this much a month from today, so the
/// band widens with the horizon.
pub const DRIFT_SD_MONTH: f64 = 0.05;
/// Prior belief about the share of topics a learner ticks off as known already (a beta
/// distribution's two counts: about 2 % expected, worth ten topics seen).
pub const KNOWN_PRIOR: (f64, f64) = (0.1, 2.9);
/// Futures simulated for a band.
pub const RUNS: u32 = 1000;
/// A future that has not finished after this many days is counted as "not within 20 years".
const HORIZON_DAYS: u64 = 20 * 366;

/// One topic as the forecast sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Work {
    /// The roadmap's range, hours.
    pub low: f64,
    pub expected: f64,
    pub high: f64,
    /// Indices of its skill areas.
    pub skills: Vec<usize>,
    /// Hours studied on it so far.
    pub studied: f64,
    pub state: WorkState,
    /// Weeks since it was finished, for a topic that was, or since its study began, for one
    /// being studied: its evidence fades with age ([`HALF_LIFE_WEEKS`]).
    pub age_weeks: f64,
}

/// How much evidence `age_weeks` old still counts, between 0 and 1.
pub fn fade(age_weeks: f64) -> f64 {
    0.5f64.powf(age_weeks.max(0.0) / HALF_LIFE_WEEKS)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkState {
    /// Still to study (or being studied).
    Open,
    /// Finished: its studied hours are evidence of pace.
    Done,
    /// Skipped, known already, or left out of the plan: neither work nor evidence.
    Out,
    /// Marked done with less than [`KNOWN_SHARE`] of its expected hours seen: counted as
    /// known already (neither work nor evidence), and said so.
    Known,
}

/// A topic marked done with less than this share of its expected hours studied in sight of
/// the app (sessions checked off, study logged) gives no evidence of pace: ticking topics off
/// without studying them read as speed.
pub const KNOWN_SHARE: f64 = 0.25;

/// What the forecast is made from.
#[derive(Debug, Clone)]
pub struct ForecastInput<'a> {
    pub as_of: NaiveDate,
    /// How many skill areas there are (indices in [`Work::skills`] are below it).
    pub skills: usize,
    pub work: &'a [Work],
    /// Past whole weeks: (hours planned, hours studied).
    pub weeks: &'a [(f64, f64)],
    /// Hours available on each weekday, Monday first.
    pub day_hours: [f64; 7],
    /// The single weeks (by Monday) whose hours differ: each weekday's, Monday first.
    pub one_off: &'a std::collections::BTreeMap<NaiveDate, [f64; 7]>,
    /// Blocked-out periods, first and last day.
    pub blocked: &'a [(NaiveDate, NaiveDate)],
    pub runs: u32,
    pub seed: u64,
}

/// A skill area's pace: the factor and how many hours of finished study it rests on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    pub factor: f64,
    pub evidence_hours: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// `None` when the work does not finish within 20 years (or there is no time at all).
    pub p50: Option<NaiveDate>,
    pub p80: Option<NaiveDate>,
    pub p90: Option<NaiveDate>,
    /// Per skill area, in index order.
    pub pace: Vec<Pace>,
    /// The share of planned hours studied over the past weeks; `None` before a whole week.
    pub adherence: Option<f64>,
    /// Whether anything the learner did informs the band (else it is the roadmap's ranges
    /// and the priors alone).
    pub evidence: bool,
    pub runs: u32,
}

/// The posterior over the skills' log pace factors: its mean and the Cholesky factor `r` of
/// its precision (`Λ = r rᵀ`, `r` lower triangular).
#[derive(Debug, Clone)]
pub struct PacePosterior {
    pub mean: Vec<f64>,
    r: Vec<f64>,
    n: usize,
    pub evidence_hours: Vec<f64>,
}

impl PacePosterior {
    /// Bayesian linear regression of each finished topic's `log(actual / expected)` on its
    /// skills (weights 1/k), with its own range as the noise.
    pub fn new(skills: usize, work: &[Work]) -> PacePosterior {
        let n = skills;
        // The prior's precision, (σ_s² I + σ_g² 11ᵀ)⁻¹, by Sherman–Morrison.
        let (vs, vg) = (SKILL_SD * SKILL_SD, SHARED_SD * SHARED_SD);
        let off = -vg / (vs * (vs + n as f64 * vg));
        let mut precision = vec![off; n * n];
        for i in 0..n {
            precision[i * n + i] = 1.0 / vs + off;
        }
        let mut b = vec![0.0; n];
        let mut evidence_hours = vec![0.0; n];
        for w in work {
            if w.state != WorkState::Done
                || w.studied <= 0.0
                || w.expected <= 0.0
                || w.skills.is_empty()
            {
                continue;
            }
            let (shift, var) = log_spread(w);
            // An older topic says less about the pace now.
            let var = var / fade(w.age_weeks).max(1e-6);
            let x = (w.studied / w.expected).ln() - shift;
            let k = w.skills.len() as f64;
            for &s in &w.skills {
                b[s] += x / (k * var);
                evidence_hours[s] += w.studied / k;
                for &t in &w.skills {
                    precision[s * n + t] += 1.0 / (k * k * var);
                }
            }
        }
        let r = cholesky(&precision, n);
        let mean = solve_lower_then_upper(&r, n, &b);
        PacePosterior {
            mean,
            r,
            n,
            evidence_hours,
        }
    }

    /// One draw of the log pace factors.
    fn sample(&self, rng: &mut Rng) -> Vec<f64> {
        // y = r⁻ᵀ z has covariance (r rᵀ)⁻¹ = Λ⁻¹.
        let n = self.n;
        let z: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let mut y = vec![0.0; n];
        for i in (0..n).rev() {
            let tail: f64 = (i + 1..n).map(|j| self.r[j * n + i] * y[j]).sum();
            y[i] = (z[i] - tail) / self.r[i * n + i];
        }
        y.iter().zip(&self.mean).map(|(y, m)| y + m).collect()
    }

    /// A topic's pace factor at the posterior mean (for "use my pace").
    pub fn factor(&self, skills: &[usize]) -> f64 {
        topic_log_pace(skills, &self.mean).exp()
    }
}

/// What the past weeks say about the share of planned hours the learner studies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Adherence {
    /// The posterior of its mean: mean and standard deviation.
    pub mean: f64,
    pub sd: f64,
    /// How much one week varies around it: [`WEEK_SD`] at first, then learned from the weeks.
    pub week_sd: f64,
}

/// The posterior of the learner's mean adherence, the recent weeks counting most (the last
/// of `weeks` is the most recent; see [`fade`]), and the spread of their weeks.
pub fn adherence_posterior(weeks: &[(f64, f64)]) -> Adherence {
    let seen: Vec<(f64, f64)> = weeks
        .iter()
        .enumerate()
        .filter(|(_, w)| w.0 > 0.0)
        .map(|(i, &(planned, studied))| {
            let age = (weeks.len() - 1 - i) as f64 + 0.5;
            (
                (studied / planned).clamp(0.0, ADHERENCE_MAX),
                0.5f64.powf(age / WEEKS_HALF_LIFE),
            )
        })
        .collect();
    let n: f64 = seen.iter().map(|s| s.1).sum();
    // The spread of weeks: a scaled inverse chi-squared update of the prior spread.
    let week_var = if n > 0.0 {
        let mean = seen.iter().map(|s| s.0 * s.1).sum::<f64>() / n;
        let squares: f64 = seen.iter().map(|s| s.1 * (s.0 - mean).powi(2)).sum();
        (WEEK_SD_PRIOR_WEEKS * WEEK_SD * WEEK_SD + squares) / (WEEK_SD_PRIOR_WEEKS + n)
    } else {
        WEEK_SD * WEEK_SD
    };
    let mut precision = 1.0 / (ADHERENCE_PRIOR_SD * ADHERENCE_PRIOR_SD);
    let mut sum = ADHERENCE_PRIOR * precision;
    for &(x, w) in &seen {
        precision += w / week_var;
        sum += w * x / week_var;
    }
    Adherence {
        mean: sum / precision,
        sd: precision.sqrt().recip(),
        week_sd: week_var.sqrt(),
    }
}

/// The finish-date band and the pace behind it.
pub fn forecast(input: &ForecastInput<'_>) -> Forecast {
    let posterior = PacePosterior::new(input.skills, input.work);
    let adherence = adherence_posterior(input.weeks);
    // The share of the topics reached that were ticked off as known already: each topic
    // still to come may be known too (a beta posterior, drawn near normal).
    let reached = input
        .work
        .iter()
        .filter(|w| matches!(w.state, WorkState::Done | WorkState::Known))
        .count() as f64;
    let known = input
        .work
        .iter()
        .filter(|w| w.state == WorkState::Known)
        .count() as f64;
    let (ka, kb) = (KNOWN_PRIOR.0 + known, KNOWN_PRIOR.1 + reached - known);
    let known_mean = ka / (ka + kb);
    let known_sd = (known_mean * (1.0 - known_mean) / (ka + kb + 1.0)).sqrt();
    let planned: f64 = input.weeks.iter().map(|w| w.0).sum();
    let studied: f64 = input.weeks.iter().map(|w| w.1).sum();
    let evidence = input.weeks.iter().any(|w| w.0 > 0.0)
        || input
            .work
            .iter()
            .any(|w| w.state == WorkState::Done && w.studied > 0.0);
    let pace = (0..input.skills)
        .map(|s| Pace {
            factor: posterior.mean[s].exp(),
            evidence_hours: posterior.evidence_hours[s],
        })
        .collect();

    // Topics not started are summed by skill set: within a set they share the drawn pace, and
    // the sum of their efforts is drawn at once from its mean and variance (many topics, so
    // near normal). A run then costs as many draws as there are skill sets, not topics, which
    // keeps a 1,000-topic roadmap's band quick enough to refresh on every change.
    let mut groups: std::collections::BTreeMap<&[usize], (f64, f64, f64)> =
        std::collections::BTreeMap::new();
    let mut started: Vec<&Work> = Vec::new();
    for w in input.work.iter().filter(|w| w.state == WorkState::Open) {
        if w.studied > 0.0 {
            started.push(w);
        } else {
            let (mean, var) = triangular_moments(w.low, w.expected, w.high);
            let g = groups.entry(w.skills.as_slice()).or_insert((0.0, 0.0, 0.0));
            g.0 += mean;
            g.1 += var;
            g.2 += mean * mean;
        }
    }
    let groups: Vec<(&[usize], f64, f64, f64)> = groups
        .into_iter()
        .map(|(k, (m, v, m2))| (k, m, v, m2))
        .collect();
    let mut rng = Rng::new(input.seed);
    // Each future: (days to the finish, weight). A topic being studied has taken `studied`
    // hours without being done, which says something: its effort is drawn from what is left of
    // its range above that, and the future is weighted by how likely that was at the drawn pace
    // (importance sampling of the censored evidence; without it the band comes out early).
    let mut finishes: Vec<(u64, f64)> = Vec::with_capacity(input.runs as usize);
    let weekly_hours: f64 = input.day_hours.iter().sum();
    let calendar = Calendar::new(input);
    // Before anything was studied there is nothing to learn from: the band is the roadmap's
    // ranges alone, studied exactly as planned (what the window then says it is).
    for _ in 0..input.runs {
        let log_pace = if evidence {
            posterior.sample(&mut rng)
        } else {
            vec![0.0; input.skills]
        };
        // Each topic not started is known already with chance `q`: the group's sum thinned.
        let q = if evidence {
            (known_mean + known_sd * rng.normal()).clamp(0.0, 0.95)
        } else {
            0.0
        };
        let mut left = 0.0;
        for &(skills, mean, var, m2) in &groups {
            let sd = ((1.0 - q) * var + q * (1.0 - q) * m2).sqrt();
            left += ((1.0 - q) * mean + sd * rng.normal()).max(0.0)
                * topic_log_pace(skills, &log_pace).exp();
        }
        let mut weight = 1.0;
        for w in &started {
            let pace = topic_log_pace(&w.skills, &log_pace).exp();
            // Its effort is at least what was studied at this pace; what that says about the
            // pace fades with the age of the study (spread since it began): a topic begun
            // slowly weeks ago says less about the pace now.
            let floor = triangular_cdf(w.low, w.expected, w.high, w.studied / pace);
            let seen = w.studied * fade(w.age_weeks / 2.0);
            weight *= 1.0 - triangular_cdf(w.low, w.expected, w.high, seen / pace);
            let u = floor + (1.0 - floor) * rng.uniform();
            let effort = triangular(w.low, w.expected, w.high, u);
            left += (effort * pace - w.studied).max(0.0);
        }
        let mean = if evidence {
            (adherence.mean + adherence.sd * rng.normal()).clamp(0.05, ADHERENCE_MAX)
        } else {
            1.0
        };
        let days = if weekly_hours <= 0.0 && left > 0.0 {
            u64::MAX
        } else if evidence {
            calendar.play_out(left, mean, adherence.week_sd, DRIFT_SD_MONTH, &mut rng)
        } else {
            calendar.play_out(left, mean, 0.0, 0.0, &mut rng)
        };
        finishes.push((days, weight));
    }
    finishes.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let total: f64 = finishes.iter().map(|f| f.1).sum();
    // Futures that all contradict the evidence (weights that vanish) count alike.
    let weighted = total > 1e-12;
    let at = |q: f64| -> Option<NaiveDate> {
        let last = finishes.last()?;
        let mut sum = 0.0;
        let mut days = last.0;
        for (i, &(d, w)) in finishes.iter().enumerate() {
            sum += if weighted {
                w / total
            } else {
                1.0 / finishes.len() as f64
            };
            if sum >= q - 1e-12 || i + 1 == finishes.len() {
                days = d;
                break;
            }
        }
        (days <= HORIZON_DAYS).then(|| input.as_of + Days::new(days))
    };
    Forecast {
        p50: at(0.5),
        p80: at(0.8),
        p90: at(0.9),
        pace,
        adherence: (planned > 0.0).then(|| studied / planned),
        evidence,
        runs: input.runs,
    }
}

/// The calendar from `as_of`: each day's available hours (none on blocked-out days), cut into
/// weeks that start on Mondays (the first may be short). Made once per forecast; each future
/// then walks it a week at a time.
struct Calendar {
    /// (first day's index, hours per day of the week's days, their sum)
    weeks: Vec<(u64, Vec<f64>, f64)>,
}

impl Calendar {
    fn new(input: &ForecastInput<'_>) -> Calendar {
        let mut weeks: Vec<(u64, Vec<f64>, f64)> = Vec::new();
        let mut day = input.as_of;
        for d in 0..=HORIZON_DAYS {
            let weekday = day.weekday().num_days_from_monday() as usize;
            let hours = if input.blocked.iter().any(|&(a, b)| a <= day && day <= b) {
                0.0
            } else {
                match input.one_off.get(&(day - Days::new(weekday as u64))) {
                    Some(week) => week[weekday],
                    None => input.day_hours[weekday],
                }
            };
            match weeks.last_mut() {
                Some(w) if weekday != 0 => {
                    w.1.push(hours);
                    w.2 += hours;
                }
                _ => weeks.push((d, vec![hours], hours)),
            }
            day = match day.checked_add_days(Days::new(1)) {
                Some(next) => next,
                None => break,
            };
        }
        Calendar { weeks }
    }

    /// Days from `as_of` until `hours` of study (at today's pace) are done, each week at its
    /// own adherence around `mean`, the pace wandering by `drift_month` a month (on its
    /// logarithm); `u64::MAX` past the horizon.
    fn play_out(
        &self,
        hours: f64,
        mean: f64,
        week_sd: f64,
        drift_month: f64,
        rng: &mut Rng,
    ) -> u64 {
        if hours <= 0.0 {
            return 0;
        }
        let drift_week = drift_month / (365.25f64 / 12.0 / 7.0).sqrt();
        // Each week's share is log-normal with the given mean and spread: never below
        // nothing, and (unlike a normal cut at zero) its mean is the learner's.
        let mean = mean.max(1e-6);
        let spread = (1.0 + (week_sd / mean).powi(2)).ln().sqrt();
        let mut log_pace = 0.0;
        let mut left = hours;
        for (first, days, total) in &self.weeks {
            let mut log_factor = mean.ln();
            if spread > 0.0 {
                log_factor += spread * rng.normal() - spread * spread / 2.0;
            }
            if drift_week > 0.0 {
                log_pace += drift_week * rng.normal();
            }
            let factor = (log_factor - log_pace).exp();
            if total * factor < left - 1e-9 {
                left -= total * factor;
                continue;
            }
            for (i, h) in days.iter().enumerate() {
                left -= h * factor;
                if left <= 1e-9 {
                    return first + i as u64;
                }
            }
        }
        u64::MAX
    }
}

fn topic_log_pace(skills: &[usize], log_pace: &[f64]) -> f64 {
    if skills.is_empty() {
        return 0.0;
    }
    skills
        .iter()
        .map(|&s| log_pace.get(s).copied().unwrap_or(0.0))
        .sum::<f64>()
        / skills.len() as f64
}

/// Mean and variance of `log(effort / expected)` for an effort drawn from the topic's range,
/// by midpoint quadrature on the triangular's quantiles (plus a floor, so a topic with no
/// range still leaves room for the learner's day-to-day).
fn log_spread(w: &Work) -> (f64, f64) {
    const POINTS: usize = 48;
    let mut sum = 0.0;
    let mut sq = 0.0;
    for i in 0..POINTS {
        let u = (i as f64 + 0.5) / POINTS as f64;
        let x = (triangular(w.low, w.expected, w.high, u) / w.expected).ln();
        sum += x;
        sq += x * x;
    }
    let mean = sum / POINTS as f64;
    (
        mean,
        (sq / POINTS as f64 - mean * mean).max(0.0) + TOPIC_SD * TOPIC_SD,
    )
}

/// The `u`-quantile of the triangular distribution on `[low, high]` with mode `mode`.
pub fn triangular(low: f64, mode: f64, high: f64, u: f64) -> f64 {
    let (low, high) = (low.min(mode), high.max(mode));
    if high <= low {
        return mode;
    }
    let f = (mode - low) / (high - low);
    if u < f {
        low + (u * (high - low) * (mode - low)).sqrt()
    } else {
        high - ((1.0 - u) * (high - low) * (high - mode)).sqrt()
    }
}

/// Mean and variance of the triangular distribution on `[low, high]` with mode `mode`.
pub fn triangular_moments(low: f64, mode: f64, high: f64) -> (f64, f64) {
    let (low, high) = (low.min(mode), high.max(mode));
    let mean = (low + mode + high) / 3.0;
    let var =
        (low * low + mode * mode + high * high - low * mode - low * high - mode * high) / 18.0;
    (mean, var.max(0.0))
}

/// The share of the triangular distribution on `[low, high]` (mode `mode`) below `x`.
pub fn triangular_cdf(low: f64, mode: f64, high: f64, x: f64) -> f64 {
    let (low, high) = (low.min(mode), high.max(mode));
    if x <= low {
        0.0
    } else if x >= high {
        1.0
    } else if x <= mode {
        (x - low) * (x - low) / ((high - low) * (mode - low))
    } else {
        1.0 - (high - x) * (high - x) / ((high - low) * (high - mode))
    }
}

/// Lower-triangular `r` with `r rᵀ = a` (a symmetric positive definite, n × n, row-major).
fn cholesky(a: &[f64], n: usize) -> Vec<f64> {
    let mut r = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let mut sum = a[i * n + j];
            for k in 0..j {
                sum -= r[i * n + k] * r[j * n + k];
            }
            r[i * n + j] = if i == j {
                sum.max(1e-12).sqrt()
            } else {
                sum / r[j * n + j]
            };
        }
    }
    r
}

/// Solves `r rᵀ x = b`.
fn solve_lower_then_upper(r: &[f64], n: usize, b: &[f64]) -> Vec<f64> {
    let mut y = vec![0.0; n];
    for i in 0..n {
        let mut sum = b[i];
        for k in 0..i {
            sum -= r[i * n + k] * y[k];
        }
        y[i] = sum / r[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let mut sum = y[i];
        for k in i + 1..n {
            sum -= r[k * n + i] * x[k];
        }
        x[i] = sum / r[i * n + i];
    }
    x
}

/// SplitMix64: small, fast and the same on every platform and version, which a forecast
/// that must give the same band for the same data needs more than statistical finesse.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
    /// The second normal of the last Box–Muller pair, not yet used.
    spare: Option<f64>,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng {
            state: seed,
            spare: None,
        }
    }
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in (0, 1).
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    /// Standard normal (Box–Muller, both of the pair used).
    pub fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        let (u, v) = (self.uniform(), self.uniform());
        let r = (-2.0 * u.ln()).sqrt();
        let (sin, cos) = (std::f64::consts::TAU * v).sin_cos();
        self.spare = Some(r * sin);
        r * cos
    }
}

// --- A saved plan's forecast ---------------------------------------------------------------

/// The seed every forecast uses: the same plan on the same day gives the same band.
const SEED: u64 = 0x5EED_2027;

/// What a saved plan says about the learner, owned, for a [`ForecastInput`].
pub struct PlanEvidence {
    pub work: Vec<Work>,
    pub weeks: Vec<(f64, f64)>,
    pub day_hours: [f64; 7],
    pub one_off: std::collections::BTreeMap<NaiveDate, [f64; 7]>,
    pub blocked: Vec<(NaiveDate, NaiveDate)>,
}

/// What a saved plan says about the learner: each topic's state and hours studied, the past
/// whole weeks, and the availability the future is studied in.
pub fn plan_input(record: &crate::progress::Record<'_>, today: NaiveDate) -> PlanEvidence {
    use crate::api::TopicMark;
    let roadmap = record.roadmap;
    let studied = record.studied();
    // The first day each topic's study was seen.
    let mut began: std::collections::HashMap<&str, NaiveDate> = std::collections::HashMap::new();
    let seen_days = record
        .sessions
        .iter()
        .filter(|s| s.is_study() && s.studied() > 0)
        .map(|s| (s.topic.as_str(), s.date))
        .chain(record.logs.iter().map(|l| (l.topic.as_str(), l.date)));
    for (topic, date) in seen_days {
        let first = began.entry(topic).or_insert(date);
        *first = (*first).min(date);
    }
    let work = roadmap
        .topics
        .iter()
        .map(|t| {
            let hours = record.settings.hours(t);
            let seen = f64::from(studied.get(t.id.as_str()).copied().unwrap_or(0)) / 60.0;
            let state = match record.marks.get(&t.id).map(|m| m.mark) {
                // Ticked off with little of its study seen: known already, for the forecast
                // (no work left, and no evidence of pace: it was not learned at this speed).
                Some(TopicMark::Done) if seen < KNOWN_SHARE * hours.expected => WorkState::Known,
                Some(TopicMark::Done) => WorkState::Done,
                Some(TopicMark::Skipped) => WorkState::Out,
                None if t.optional && !record.settings.include_optional => WorkState::Out,
                None => WorkState::Open,
            };
            Work {
                low: hours.low,
                expected: hours.expected,
                high: hours.high,
                skills: t
                    .skills
                    .iter()
                    .filter_map(|s| roadmap.skills.iter().position(|k| &k.id == s))
                    .collect(),
                studied: seen,
                state,
                age_weeks: match state {
                    WorkState::Done => record.marks.get(&t.id).map(|m| m.on),
                    WorkState::Open => began.get(t.id.as_str()).copied(),
                    _ => None,
                }
                .map_or(0.0, |on| (today - on).num_days().max(0) as f64 / 7.0),
            }
        })
        .collect();
    let this_monday = crate::progress::monday_of(today);
    let mut weeks = Vec::new();
    let mut m = crate::progress::monday_of(record.settings.start);
    while m < this_monday {
        let (planned, done) = record.week_minutes(m);
        weeks.push((f64::from(planned) / 60.0, f64::from(done) / 60.0));
        m = m + Days::new(7);
    }
    // The hours that reviews take are not there for study: the share of the planned time
    // ahead that the plan gives to reviews.
    let (mut ahead, mut reviews) = (0u64, 0u64);
    for s in record
        .sessions
        .iter()
        .filter(|s| s.status == crate::api::SessionStatus::Planned && s.date >= today)
    {
        ahead += u64::from(s.minutes);
        if !s.is_study() {
            reviews += u64::from(s.minutes);
        }
    }
    let study_share = if ahead == 0 {
        1.0
    } else {
        1.0 - reviews as f64 / ahead as f64
    };
    let hours = |a: &crate::schedule::availability::Availability| {
        let mut day_hours = [0.0; 7];
        for w in a.windows() {
            day_hours[usize::from(w.weekday)] += f64::from(w.minutes()) / 60.0 * study_share;
        }
        day_hours
    };
    let day_hours = record
        .settings
        .availability
        .as_deref()
        .and_then(|a| crate::schedule::availability::Availability::parse(a).ok())
        .map_or([0.0; 7], |a| hours(&a));
    let one_off = crate::schedule::availability::Weekly::one_off(&record.settings.weeks)
        .unwrap_or_default()
        .iter()
        .map(|(monday, a)| (*monday, hours(a)))
        .collect();
    let blocked = record
        .settings
        .blackouts
        .iter()
        .filter_map(|b| crate::schedule::availability::Blackout::parse(b).ok())
        .map(|b| (b.first, b.last))
        .collect();
    PlanEvidence {
        work,
        weeks,
        day_hours,
        one_off,
        blocked,
    }
}

/// The band for a saved plan as of `today`, beside the plan's own projected finish.
pub fn plan_view(
    record: &crate::progress::Record<'_>,
    today: NaiveDate,
    naive_end: Option<NaiveDate>,
) -> crate::api::ForecastView {
    let e = plan_input(record, today);
    let f = forecast(&ForecastInput {
        as_of: today,
        skills: record.roadmap.skills.len(),
        work: &e.work,
        weeks: &e.weeks,
        day_hours: e.day_hours,
        one_off: &e.one_off,
        blocked: &e.blocked,
        runs: RUNS,
        seed: SEED,
    });
    let mut view = crate::api::ForecastView {
        as_of: today,
        naive_end,
        p50: f.p50,
        p80: f.p80,
        p90: f.p90,
        adherence: f.adherence,
        pace: record
            .roadmap
            .skills
            .iter()
            .zip(&f.pace)
            .map(|(s, p)| {
                // The mean factor in force over the topics of this area still to study.
                let (sum, n) = record
                    .roadmap
                    .topics
                    .iter()
                    .zip(&e.work)
                    .filter(|(t, w)| w.state == WorkState::Open && t.skills.contains(&s.id))
                    .fold((0.0, 0u32), |(sum, n), (t, _)| {
                        (sum + record.settings.pace_of(&t.id), n + 1)
                    });
                crate::api::PaceView {
                    skill: s.id.clone(),
                    name: s.name.clone(),
                    factor: p.factor,
                    evidence_hours: p.evidence_hours,
                    in_force: if n == 0 { 1.0 } else { sum / f64::from(n) },
                }
            })
            .collect(),
        runs: f.runs,
        evidence: f.evidence,
        story: String::new(),
        topics_known: e
            .work
            .iter()
            .filter(|w| w.state == WorkState::Known)
            .count() as u32,
        hours_seen: e.work.iter().map(|w| w.studied).sum(),
    };
    view.story = story(&view);
    view
}

/// How far apart (days) the plan's finish and the band's middle may be and still read as
/// "about when the plan finishes".
const SAME_DAYS: i64 = 14;

/// The one sentence every view gives about the finish: where the most likely finish (the
/// band's middle) stands against the plan's own, and the biggest reason it differs: the
/// share of planned hours studied, or the skill area whose pace is furthest from the
/// estimates. Dates are not in it (each view shows them in its own way).
pub fn story(v: &crate::api::ForecastView) -> String {
    let mut out = if !v.evidence {
        "No study of yours has been seen yet: the band is the roadmap's estimates alone, studied as planned.".to_string()
    } else {
        let (Some(p50), Some(end)) = (v.p50, v.naive_end) else {
            return if v.p50.is_none() {
                "At this pace the plan does not finish within 20 years.".to_string()
            } else {
                "The plan has nothing left to schedule; the band is the work left at your pace."
                    .to_string()
            };
        };
        let days = (p50 - end).num_days();
        // The reasons, each with its effect on the finish in log terms (later is positive):
        // time studied against planned, and each skill's pace beyond what the plan allows.
        let mut reasons: Vec<(f64, String)> = Vec::new();
        if let Some(a) = v.adherence.filter(|a| *a > 0.0) {
            reasons.push((
                (1.0 / a).ln(),
                format!(
                    "you study {} % of the hours you plan",
                    (a * 100.0).round() as i64
                ),
            ));
        }
        for p in v
            .pace
            .iter()
            .filter(|p| p.evidence_hours > 0.0 && p.factor > 0.0)
        {
            let text = if (p.in_force - 1.0).abs() < 0.01 {
                format!("{} takes you {:.1}× the estimate", p.name, p.factor)
            } else {
                format!(
                    "{} takes you {:.1}× the estimate, and the plan allows {:.1}×",
                    p.name, p.factor, p.in_force
                )
            };
            reasons.push(((p.factor / p.in_force.max(0.01)).ln(), text));
        }
        // The biggest reason that points the way the band does.
        let direction = if days > SAME_DAYS {
            1.0
        } else if days < -SAME_DAYS {
            -1.0
        } else {
            0.0
        };
        let best = reasons
            .iter()
            .filter(|(effect, _)| {
                effect * direction >= 0.05 || (direction == 0.0 && effect.abs() >= 0.1)
            })
            .max_by(|a, b| {
                (a.0 * direction)
                    .abs()
                    .total_cmp(&(b.0 * direction).abs())
                    .then(a.0.abs().total_cmp(&b.0.abs()))
            });
        let reason = match (best, direction) {
            (Some((_, text)), _) => text.clone(),
            (None, d) if d > 0.0 => "work often takes longer than its expected hours (the estimates' ranges reach further above than below)".to_string(),
            (None, d) if d < 0.0 => "the work left is likely to take less than the plan allows".to_string(),
            (None, _) => "you study about as planned, at about the pace the plan expects".to_string(),
        };
        let lead = if days > SAME_DAYS {
            "Most likely later than the plan"
        } else if days < -SAME_DAYS {
            "Most likely earlier than the plan"
        } else {
            "Most likely about when the plan finishes"
        };
        format!("{lead}: {reason}.")
    };
    if v.topics_known > 0 {
        out.push_str(&format!(
            " {} {} ticked off with little study seen {} counted as known already.",
            v.topics_known,
            if v.topics_known == 1 {
                "topic"
            } else {
                "topics"
            },
            if v.topics_known == 1 { "is" } else { "are" },
        ));
    }
    out
}

/// Each topic's pace factor at the learner's estimated pace, for a replan that uses it: the
/// estimates in force from then on, shorter as well as longer ("behind" is measured against
/// them). `None` when nothing finished was studied in sight of the app: there is no pace to
/// use yet.
pub fn topic_factors(
    record: &crate::progress::Record<'_>,
    today: NaiveDate,
) -> Option<std::collections::BTreeMap<String, u32>> {
    let work = plan_input(record, today).work;
    if !work
        .iter()
        .any(|w| w.state == WorkState::Done && w.studied > 0.0)
    {
        return None;
    }
    let posterior = PacePosterior::new(record.roadmap.skills.len(), &work);
    Some(
        record
            .roadmap
            .topics
            .iter()
            .zip(&work)
            .map(|(t, w)| (t.id.clone(), percent(posterior.factor(&w.skills))))
            .collect(),
    )
}

/// A factor in whole percent, within 10 % to 1000 % (a pace is never nothing or endless).
fn percent(factor: f64) -> u32 {
    let p = (factor * 100.0).round();
    if p.is_finite() {
        p.clamp(10.0, 1000.0) as u32
    } else {
        100
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_triangular_quantile_and_share_undo_each_other() {
        for (low, mode, high) in [
            (1.0, 2.0, 4.0),
            (10.0, 10.0, 20.0),
            (3.0, 7.0, 7.0),
            (5.0, 5.0, 5.0),
        ] {
            for i in 1..20 {
                let u = f64::from(i) / 20.0;
                let x = triangular(low, mode, high, u);
                assert!((low..=high).contains(&x));
                if high > low {
                    assert!(
                        (triangular_cdf(low, mode, high, x) - u).abs() < 1e-9,
                        "{low} {mode} {high} at {u}"
                    );
                }
            }
        }
    }

    #[test]
    fn no_evidence_means_the_guess_and_no_time_means_no_date() {
        let work = vec![Work {
            low: 5.0,
            expected: 10.0,
            high: 20.0,
            skills: vec![0],
            studied: 0.0,
            state: WorkState::Open,
            age_weeks: 0.0,
        }];
        let day = NaiveDate::from_ymd_opt(2027, 1, 4).expect("date");
        let input = ForecastInput {
            as_of: day,
            skills: 1,
            work: &work,
            weeks: &[],
            day_hours: [0.0; 7],
            one_off: &Default::default(),
            blocked: &[],
            runs: 50,
            seed: 1,
        };
        let f = forecast(&input);
        assert_eq!((f.p50, f.evidence, f.adherence), (None, false, None));
        assert!((f.pace[0].factor - 1.0).abs() < 1e-12);
        let f = forecast(&ForecastInput {
            day_hours: [2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            one_off: &Default::default(),
            ..input
        });
        let (p50, p90) = (f.p50.expect("p50"), f.p90.expect("p90"));
        assert!(day < p50 && p50 <= p90);
    }
}

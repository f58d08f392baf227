// Package benefits matches the 2025 measures' benefits to enterprises without an application
// (免申即享, measure 二十; BENEFITS.md), on the same footing as the tier rules: each benefit is a
// dated rule (effective window, clause, explained conditions, cap) whose thresholds, rates, caps
// and windows are dated parameters (params/benefits.json, keys "benefit.*") an administrator
// can correct. It is pure Go: no database, web or template imports.
//
// Reading the spec where it is open (each decision is also noted at the code that carries it):
//
//   - Award year Y and evaluation date: a benefit is matched "for award year Y" on the
//     evaluation date EvalDate(Y) = Y-12-31, or today when that is later than today. The
//     parameters in force on that date apply, the benefit's effective window must contain it
//     (so B14 matches only award year 2025, B10 only up to 2026-12-31, and nothing before the
//     measures took effect on 2025-04-03), and titles must be valid on it.
//   - "专精特新" (BENEFITS.md): a current tier in benefit.title_tiers (specialized, little_giant)
//     whose valid_until ≥ the evaluation date; an absent valid_until counts as valid, as in the
//     tier rules. An innovative enterprise, or one whose title expired, "nearly" matches.
//   - B02-first-above-scale (措施二): industry group in benefit.B02.industry_groups (industrial;
//     information_transmission and software_it are *unconfirmed* and marked so), the profile's
//     规上 label with first 规上 year = Y. One-off (措施二 "一次性奖励"). Cap 50 万.
//   - B02-growth (措施二): same industries, first 规上 in Y−1, growth of year Y over Y−1 ≥ 10%
//     (< 30% → ≤ 20 万, ≥ 30% → ≤ 40 万). Growth is on output value (产值) when both years have
//     it, else on revenue (营收) — services report no output value. Treated as one-off too, as
//     the measure says "一次性奖励" (first 规上 in Y−1 fixes the year anyway).
//   - B03-little-giant-growth (措施三): current tier little_giant valid on the evaluation date;
//     the earliest 小巨人 certification (tier_events certified/recorded to little_giant) in 2023
//     or earlier — none on record is missing data; growth ≥ 20% in each of Y−1 (over Y−2) and
//     Y (over Y−1), output value or else revenue per pair of years; not seriously dishonest
//     (an unreported flag reads as false, the facts schema default); "files statistical
//     reports" is read as 规上 status — the registry has no reporting flag, and 规上 units are
//     the ones in the statistics bureau's direct reporting; the condition says so in the UI.
//     One-off ("≤ 50, once").
//   - B09, B12, B13-credit-interest, B13-guarantee, B19: matched on the title alone (KindCalculator);
//     the amount needs project figures, so it comes from Calculate or the grant record. B09's
//     loan-interest and leasing subsidies have no rate in the measures: only the special major
//     project (10% of approved investment, ≤ 1 亿) is computed. B13-guarantee is a cap check:
//     3000 万 per enterprise less the balance already guaranteed under the plan.
//   - B10 (SMEs, 2026-12-31) and B14 (2025 water surcharge) are information only (KindInfo):
//     shown as matches, never granted. B10 needs an SME size class (micro, small, medium).
//   - One-off: a grant (confirmed or paid) of the benefit in another award year excludes it
//     ("not offered again"); a grant for Y itself keeps it matched and shows the grant.
//   - Near: the benefit is in force, not matched, at most benefit.near.max_unmet conditions are
//     unmet and each could still be met (missing data, a growth rate, one rung below the title,
//     an expired title). Wrong industry, first-规上 year, a later 小巨人 certification, serious
//     dishonesty, a large size or an earlier grant rule a benefit out.
//   - Amounts are exact: caps in 分 (domain.Money), percentages in basis points, support rounded
//     down to the 分; growth thresholds are compared exactly in integers.
package benefits

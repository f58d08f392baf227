package eligibility

// Reading the spec (ELIGIBILITY.md) where it is open. Each decision is also noted at the code
// that carries it.
//
//   - Y is the year of as_of; "上年度" is Y−1. Niche years are (Dec 31 of Y−1 − niche_since) in
//     days / 365.25, literally (§1): a start on 2023-01-01 gives 1.9986 years at Y = 2025.
//   - Band edges go to the better band; comparisons use a 1e-12 relative tolerance so that a
//     value on an edge computed from decimal amounts is not lost to binary rounding (§0).
//   - A ratio with a zero denominator is undefined and never meets a threshold (0 points).
//   - Percentages are reported as percent numbers with unit "%" (3.5 means 3.5%).
//   - Absent facts are "missing". Inside the ip object an absent count is missing too; a points
//     indicator then scores the lower bound its known counts give and is reported missing.
//   - Lists: an absent awards / honours / quality list is "not reported" (missing); an empty
//     list means none. Exception: lg.exclusions reads an absent honours list as "not a 单项冠军",
//     in line with the schema's false defaults for the other exclusion flags.
//   - chuangke_rank and market_rank_domestic: the schema cannot say "not ranked" other than by
//     leaving them out, so absence means not ranked (fail), not missing. An award without a rank
//     cannot satisfy a ranked test and leaves it missing.
//   - Any-of criteria (direct routes, waivers, alternatives) pass if one alternative passes,
//     fail if all fail, else are missing. All-of criteria fail if one part fails, else are
//     missing if a part is missing. Sums of non-negative amounts over years pass as soon as the
//     known years reach the minimum.
//   - A score route with missing indicators is "missing" when full points for the missing data
//     would pass it, "fail" when even that would not; the total shown counts missing as 0.
//   - inn.direct: awards count at national or provincial level (the spec's words; ministerial is
//     left out, and the level list is a parameter). sp.ip (2026) accepts national, ministerial
//     and provincial awards ranked top 3. "近三年" for awards is Y−3 ≤ year ≤ Y.
//   - lg.xin (b) "own or joint R&D institution": any recognised level other than none.
//   - lg.xin (a) picks the ratio requirement by revenue Y−1 (≥ 1 亿: 3%; 5000 万–1 亿: 6%) and
//     applies it to each of Y−2 and Y−1.
//   - lg.field (2026): priority_field true or chain_role key_link.
//   - lg.te "owns its brand": own_brand, or "own_brand" in quality when own_brand is absent.
//   - prereq: current_tier's rank ≥ the tier below; valid when current_tier_valid_until ≥ as_of;
//     absent valid_until is taken as valid and the message says so. No grace period after expiry.
//   - Renewal skips only the growth parts marked in §5 (lg.zhuan growth, lg.scale CAGR) and reads
//     dev_score as "Y or Y−1 ≥ minimum"; inn.growth and the 2022 points growth are still scored.
//   - The miit-2022 specialized points indicators are reported as sp.pts.main_ratio, sp.pts.growth,
//     sp.pts.niche, sp.pts.chain, sp.pts.digital, sp.pts.quality, sp.pts.net_margin, sp.pts.debt,
//     sp.pts.local, sp.pts.ip, sp.pts.rd, sp.pts.rd_staff, sp.pts.rd_institution (route "score");
//     they feed sp.score_or_direct and are not required on their own.
//   - size is "unknown" when Y−1 employees (and, except for "other", revenue) are absent.
//   - Duplicate fiscal years in years[] are rejected: every rule would be ambiguous.

"""Numbers for synthetic reports, drawn from distributions calibrated on real reports.

Calibration (real reports in ../shared/corpus/real/truth and spec §1):

- Volume (new_received, total column). Spec §1: most small units receive no application.
  County governments (本机关): log-normal, median 45, sigma 0.8 (about 12–170; the 2024 report of
  淮安市洪泽区人民政府 has 95, the 平潭 regional summaries 70–81). Departments: zero with
  probability 0.45, else log-normal median 3 × the department's weight (自然资源局 3, 住建局 2.5,
  公安局 1.5, …). Townships: zero with probability 0.8, else 1 + Poisson(0.8). Volume drifts
  +8 % a year (淮安市 2024 has 3,119 applications; 平潭 rose 70 -> 74 -> 81 over 2021–2023).
- Applicant mix (column shares of new_received): natural persons 0.93, commercial 0.045, research
  0.002, social welfare 0.005, legal services 0.012, other 0.006 — pooled over the truth files
  (淮安 96.2 % natural persons, 平潭 91–99 %, 上海科委 94 %).
- Carry-over: carried_forward of each applicant column is Binomial(workload, 0.03) (淮安 3.3 %,
  上海科委 2.8 %, 平潭 0–1.4 %); carried_over(t) = carried_forward(t−1); the first year draws it the
  same way from a workload of one year's volume.
- Outcome shares over total_processed (pooled 淮安 2024, 洪泽 2024, 平潭 2021–2023, 上海科委 2024):
  granted 0.40, partial 0.13, not held 0.27, the eight denial grounds 0.065 together (admin query
  and enforcement file most common), need-creation 0.01, unclear 0.003, petitions 0.02, repeats
  0.01, other not-processed 0.004, other handling 0.06 (overdue correction half of it). Each agency
  perturbs these with a Dirichlet draw (concentration 60), then each column is a multinomial.
- Review and litigation: review ~ Poisson(0.04 N), direct litigation ~ Poisson(0.02 N), litigation
  after review ~ Poisson(0.01 N) with N = new_received (洪泽 2/1/3 of 95, 平潭 3/12/0 of 70,
  淮安 351/26/20 of 3,119); results maintained 0.55, corrected 0.15, other 0.20, pending 0.10.
- Proactive disclosure: no county-level body makes 规章 (rules are 0). County governments make
  Poisson(8) normative documents a year, repeal Poisson(3), and valid(t) = valid(t−1) + made −
  repealed from a start of 30–80 (平潭 88/55/698 is a whole region); departments Poisson(0.8)/(0.3);
  townships none. Licensing decisions: county governments log-normal median 2,500 (洪泽 9,487,
  平潭 2,293–10,690), punishment median 1,000, coercion median 40; departments about a tenth, and
  only half of them hold such powers; townships none. Fees (万元, two decimals): county governments
  median 3,000 (洪泽 7,545; 平潭 5,949–24,252), departments a tenth with probability 0.3.
- Templates: 2019–2020 reports use the 2019 format, 2021 on the 2021 format; an agency keeps a
  hybrid (single （六）其他处理 row) from 2022 with probability 0.1, and a township keeps the 2019
  format after 2020 with probability 0.05 (spec §2).
"""

from __future__ import annotations

import math
import random

from govstats.format import national_format
from govstats.synth.agencies import Agency

APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org")
APPLICANT_SHARES = (0.93, 0.045, 0.002, 0.005, 0.012, 0.006)
OUTCOME_SHARES: dict[str, float] = {
    "granted": 0.40,
    "partial": 0.13,
    "denied_state_secret": 0.002,
    "denied_law_forbidden": 0.008,
    "denied_three_safety": 0.003,
    "denied_third_party": 0.006,
    "denied_internal_affairs": 0.008,
    "denied_process_info": 0.008,
    "denied_enforcement_file": 0.01,
    "denied_admin_query": 0.02,
    "unable_not_held": 0.27,
    "unable_need_creation": 0.01,
    "unable_unclear": 0.003,
    "not_processed_petition": 0.02,
    "not_processed_repeat": 0.01,
    "not_processed_publication": 0.001,
    "not_processed_massive": 0.001,
    "not_processed_confirm": 0.002,
    "other_overdue_correction": 0.03,
    "other_overdue_fee": 0.002,
    "other_other": 0.028,
}
OTHER_2021 = ("other_overdue_correction", "other_overdue_fee", "other_other")
CARRY_RATE = 0.03
GROWTH = 1.08
REVIEW_RATES = {"review": 0.04, "litigation_direct": 0.02, "litigation_after_review": 0.01}
REVIEW_SHARES = {"maintained": 0.55, "corrected": 0.15, "other_result": 0.20, "pending": 0.10}

Values = dict[tuple[str, str, str], int | float]


def template_for(agency: Agency, year: int, rng: random.Random, sticky: dict) -> str:
    if year <= 2020:
        return "2019"
    if agency.level == "township" and sticky.setdefault("old", rng.random() < 0.05):
        return "2019"
    if year >= 2022 and sticky.setdefault("hybrid", rng.random() < 0.1):
        return "hybrid"
    return "2021"


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _multinomial(rng: random.Random, n: int, weights) -> list[int]:
    out = [0] * len(weights)
    if n <= 0:
        return out
    for i in rng.choices(range(len(weights)), weights=weights, k=n):
        out[i] += 1
    return out


def _binomial(rng: random.Random, n: int, p: float) -> int:
    return sum(1 for _ in range(n) if rng.random() < p) if n < 200 else _poisson(rng, n * p)


def _dirichlet(rng: random.Random, shares, concentration: float) -> list[float]:
    draws = [rng.gammavariate(s * concentration, 1.0) if s > 0 else 0.0 for s in shares]
    total = sum(draws) or 1.0
    return [d / total for d in draws]


def base_volume(agency: Agency, rng: random.Random) -> float:
    """Expected new applications in 2019 (0 for a unit that receives none)."""
    if agency.level == "county_gov":
        return rng.lognormvariate(math.log(45), 0.8)
    if agency.level == "department":
        return 0.0 if rng.random() < 0.45 else rng.lognormvariate(math.log(3 * agency.weight), 1.0)
    return 0.0 if rng.random() < 0.8 else 1 + rng.expovariate(1 / 0.8)


class Series:
    """One agency's reports over consecutive years: the carried-over and valid counts chain."""

    def __init__(self, agency: Agency, rng: random.Random) -> None:
        self.agency = agency
        self.rng = rng
        self.volume = base_volume(agency, rng)
        self.outcomes = _dirichlet(rng, list(OUTCOME_SHARES.values()), 60.0)
        self.carried = [_binomial(rng, n, CARRY_RATE) for n in self._applicants(self.volume)]
        gov = agency.level == "county_gov"
        self.valid = rng.randint(30, 80) if gov else (rng.randint(0, 10) if agency.level == "department" else 0)
        self.has_powers = gov or (agency.level == "department" and rng.random() < 0.5)
        self.fees = gov or (agency.level == "department" and rng.random() < 0.3)
        self.scale = 1.0 if gov else 0.1
        self.items = {k: rng.randint(5, 60) if self.has_powers else 0 for k in ("licensing", "other_services", "punishment", "coercion", "fees")}
        self.sticky: dict = {}

    def _applicants(self, volume: float) -> list[int]:
        n = _poisson(self.rng, volume) if volume < 30 else max(0, round(self.rng.gauss(volume, math.sqrt(volume))))
        return _multinomial(self.rng, n, APPLICANT_SHARES)

    def year(self, year: int) -> tuple[str, Values]:
        rng = self.rng
        template = template_for(self.agency, year, rng, self.sticky)
        v: Values = {}
        self._applications(template, v, year)
        self._review(v)
        self._disclosure(template, v)
        return template, v

    def _applications(self, template: str, v: Values, year: int) -> None:
        rng = self.rng
        new = self._applicants(self.volume * GROWTH ** (year - 2019))
        over = self.carried
        forward = [_binomial(rng, n + o, CARRY_RATE) for n, o in zip(new, over, strict=True)]
        processed = [n + o - f for n, o, f in zip(new, over, forward, strict=True)]
        rows = [r.code for r in national_format().tables["applications"].rows_for(template)]
        outcome_codes = list(OUTCOME_SHARES)
        per_col = [_multinomial(rng, p, self.outcomes) for p in processed]
        table: dict[str, list[int]] = {"new_received": new, "carried_over": over, "total_processed": processed, "carried_forward": forward}
        for i, code in enumerate(outcome_codes):
            table[code] = [col[i] for col in per_col]
        if "other_total" in rows:
            table["other_total"] = [sum(table[c][j] for c in OTHER_2021) for j in range(len(APPLICANTS))]
        for code in rows:
            counts = table[code]
            for col, n in zip(APPLICANTS, counts, strict=True):
                v[("applications", code, col)] = n
            v[("applications", code, "total")] = sum(counts)
        self.carried = forward

    def _review(self, v: Values) -> None:
        n = v[("applications", "new_received", "total")]
        shares = list(REVIEW_SHARES.values())
        for row, rate in REVIEW_RATES.items():
            counts = _multinomial(self.rng, _poisson(self.rng, rate * n), shares)
            for col, c in zip(REVIEW_SHARES, counts, strict=True):
                v[("review_litigation", row, col)] = c
            v[("review_litigation", row, "total")] = sum(counts)

    def _amount(self, median: float) -> int:
        return round(self.rng.lognormvariate(math.log(median * self.scale), 0.7)) if self.has_powers else 0

    def _disclosure(self, template: str, v: Values) -> None:
        rng, gov = self.rng, self.agency.level == "county_gov"
        made = _poisson(rng, 8 if gov else (0.8 if self.agency.level == "department" else 0))
        repealed = min(self.valid, _poisson(rng, 3 if gov else (0.3 if self.agency.level == "department" else 0)))
        self.valid += made - repealed
        decisions = {"licensing": self._amount(2500), "punishment": self._amount(1000), "coercion": self._amount(40)}
        fee = round(rng.lognormvariate(math.log(3000 * self.scale), 0.8), 2) if self.fees else 0
        d = "disclosure"
        if template == "2019":
            v[(d, "rules", "new_made")] = v[(d, "rules", "new_published")] = v[(d, "rules", "published_total")] = 0
            v[(d, "normative_documents", "new_made")] = made
            v[(d, "normative_documents", "new_published")] = made
            v[(d, "normative_documents", "published_total")] = self.valid
            decisions["other_services"] = self._amount(300)
            for row in ("licensing", "other_services", "punishment", "coercion"):
                change = rng.randint(-3, 3) if self.has_powers else 0
                prior = self.items[row]
                self.items[row] = max(0, prior + change)
                v[(d, row, "prior_items")] = prior
                v[(d, row, "change")] = self.items[row] - prior
                v[(d, row, "decisions")] = decisions[row]
            prior = self.items["fees"]
            self.items["fees"] = max(0, prior + (rng.randint(-2, 1) if self.fees else 0))
            v[(d, "fees", "prior_items")] = prior
            v[(d, "fees", "change")] = self.items["fees"] - prior
            items = _poisson(rng, 20 if gov else 0)
            v[(d, "procurement", "items")] = items
            v[(d, "procurement", "amount")] = round(items * rng.uniform(20, 200), 2) if items else 0
            return
        v[(d, "rules", "made")] = v[(d, "rules", "repealed")] = v[(d, "rules", "valid")] = 0
        v[(d, "normative_documents", "made")] = made
        v[(d, "normative_documents", "repealed")] = repealed
        v[(d, "normative_documents", "valid")] = self.valid
        for row, n in decisions.items():
            v[(d, row, "decisions")] = n
        v[(d, "fees", "amount_10k_yuan")] = fee

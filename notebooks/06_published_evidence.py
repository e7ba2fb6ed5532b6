# %% [markdown]
# # 6. Published evidence: how much do referrals help, and what can the studies tell us?
#
# **The question.** Career advice says that a referral beats a cold application. Studies
# have measured this, and netanalysis bundles a few of their tables, typed in from the
# publications with their citations. **What does each table say about referrals and other
# channels, what can it support (a rate? an interval? a test?) and what can it not, and how
# does one person's search compare?**
#
# The tables are analysed with the same functions as a job seeker's own log (`na.funnel`,
# `na.conversion`, `na.compare`, `na.plots`). The point of this notebook is that those
# functions will happily compute intervals and p-values for any table of numbers; whether
# the numbers are counts of independent people is something only the table's notes can
# tell you. You do not need the other notebooks to follow this one; notebook 1 introduces
# the functions on the sample seeker. Nothing here is random.

# %%
import warnings

import pandas as pd
from scipy.stats import chi2_contingency

import netanalysis as na

pd.set_option("display.width", 120)
pd.set_option("display.max_colwidth", 80)

# %% [markdown]
# ## The catalogue
#
# `na.datasets.published()` lists the tables: what kind each is (a `funnel`, or a
# `distribution`), its `unit` (real counts, or numbers per 100 applicants or per hire),
# where it comes from and how its numbers were checked.

# %%
catalog = na.datasets.published()
catalog[["kind", "unit", "title"]]

# %% [markdown]
# Always read a table's notes before testing anything. `na.datasets.describe(name)` prints
# them with the citation:

# %%
print(na.datasets.describe("fernandez_weinberg_1997"))

# %% [markdown]
# ## Fernandez & Weinberg (1997): referrals at a retail bank
#
# A large US retail bank's applicants for entry-level jobs (1993–95): of every 100
# applicants referred by an employee, 80 were interviewed and 38 offered a job; of 100
# external applicants without a referral, 26 and 12. Internal applicants (current
# employees) did best. The table is **per 100 applicants**: the study's group sizes are not
# in the sources that were checked.

# %%
fw = na.datasets.published("fernandez_weinberg_1997")
print("unit:", fw.attrs["unit"])
fw

# %%
na.plots.funnel(fw)

# %% [markdown]
# netanalysis reads the unit from `fw.attrs["unit"]`. On a table whose numbers are not
# counts, `na.conversion`, `na.compare`, `na.bayes` and the planning functions warn
# (`na.stats.UnitsWarning`) that their intervals and p-values assume counts of leads, and
# their findings speak of the table's unit instead of leads. This notebook computes those
# intervals on purpose, to show what they can and cannot say, so it shows the warning
# once and then silences it:

# %%
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    na.conversion(fw)
print(caught[0].message)
warnings.filterwarnings("ignore", category=na.stats.UnitsWarning)

# %% [markdown]
# **What it supports: rates and their ratios.** Percentages are what the table holds, so
# the rates of each step are valid, and so are ratios of rates:

# %%
fw_rates = na.conversion(fw)
fw_rates.table.pivot(index="group", columns=["from_stage", "to_stage"], values="rate").round(3)

# %% [markdown]
# Referred applicants were interviewed 3.1 times as often as non-referred ones (80% vs 26%)
# and offered a job 3.2 times as often (38% vs 12%). Once interviewed, the two groups were
# offered a job at almost the same rate (48% vs 46%): in this bank, the referral's
# advantage is in **getting to the interview**, not in what happens after.

# %%
fw_ratios = na.compare(fw, to_stage="offer", baseline="nonreferral").pairs
fw_ratios[["group_a", "group_b", "rate_a", "rate_b", "diff", "ratio", "odds_ratio"]]

# %% [markdown]
# **What it cannot support: intervals and tests.** `na.conversion` and `na.compare` read
# the table as 100 leads per group, because that is what the numbers say; the unit only
# earns a warning (above), it cannot tell them the real group sizes. Their intervals and
# p-values therefore describe an imaginary study of 100 applicants per group. Multiply the
# table by ten and the rates stay the same while every interval shrinks: the width came
# from the assumed size, not from the data.

# %%
as_if_100 = na.conversion(fw, from_stage="contacted", to_stage="offer").table
as_if_1000 = na.conversion(fw * 10, from_stage="contacted", to_stage="offer").table
pd.DataFrame(
    {
        "rate": as_if_100.set_index("group")["rate"],
        "CI if n = 100": as_if_100.set_index("group")[["ci_low", "ci_high"]]
        .round(2)
        .apply(tuple, axis=1),
        "CI if n = 1,000": as_if_1000.set_index("group")[["ci_low", "ci_high"]]
        .round(2)
        .apply(tuple, axis=1),
    }
)

# %% [markdown]
# The real study sampled more than half of 5,568 applications, so its true intervals are
# narrower than the "n = 100" ones, but how much narrower cannot be said from this table.
# Other limits: one employer, four entry-level jobs, the 1990s, and the employer's side
# (applicants screened by one bank), not a seeker's funnel across many employers.
#
# ## Lever (2016): candidates per hire
#
# An applicant-tracking company's customers, about 1,000 employers and over 4 million
# candidates: 1 hire for every 16 referred candidates, 22 from agencies, 72 sourced by
# recruiters and 152 who applied. The table is **per hire**: `contacted` is candidates per
# hire, `accepted` the one hire.

# %%
lever = na.datasets.published("lever_2016")
print("unit:", lever.attrs["unit"])
lever

# %%
lever_ratios = na.compare(lever, to_stage="accepted", baseline="applied").pairs
lever_ratios[["group_a", "group_b", "rate_a", "rate_b", "ratio"]]

# %% [markdown]
# A referred candidate was hired about 9.5 times as often as an applicant (1 in 16 against
# 1 in 152): this ratio is what the press release reported ("nearly 10 times as likely").
# The intervals and p-values that `na.compare` computes are meaningless here: they treat
# the 16 candidates per hire as if 16 people had been observed, when the study saw millions.
# Hidden behind the ratio: employers choose which candidates to source and referrers choose
# whom to refer, so the groups differ in more than the channel.
#
# ## Heath (1999): a distribution, not a funnel
#
# The Australian Youth Survey (teenagers, 1989–94) asked employed respondents how they
# found their job, and unemployed respondents what their main search method was. These are
# **real counts** of respondents, but of **two different groups of people**.

# %%
heath = na.datasets.published("heath_1999")
print(na.datasets.describe("heath_1999").notes)
heath

# %% [markdown]
# There is no funnel: nobody was followed from using a method to getting a job. The funnel
# functions refuse the table, because it has no stage columns:

# %%
try:
    na.conversion(heath)
except na.NetAnalysisError as err:
    print(f"{type(err).__name__}: {err}")

# %% [markdown]
# **What it supports: comparing the two distributions.** The share of each method among
# jobs found, against its share among the main methods of the unemployed. "Government
# program" does not apply to the unemployed, so it is left out of the comparison (the
# shares of the found jobs are computed without it too).

# %%
comparable = heath.dropna().astype("int64")
shares = comparable / comparable.sum()
shares.round(3)

# %% [markdown]
# Friends and relatives found about a third of the jobs (35% here, 33% counting government
# programmes) but were the main method of only 6% of the unemployed; the employment agency (CES) and newspapers were the reverse. A
# chi-square test of homogeneity says whether the two distributions differ by more than
# chance. netanalysis has no function for distributions, so this uses scipy directly:

# %%
test = chi2_contingency(comparable.to_numpy())
print(f"chi-square = {test.statistic:,.0f}, dof = {test.dof}, p = {test.pvalue:.1e}")

# %% [markdown]
# **What it cannot support: a success rate per method.** We do not know how many teenagers
# *tried* friends and relatives, only how many found a job that way and how many unemployed
# named it as their *main* method. People use several methods; a method that many use
# first will find many jobs even if it is not better. The difference in distributions is
# large and certain; why it arises is not in the table.
#
# ## How one person's search compares
#
# `sample_seeker` is one (synthetic) veteran's six-month search, 300 leads. Unlike the
# published tables, these are real counts of this person's own leads, so intervals and
# tests are valid, and small: 25 referrals against 131 job-board applications.

# %%
seeker = na.datasets.sample_seeker().events
mine = seeker[seeker["channel"].isin(["referral", "job_board"])]
to_interview = na.compare(mine, to_stage="interview", baseline="job_board")
to_offer = na.compare(mine, to_stage="offer", baseline="job_board")
print(to_interview.finding())
print()
print(to_offer.finding())

# %%
na.plots.forest(na.conversion(mine), pair="all")

# %% [markdown]
# Side by side: the ratio of the referral's rate to the cold application's rate in each
# source. Only the sample has intervals, because only the sample has counts.

# %%
fw_interview = na.compare(fw, to_stage="interview", baseline="nonreferral").pairs
side_by_side = [
    ("Fernandez & Weinberg 1997", "interview", fw_interview),
    ("Fernandez & Weinberg 1997", "offer", fw_ratios),
    ("Lever 2016", "hire", lever_ratios),
    ("sample_seeker (one person)", "interview", to_interview.pairs),
    ("sample_seeker (one person)", "offer", to_offer.pairs),
]
ratios = pd.DataFrame(
    [
        {"source": source, "outcome": outcome}
        | pairs.set_index("group_a").loc["referral", ["ratio", "ratio_low", "ratio_high"]].to_dict()
        for source, outcome, pairs in side_by_side
    ]
)
# The published tables are not counts: their intervals are not valid, so leave them out.
ratios.loc[~ratios["source"].str.startswith("sample"), ["ratio_low", "ratio_high"]] = None
ratios.round(2)

# %% [markdown]
# The sample's referral advantage (about 9 times the interview rate, 95% CI 3.4 to 23) is
# of the size the studies report (ratios from 3 to 9.5), but its interval is wide: with 25 referrals, anything
# from "a bit better than the bank's 3×" to "over twenty times" fits. For offers, 2 of 25
# against 3 of 131 is not enough to tell the channels apart at all (95% CI of the ratio
# 0.8 to 18). Because the sample is synthetic we can also look up what it was drawn from:
# a true interview rate of 36% for referrals against 5.4% for job boards (a ratio of 6.7),
# and offers 12.6% against 1.35% (a ratio of 9.3, inside the sample's wide interval).

# %%
na.datasets.truth("sample_seeker").loc[["referral", "job_board"], ["interview", "offer"]]

# %% [markdown]
# ## The answer, and its caveats
#
# **Every source agrees that referrals do much better than cold applications**: about 3
# times the interview and offer rates at one bank in the 1990s, about 9.5 times the hire
# rate across Lever's customers, and friends and relatives behind a third of the jobs
# Australian teenagers found while being the main method of only 6% of the unemployed.
# One person's six months (the sample) point the same way for interviews, with an interval
# too wide to say by how much.
#
# What each table can and cannot support:
#
# | table | unit | supports | does not support |
# |---|---|---|---|
# | Fernandez & Weinberg 1997 | per 100 applicants | rates per step, ratios of rates | intervals, tests (group sizes unknown) |
# | Lever 2016 | per hire | hire rates, ratios of rates | intervals, tests; a seeker-side rate |
# | Heath 1999 | counts | comparing two distributions (shares, chi-square) | a success rate per method; a funnel |
# | sample_seeker | counts | rates, intervals, tests (one person) | generalising to other people |
#
# Caveats:
#
# * **Units.** `na.conversion` and `na.compare` compute intervals and p-values for any
#   table of integers. They warn (`UnitsWarning`) when `table.attrs["unit"]` says the
#   numbers are not counts, but a table typed in by hand carries no unit: read the
#   catalogue or the study, and drop the interval columns when the unit is not `count`.
# * **Employer side vs seeker side.** The bank and Lever count candidates screened by
#   employers; a seeker's funnel counts their own applications across many employers. The
#   ratios are comparable in spirit, not in definition.
# * **Selection.** Referred candidates are chosen by the referrer, sourced candidates by
#   the recruiter, and in the survey each teenager chose their methods. None of these
#   tables shows what a referral would do for a given applicant; they show how different
#   the channels' results are.
# * **Time and place.** A bank in 1993–95, US employers in 2015–16, Australian teenagers in
#   1989–94: the size of the advantage may differ today and for you.

# %% [markdown]
# # 5. A cohort: does the veterans' network beat LinkedIn?
#
# **The question.** A veterans' transition programme tracks the job search of its 150
# members. Pooled over everybody, contacts made through the veterans' network (an
# *industry or affinity group*) turn into interviews more often than LinkedIn outreach.
# Should the programme tell every member to drop LinkedIn and work the veterans' network?
#
# This notebook answers the question the coordinator should be asking instead: **for the
# same seeker, which of the two channels turns contacts into interviews more often, and how
# sure can we be?** On the way it shows why the pooled comparison points the wrong way
# (Simpson's paradox), and the three tools that compare like with like:
#
# * `na.stratified`: Cochran–Mantel–Haenszel, comparing within strata (seniority, seekers),
#   with a test of whether the odds ratio is the same in every stratum;
# * `na.model`: logistic regression with covariates and standard errors clustered by seeker;
# * the pooled `na.compare`, which is what most dashboards show.
#
# The data are `sample_cohort`, a synthetic programme bundled with netanalysis
# (`data/README.md` documents how it was generated; the people are invented). Because it
# is synthetic we know the truth and can check the answers against it. Nothing here is
# random, so there is no seed to set. You do not need the other notebooks to follow this
# one; notebook 2 explains the pairwise tests used by `na.compare` in more detail.

# %%
import pandas as pd

import netanalysis as na

pd.set_option("display.width", 120)
pd.set_option("display.max_columns", 20)

# %% [markdown]
# ## The data
#
# One long events file: one row per event (`contacted`, `responded`, `interview`, `offer`,
# ...) of each lead, with the seeker's `seniority` (junior, mid, senior), service `branch`
# and intake `wave` as extra columns. Loading reports what was read and kept.

# %%
cohort = na.datasets.sample_cohort()
events = cohort.events
cohort

# %%
seekers = events.drop_duplicates("seeker")
print(f"{len(seekers)} seekers, {events['lead'].nunique():,} leads, {len(events):,} events")
seekers["seniority"].value_counts().to_frame("seekers")

# %% [markdown]
# The funnel per channel for the whole programme: how many leads reached each stage.

# %%
counts = na.funnel(events, by="channel")
counts

# %%
na.plots.funnel(counts, normalize=True)

# %% [markdown]
# **The same call on bigger data.** A programme with millions of logged interactions does
# not need them in memory: `na.scan` opens the Parquet (or CSV) files as a lazy DuckDB
# frame, maps columns and labels exactly as `na.load` does, and every function above runs
# inside DuckDB, returning the same small table. Dask and PySpark frames (the `scale`
# extra: `pip install "netanalysis[scale]"`) are accepted the same way.

# %%
lazy = na.scan(na.datasets.path("sample_cohort"))  # nothing is loaded yet
same = na.funnel(lazy, by="channel")
print("DuckDB gives the same counts:", same.equals(counts))
try:
    import dask.dataframe as dd
except ImportError:
    print("Dask is not installed: pip install 'netanalysis[scale]'")
else:
    on_dask = na.funnel(dd.from_pandas(events, npartitions=4), by="channel")
    print("Dask gives the same counts:", on_dask.equals(counts))
lazy.summary()[["source", "rows_read", "rows_kept", "rows_rejected"]]

# %% [markdown]
# ## The pooled comparison
#
# Take the two channels in question and compare the share of contacts that led to an
# interview, pooling every member's leads, as a programme dashboard would.

# %%
pair = ["linkedin", "industry_group"]
two = events[events["channel"].isin(pair)]
pooled = na.compare(two, to_stage="interview")
print(pooled.finding())

# %%
na.plots.forest(na.conversion(two, from_stage="contacted", to_stage="interview"))

# %% [markdown]
# Pooled, the veterans' network wins clearly: 18% of its contacts led to an interview
# against 13% for LinkedIn, and the test says the difference is not chance. But the
# finding already warns twice: the leads of one seeker are not independent, and within
# seekers the comparison goes the other way. Before believing either, look at **who** uses
# each channel.
#
# ## Why the pooled number misleads
#
# Two facts about the programme, each visible in the data:
#
# 1. **Seniority changes the channel mix.** Juniors send most of these contacts through
#    LinkedIn; seniors mostly through the veterans' network.

# %%
by_seniority = na.funnel(two, by=["seniority", "channel"])["contacted"].unstack()
by_seniority.assign(share_linkedin=by_seniority["linkedin"] / by_seniority.sum(axis=1))

# %% [markdown]
# 2. **Seniority changes the success rate on every channel.** Senior members reach an
#    interview about five times as often as juniors, whatever the channel.

# %%
by_level = na.conversion(events, by="seniority", from_stage="contacted", to_stage="interview")
na.plots.forest(by_level)

# %% [markdown]
# So the veterans' network collects the contacts of the members who succeed most anyway.
# Its pooled rate mixes *how good the channel is* with *how senior its users are*. Splitting
# by seniority separates the two: within every seniority level, LinkedIn does better.

# %%
cells = two.assign(group=two["seniority"] + " · " + two["channel"].astype(str))
na.plots.forest(na.conversion(cells, by="group", from_stage="contacted", to_stage="interview"))

# %% [markdown]
# This reversal (a difference that holds in every subgroup but flips when the subgroups
# are pooled) is **Simpson's paradox**. It is not a quirk of small samples: here the pooled
# groups hold 877 and 1,170 leads. It happens whenever a third factor drives both the
# choice of channel and the chance of success.
#
# ## Comparing within seniority: Cochran–Mantel–Haenszel
#
# `na.stratified` builds one 2×2 table (channel × interview or not) per stratum and pools
# them with the Mantel–Haenszel method: a common odds ratio with its interval, the
# Cochran–Mantel–Haenszel test of "no difference within strata", and the Breslow–Day test
# of whether the odds ratio is the same in every stratum (homogeneity). The pooled (crude)
# odds ratio is reported beside it, and the finding says when the two disagree.

# %%
within_level = na.stratified(events, groups=pair, strata="seniority")
print(within_level.finding())

# %%
within_level.pairs[
    ["group_a", "group_b", "crude_or", "odds_ratio", "or_low", "or_high", "p_value",
     "homogeneity_p", "simpson"]
]  # fmt: skip

# %%
within_level.by_stratum

# %% [markdown]
# Within seniority, LinkedIn contacts have about 1.6 times the odds of leading to an
# interview (95% CI 1.2–2.1), while the pooled odds ratio is 0.65: the flag `simpson` is
# set. The homogeneity test finds no sign that the odds ratio differs between juniors,
# mid-level and seniors (p ≈ 0.2), so one common odds ratio is a fair summary. Had it been
# small, the advice would have to differ by seniority and `by_stratum` would show how.
#
# ## Comparing within each seeker
#
# Seniority is one reason members differ; there are others we did not record (field,
# location, how much time they have). Stratifying by **seeker** compares each member's
# LinkedIn contacts with *their own* veterans'-network contacts, whatever makes members
# differ.

# %%
within_seeker = na.stratified(events, groups=pair, strata="seeker")
print(within_seeker.finding())

# %%
within_seeker.pairs[
    ["odds_ratio", "or_low", "or_high", "p_value", "homogeneity_p", "strata_used",
     "strata_total"]
]  # fmt: skip

# %% [markdown]
# The answer holds: about 1.6 times the odds for LinkedIn within seekers. Note the price:
# only members who used **both** channels, and whose leads there did not all end the same
# way, carry information: 73 of 150. A member who used one channel only says nothing about
# the comparison within a seeker.
#
# ## A model: channel, seniority, and standard errors clustered by seeker
#
# Logistic regression gives the same kind of answer for every channel at once and takes
# covariates. Leads of one member share that member's skill and market, so they are not
# independent; `cluster="seeker"` makes the standard errors honest about it (cluster-robust,
# with 150 clusters).

# %%
adjusted = na.model(
    two, to_stage="interview", covariates=["seniority"], cluster="seeker", baseline="industry_group"
)
print(adjusted.finding())
adjusted.terms

# %% [markdown]
# What clustering changes: the same model fitted as if all 2,047 leads were independent.
# For the channel term the standard errors barely differ, because that comparison runs
# largely within members. For seniority, a trait of the member rather than of the lead,
# the independent-leads standard errors are about a quarter too small: their intervals
# would be too narrow and their p-values too optimistic.

# %%
naive = na.model(
    two, to_stage="interview", covariates=["seniority"], cluster=None, baseline="industry_group"
)
pd.DataFrame(
    {
        "clustered by seeker": adjusted.terms.set_index("term")["se"],
        "leads as independent": naive.terms.set_index("term")["se"],
    }
).rename_axis("standard error of")

# %% [markdown]
# ### Every channel at once
#
# The same model over all eight channels, with job-board applications as the baseline:

# %%
all_channels = na.model(events, to_stage="interview", covariates=["seniority"], cluster="seeker")
print(all_channels.finding())

# %% [markdown]
# ### A covariate that does nothing, and a false alarm
#
# The generator gave `branch` (Army, Navy, ...) **no** effect at all (see `data/README.md`).
# Adding `branch` and `wave` to the model adds six more terms, and one of them looks
# "significant":

# %%
more = na.model(
    two,
    to_stage="interview",
    covariates=["seniority", "branch", "wave"],
    cluster="seeker",
    baseline="industry_group",
)
more.terms[["term", "odds_ratio", "or_low", "or_high", "p_value"]]

# %% [markdown]
# Air Force members appear to do worse (p < 0.01) although branch cannot matter here: with
# many terms, some cross the 5% line by chance. The LinkedIn odds ratio hardly moves (1.56),
# which is what matters for the question. Read covariate terms you did not set out to test
# as hints, not findings.
#
# ## Checking against the truth
#
# The generator knows the true interview rates of a typical member of each seniority level
# on each channel (`na.datasets.truth("sample_cohort")`). LinkedIn is better in every row,
# with true odds ratios between about 1.35 and 1.5; the intervals above (1.2 to 2.1 within
# seniority, 1.2 to 2.3 within seekers) cover them.

# %%
truth = na.datasets.truth("sample_cohort")
truth.loc[(slice(None), pair), ["share", "typical_interview"]].unstack("channel")

# %% [markdown]
# ## The answer, and its caveats
#
# **For the same member, LinkedIn outreach led to an interview more often than the
# veterans' network**: about 1.6 times the odds (95% CI about 1.2 to 2.1), whether we
# compare within seniority levels, within each member, or in a logistic regression with
# seniority and standard errors clustered by seeker. The pooled comparison, in which the
# veterans' network looks 1.4 times as good, is Simpson's paradox: senior members succeed
# on every channel and use the veterans' network most.
#
# What it means for advice:
#
# * Programme-wide rates describe **who uses** a channel as much as the channel itself.
#   Advice to an individual ("which channel should *you* spend the next hour on?") should
#   come from comparisons within seekers (`na.stratified(strata="seeker")`, or
#   `na.model(..., cluster="seeker")`), never from pooled rates alone.
# * The veterans' network is not useless: within seniors its rate is close to LinkedIn's,
#   and it is where seniors find most of their interviews. "Drop it" is not the lesson;
#   "don't judge it by the pooled rate" is.
# * When a comparison matters, look at the strata (`by_stratum`) and the homogeneity test:
#   an effect that differs between groups needs advice that differs too.
#
# Caveats:
#
# * **Selection remains.** Comparing within a seeker removes differences *between* members,
#   not the choices each member makes: people may message on LinkedIn the contacts they
#   already expect to answer. This is association, not proof that switching channels would
#   change anyone's results; only an experiment (randomising the channel) could show that.
# * **Open leads.** 136 of the 2,047 leads were still open at the export date and count as
#   not (yet) reaching an interview. Notebook 3 shows how `na.time_to` handles them.
# * **Who carries the answer.** Within seekers, 73 of 150 members carry all the
#   information; if members who use both channels differ from the rest, the answer may not
#   apply to everybody.
# * **Synthetic data.** The cohort was built to contain this paradox, so that it can be
#   shown and checked; a real programme's data may or may not show one. The tools are the
#   same either way.

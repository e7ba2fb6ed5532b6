# %% [markdown]
# # 1. Quickstart: what does my job-search log say, and how sure can I be?
#
# You kept a spreadsheet of applications and a log of networking messages for six months.
# Which channels got you replies and interviews, and how much of that could be luck?
#
# This notebook goes from files to an answer in five steps: **load** the files, check
# what was **rejected** and why, count the **funnel** per channel, compute **conversion
# rates with confidence intervals**, and draw them. It uses `sample_seeker`, a synthetic
# (invented) veteran's six-month search bundled with netanalysis: 300 leads kept in two
# files, a tracker sheet of applications and a log of networking messages. Nothing here
# needs the internet or your own data (to use your own files, pass their paths to
# `na.load` instead), and nothing in it is random.
#
# Words used throughout: a **lead** is one application or one conversation thread with
# one contact; its **channel** is how it started (job board, LinkedIn, referral, ...);
# the **funnel** is *contacted → responded → interview → offer*.

# %%
import pandas as pd

import netanalysis as na

pd.set_option("display.max_colwidth", 200)  # show the reasons in full
na.datasets.describe("sample_seeker")

# %% [markdown]
# ## 1. Load the files
#
# `na.load` takes a file, a folder or a list of them, works out what each file is (a wide
# tracker sheet with one row per application, a long log with one row per interaction,
# a LinkedIn export, ...) and returns a `LoadResult`. Its summary says, per file, how many
# rows were read, kept and rejected, and how each column was understood. Read the notes:
# where a column was *guessed*, check the guess.

# %%
res = na.load(na.datasets.path("sample_seeker"))
res

# %% [markdown]
# ## 2. What was rejected, and why
#
# Nothing is dropped silently. Every row that could not become an event is in
# `res.rejected`, with its file, row number, the offending column and value, and the
# reason. Here four rows were rejected on purpose: two postings saved but never applied
# to (not a lead yet), a row pasted twice (an exact duplicate), and a step netanalysis
# does not know ("Thank-you note"; the reason says how to keep it with `stage_map=`).

# %%
res.rejected[["source", "source_row", "column", "value", "reason"]]

# %% [markdown]
# The rows that were kept are now **events** in one canonical table: one row per thing
# that happened to a lead, with its channel, stage and time. The channel labels as you
# wrote them are kept in `channel_raw`; here is how they were mapped (note that
# "LinkedIn Easy Apply" counts as a job-board application, not as networking on LinkedIn).
#
# The events also hold contact names and notes. They stay on your machine: reports
# pseudonymise them by default.

# %%
events = res.events
events.groupby(["channel", "channel_raw"], observed=True)["lead"].nunique().rename("leads")

# %% [markdown]
# ## 3. The funnel per channel
#
# `na.funnel` follows every lead to the furthest stage it reached and counts, per
# channel, how many leads reached each stage. Reaching a stage counts for the earlier
# ones too (an interview without a logged reply still counts as a response), so the
# counts never increase from left to right.

# %%
counts = na.funnel(events, by="channel")
counts

# %% [markdown]
# With `normalize=True` each channel is drawn as a share of its own leads, so that the
# 131 job-board applications and the 11 recruiter leads can be compared; hover for counts.

# %%
na.plots.funnel(counts, normalize=True)

# %% [markdown]
# ## 4. Rates with honest intervals
#
# A rate from a handful of leads is a rough estimate: 5 interviews from 11 recruiter leads
# is 45%, but the true rate could easily be 20% or 70%. `na.conversion` gives every rate
# with a 95% confidence interval (Wilson's by default, which stays accurate for small
# counts) and says the result in words, with the caveats that apply to these data.
#
# We pass the events rather than the counts, so that netanalysis also knows how many
# leads are still open (a lead contacted last week may still get an interview).

# %%
rates = na.conversion(events, by="channel", from_stage="contacted", to_stage="interview")
rates

# %% [markdown]
# The same sentence is available as text, for a report or an e-mail:

# %%
print(rates.finding())

# %% [markdown]
# ## 5. One chart
#
# The forest plot shows each channel's rate (dot) and its 95% interval (bar), highest on
# top, with *k/n* on the right and the rate of all channels together as a dashed line.
# Wide bars are small samples; they are the honest picture, not a defect.

# %%
na.plots.forest(rates)

# %% [markdown]
# ## Check against the truth
#
# Because `sample_seeker` is synthetic, we know the true rates it was drawn from
# (`na.datasets.truth`). With real data you never do, which is why the intervals matter.
# A 95% interval should contain the true rate for most channels, and the point estimates
# can be far off for small channels by chance alone.

# %%
truth = na.datasets.truth("sample_seeker")["interview"]
table = rates.to_pandas()
table["true_rate"] = table["channel"].map(truth)
table["inside"] = table["true_rate"].between(table["ci_low"], table["ci_high"])
table[["channel", "k", "n", "rate", "ci_low", "ci_high", "true_rate", "inside"]]

# %% [markdown]
# ## Answer
#
# In this search, about one lead in nine led to an interview. Referrals (9 of 25) and
# recruiter leads (5 of 11) did best, and job-board applications (5 of 131) worst: even
# the top of the job-board interval is below the bottom of the referral interval.
#
# **Caveats.** Most channels have 11 to 40 leads, so their intervals are wide and
# overlap; whether two channels really differ is a *test* (notebook 2), not a matter of
# eyeballing intervals. Some leads are still open, so these rates are lower bounds
# (notebook 3 handles time and open leads). The channels were chosen by the seeker, not
# assigned at random, so a high rate is an association, not proof that the channel
# causes interviews. And this is one person's search: their leads share one CV, one
# market and one season.
#
# **Next:** [2. Which channel works?](02_which_channel_works.ipynb) tests the differences;
# [3. Networking takes time](03_networking_takes_time.ipynb) looks at how long replies
# take; [7. Planning](07_planning.ipynb) asks how many more leads would make a
# difference clear.

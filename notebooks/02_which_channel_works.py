# %% [markdown]
# # 2. Which channel works? Testing three pieces of networking advice
#
# Job-search advice makes three claims again and again:
#
# 1. **Face-to-face networking and referrals beat passive online applications.**
# 2. **Professional networks (LinkedIn) beat recreational social media (Facebook,
#    Instagram, Reddit)** for a job search.
# 3. **Industry and affinity groups** (professional associations, alumni and veterans'
#    networks) **are worth joining.**
#
# Does one person's search log support them? This notebook tests each claim on the
# bundled `sample_seeker` (a synthetic veteran's six-month search, 300 leads; notebook 1
# shows how it loads), first broadly by **mode** (how a lead started: passive online,
# online social, affinity group, in person, direct person-to-person) and then narrowly by
# **channel**. Along the way: what an omnibus test and pairwise tests are, why p-values
# are adjusted when many comparisons are made, how to read the finding sentences, and
# what a log like this cannot tell you however the numbers come out.

# %%
import netanalysis as na

events = na.load(na.datasets.path("sample_seeker")).events
na.funnel(events, by="mode")

# %% [markdown]
# ## The plan (fix it before running any test)
#
# * **Outcome.** The main outcome is reaching an **interview** (contacted → interview):
#   it is what a channel is for, and offers are too few here (6 in six months) to test.
#   Getting a **response** (contacted → responded) is a secondary outcome.
# * **Comparisons.** Claims 1 and 3 compare a channel with passive online applications,
#   so passive online applications (`online_passive` mode, `job_board` channel) are the
#   **baseline**. Claim 2 compares two channels of the same mode (`linkedin` and
#   `social_media` are both `online_social`), so it can only be tested by channel.
# * **Errors.** A difference is called *clear* when its p-value, adjusted for the number
#   of comparisons in its family with Holm's method, is at most 5%.
#
# ## The broad picture: by mode
#
# First the rates with their 95% intervals. Overlapping intervals do not mean "no
# difference", and separate ones are not a test; the tests come next.

# %%
by_mode = na.conversion(events, by="mode", from_stage="contacted", to_stage="interview")
na.plots.forest(by_mode)

# %% [markdown]
# `na.compare` answers two questions. The **omnibus** test asks whether all groups could
# share one rate (a chi-square test when every expected count is at least 5, otherwise an
# exact test, here by Monte Carlo with a fixed seed so the p-value is reproducible). The
# **pairwise** comparisons ask which groups differ from the baseline, each with the ratio
# of rates and its interval, the test used (named in the `test` column) and the p-value
# adjusted for the number of pairs (`p_adjusted`, Holm by default).

# %%
modes = na.compare(
    events, by="mode", to_stage="interview", baseline="online_passive", adjust="holm", seed=0
)
modes.omnibus

# %%
columns = ["group_a", "group_b", "k_a", "n_a", "k_b", "n_b", "ratio", "ratio_low", "ratio_high"]
modes.pairs[[*columns, "test", "p_value", "p_adjusted"]]

# %% [markdown]
# Every result can state its finding in words, with the caveats its data trigger:

# %%
print(modes.finding())

# %% [markdown]
# By mode, only the `direct` mode (referrals, recruiters and cold e-mails together) is
# clearly ahead of passive online applications for interviews. Meeting people in person
# (3 interviews from 31 leads) and affinity groups (2 from 22) did better than job
# boards (5 from 131) on paper, but not clearly. Mixing referrals with cold e-mails in
# one mode also hides the referral part of claim 1, so we look by channel.
#
# ## By channel, against job-board applications

# %%
channels = na.compare(events, by="channel", to_stage="interview", baseline="job_board", seed=0)
channels.pairs[[*columns, "test", "p_value", "p_adjusted"]]

# %%
print(channels.finding())

# %% [markdown]
# ## Claim 2: LinkedIn against recreational social media
#
# This is one planned comparison, so we test just that pair. (The `social_media` channel
# here is Instagram, Reddit and Facebook groups: the log has only 3 Facebook leads, too
# few for a channel of their own.)

# %%
social = events[events["channel"].isin(["linkedin", "social_media"])]
linkedin_vs_social = na.compare(social, by="channel", to_stage="interview")
print(linkedin_vs_social.finding())

# %% [markdown]
# Had we not planned this comparison and instead looked at every pair of the eight
# channels, there would be 28 comparisons, and Holm's adjustment would make each one
# harder to call clear. The matrix shows all of them: the colour is the rate ratio of the
# row over the column, the text the adjusted p-value, and faded cells are not clear.

# %%
all_pairs = na.compare(events, by="channel", to_stage="interview", seed=0)
na.plots.comparison_matrix(all_pairs)

# %% [markdown]
# ## The same claims for getting a response
#
# Responses are more than twice as common as interviews (80 against 33), so the same log
# says more about them. The same comparisons, for getting a response:

# %%
modes_r = na.compare(events, by="mode", to_stage="responded", baseline="online_passive", seed=0)
modes_r.pairs[[*columns, "test", "p_value", "p_adjusted"]]

# %%
channels_r = na.compare(events, by="channel", to_stage="responded", baseline="job_board", seed=0)
channels_r.pairs[[*columns, "test", "p_value", "p_adjusted"]]

# %%
print(na.compare(social, by="channel", to_stage="responded").finding())

# %% [markdown]
# ## Claim by claim
#
# | claim | comparison | interview (main outcome) | response |
# |---|---|---|---|
# | 1. face to face and referrals beat passive online | referral vs job board | **clear** (9 of 25 vs 5 of 131) | **clear** |
# | | in person vs job board (channel and mode) | not clear (3 of 31) | **clear** (13 of 31 vs 12 of 131) |
# | 2. LinkedIn beats recreational social media | linkedin vs social_media | not clear (6 of 40 vs 2 of 20) | not clear (17 of 40 vs 6 of 20) |
# | 3. industry and affinity groups are worth joining | industry_group vs job board (channel and mode) | not clear (2 of 22) | not clear (5 of 22) |
#
# "Not clear" is **not** "no difference". Because this sample is synthetic we can look
# at the rates it was drawn from, which a real search never shows:

# %%
truth = na.datasets.truth("sample_seeker")[["responded", "interview"]]
ratio = truth["interview"] / truth.loc["job_board", "interview"]
truth.assign(interview_vs_job_board=ratio).round(3)

# %% [markdown]
# In the generator all three claims are true: in-person contacts lead to an interview
# 2.8 times as often as job-board applications, industry groups 2.3 times, LinkedIn
# three times as often as recreational social media. The log is simply too small to
# show most of it. How small? Telling a true 9% from a true 3% with the usual 80% power
# takes a few hundred leads per channel, not 40 and 20
# ([7. Planning](07_planning.ipynb) works this out for each channel):

# %%
print(na.sample_size(rates=(0.09, 0.03), to_stage="interview").finding())

# %% [markdown]
# ## What these data cannot say
#
# * **Selection: people choose their channels.** A referral usually comes for a job the
#   seeker fits well, a recruiter writes to people who match, and in-person events are
#   chosen for one's own field. A higher rate may come from *which* jobs went through a
#   channel, not from the channel. Only assigning channels at random would separate the
#   two, and nobody runs their own search that way. The finding sentences say so:
#   "association, not proof".
# * **One seeker's leads are not independent.** They share one CV, one market, one
#   season and one person's skill at interviews. The tests treat the 300 leads as
#   independent draws, which is fair for "what happened in *this* search" and optimistic
#   for "what works for job seekers in general". Many seekers, compared within each
#   seeker, answer the general question better ([5. A cohort](05_a_cohort.ipynb)).
# * **Small numbers.** With 11 to 40 leads per channel, only large differences can be
#   clear. A difference that is not clear is unknown, not absent.
# * **Open leads.** About 25 leads were still open when the log was exported, so every
#   rate is a lower bound ([3. Networking takes time](03_networking_takes_time.ipynb)).
# * **Many comparisons.** Holm's adjustment protects each family of comparisons (4 by
#   mode, 7 by channel, 1 planned pair, for each of two outcomes), not all the tests of
#   this notebook together. The referral result would survive even a correction for all
#   of them; the borderline ones would not.
# * **Per lead is not per hour.** A coffee chat costs more time than a one-click
#   application; "worth joining" depends on the cost too (notebook 7).
#
# ## Answer
#
# On this log, **one claim holds clearly: referrals beat job-board applications**, about
# nine times the interview rate (9 of 25 against 5 of 131, Holm-adjusted p < 0.001).
# Meeting people in person clearly got more *replies* than applying online, but not
# clearly more interviews. Whether LinkedIn beats recreational social media, and whether
# industry or veterans' groups pay off, **these data cannot tell**: the differences go
# the way the advice says, but they are within what chance produces with so few leads.
# All of it is association in one person's search, with channels chosen by that person.

# %% [markdown]
# # 7. Planning: how many more leads until a difference is clear, and where should the next hour go?
#
# [Notebook 2](02_which_channel_works.ipynb) tested networking advice on the bundled
# `sample_seeker` log (a synthetic veteran's six-month search, 300 leads) and found one
# clear difference: referrals beat job-board applications. Whether LinkedIn beats
# recreational social media, or industry and veterans' groups beat job boards, the log
# could not tell. This notebook asks the two questions that come next:
#
# 1. **How many more** applications, messages or events would it take before a
#    difference of a size worth acting on would be clear? (*power and sample size*)
# 2. Since waiting for certainty is not an option in a job search, **where should the
#    next hour go** given what the log shows now? (*Bayesian probability of being best
#    and expected loss*)
#
# It can be read on its own: the only result it takes from notebook 2 is the one above.

# %%
import pandas as pd

import netanalysis as na

events = na.load(na.datasets.path("sample_seeker")).events
counts = na.funnel(events, by="channel")
counts

# %% [markdown]
# ## How often could this log detect a difference?
#
# **Power** is the probability that a test would call a difference clear *if* it is
# really there. It depends on the number of leads and on the size of the difference, so
# netanalysis asks you to name the difference: here, 10 percentage points more
# interviews than job-board applications get. (It never computes "observed power", the
# power for exactly the difference seen: that is a restatement of the p-value and tells
# nothing new.)

# %%
na.power(events, by="channel", baseline="job_board", to_stage="interview", diff=0.10)

# %% [markdown]
# With 11 to 40 leads per channel, a 10-point advantage in interviews, which would be
# large in a job search, would be detected about half of the time at best (LinkedIn, 40
# leads) and one time in five at worst (recruiters, 11 leads). A result that is "not
# clear" on this log is therefore weak evidence either way.
#
# ## How many more leads? Two of the open questions
#
# Plan for a difference that would change what you do. Say LinkedIn messages lead to an
# interview 9% of the time and recreational social media 3%: LinkedIn would then be
# three times as good. `na.sample_size` says how many leads each channel needs for a
# test at the 5% level to detect that with 80% power, and how many more than you have.

# %%
social = events[events["channel"].isin(["linkedin", "social_media"])]
na.sample_size(social, by="channel", to_stage="interview", rates=(0.09, 0.03))

# %% [markdown]
# By default the new leads keep your current mix (twice as many LinkedIn contacts as
# social-media ones); with `ratio=1` both channels get the same number. Either way it is
# hundreds of contacts. At the pace of this search that is years:

# %%
months = (events["timestamp"].max() - events["timestamp"].min()).days / 30.4
pace = (counts["contacted"] / months).rename("leads_per_month").round(1)
pace

# %% [markdown]
# Interviews are rare, so questions about interviews are slow to answer. Responses come
# earlier and more often, so the same question asked about **responses** settles with
# far fewer leads. For industry and veterans' groups against job boards: an interview
# rate of 12% against 5% needs hundreds more leads, a response rate of 35% against 12%
# only a handful more.

# %%
groups = events[events["channel"].isin(["industry_group", "job_board"])]
for outcome, target in [("interview", (0.12, 0.05)), ("responded", (0.35, 0.12))]:
    plan = na.sample_size(
        groups, by="channel", to_stage=outcome, baseline="job_board", rates=target
    )
    print(plan.finding(), end="\n\n")

# %% [markdown]
# How the chance of a clear answer grows as industry-group contacts are added (job-board
# applications staying at 131), for the response question:

# %%
pd.concat(
    [
        na.power(
            groups,
            by="channel",
            to_stage="responded",
            baseline="job_board",
            rates=(0.35, 0.12),
            more=(more, 0),
        ).to_pandas()
        for more in [0, 10, 20, 40, 80]
    ],
    ignore_index=True,
)

# %% [markdown]
# The calculations use the normal approximation for two proportions (statsmodels); with
# only a few expected conversions an exact test needs somewhat more leads, so treat the
# numbers as a lower bound.
#
# ## Where should the next hour go?
#
# Waiting years for a clear test is not a plan. A decision needs a different question:
# given what the log shows *now*, which channel is most likely to be the best, and how
# much would betting on each one cost if it is not? `na.bayes` gives each channel's
# interview rate a posterior distribution (a Beta distribution: a uniform prior updated
# with *k* interviews from *n* leads) and, from seeded random draws:
#
# * **`p_best`**: the probability that the channel has the highest true rate;
# * **`expected_loss`**: how much interview rate you give up, on average, by betting on
#   this channel instead of the truly best one (0.10 = 10 interviews per 100 leads).
#
# Low expected loss is the better guide: when two channels are nearly tied, P(best) is
# split between them, but betting on either costs little.

# %%
bet = na.bayes(events, by="channel", to_stage="interview", seed=1)
bet

# %%
na.plots.posterior(bet)

# %% [markdown]
# The posterior for recruiter leads is wide (11 leads), so it is the most likely to be
# the best *and* the least certain; referrals are close behind with more leads. Because
# this sample is synthetic we can peek at the truth: referrals are the best channel in
# the generator (36% of referrals lead to an interview, 27.5% of recruiter leads). So
# the top of the ranking is wrong, yet the bet is still good: recruiters really give up
# about 8.5 interviews per 100 leads against referrals, job boards about 31. Expected
# loss ranked the bets the same way, without knowing the truth.

# %%
na.datasets.truth("sample_seeker")[["interview"]].sort_values("interview", ascending=False)

# %% [markdown]
# **Does the prior matter?** With 11 leads it can. Jeffreys' prior, Beta(½, ½), is a
# common alternative to the uniform Beta(1, 1); the top of the ranking does not change:

# %%
na.bayes(events, by="channel", to_stage="interview", prior=(0.5, 0.5), seed=1).to_pandas()

# %% [markdown]
# ### Per lead is not per hour
#
# A one-click application takes minutes; an industry event takes an evening. What the
# next hour buys is the rate *per hour*. netanalysis does not yet take the effort per
# lead into account, so here is only a back-of-envelope: each channel's posterior mean
# and credible interval divided by an assumed number of hours per lead (replace the hours
# with your own).

# %%
hours_per_lead = pd.Series(
    {
        "job_board": 0.5,
        "linkedin": 0.25,
        "social_media": 0.25,
        "industry_group": 1.5,
        "in_person": 2.0,
        "referral": 1.0,
        "recruiter": 0.5,
        "cold_email": 0.5,
    },
    name="hours_per_lead",
)
rates = bet.to_pandas().set_index("channel")[["mean", "cri_low", "cri_high"]]
per_10_hours = 10 * rates.div(hours_per_lead, axis=0)
per_10_hours.columns = ["interviews_per_10_hours", "low", "high"]
per_10_hours.join(hours_per_lead).sort_values("interviews_per_10_hours", ascending=False).round(2)

# %% [markdown]
# With these (invented) hours, cheap messages rise to the top and events sink, because
# an hour buys four messages but only half an event. Look at the intervals before acting
# on it: social-media messages rank high on the strength of 2 interviews from 20 leads,
# and their interval runs from about one interview per 10 hours to twelve (the
# generator's true rate, 3%, would give 1.2). Recruiter
# leads look best of all, but most recruiter contacts start with the recruiter; an hour
# cannot buy them. (The probability of being best and the expected loss *per hour* need
# the effort inside the Bayesian calculation; netanalysis does not do that yet.)
#
# ## Answer
#
# **How many more leads?** To tell LinkedIn from recreational social media, or
# industry groups from job boards, *on interviews*, this search would need hundreds
# more leads per channel: years at its pace. The same questions asked about
# *responses* would settle within weeks to a few months (8 more industry-group contacts
# and 44 more job-board applications, if the true response rates were 35% and 12%). Ask
# the early-funnel question first.
#
# **Where should the next hour go?** Per lead, person-to-person routes are the best bet:
# asking for referrals (and answering recruiters), with a small expected loss; job-board
# applications are the worst bet, by a wide margin. Per hour the picture depends on how
# long each lead takes: cheap professional messages (LinkedIn) may beat expensive events.
# Check with your own hours, and keep a few leads going in the uncertain channels: they
# are how the log learns.
#
# **Caveats.** The planning numbers assume leads are independent, that the rates stay
# as they are, and the normal approximation (an exact test needs somewhat more). They
# plan future leads; they are not evidence about the differences seen. The Bayesian
# ranking takes the log at face value: the seeker chose the channels (a referral usually
# comes for a job one fits), so a channel's rate is partly the jobs it went to. With 11
# to 40 leads per channel the ranking can change with a few more leads; P(best) and
# expected loss say how much that matters.

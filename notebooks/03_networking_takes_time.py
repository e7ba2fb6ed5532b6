# %% [markdown]
# # 3. Networking takes time: how long until a reply, and what "no reply yet" means
#
# You sent a message three weeks ago and heard nothing. Is that a no? Which channels
# answer quickly, which slowly, and which hardly ever? And how long from first contact to
# an interview?
#
# Timing questions have a trap: on the day you look, many leads are still **open**. A
# message sent on Monday has had no chance to be answered by Tuesday. Leaving such leads
# out, or counting them as "no", makes the answer wrong, and averaging only the replies
# you did get is wrong too. This notebook shows the standard remedy, the **Kaplan–Meier**
# estimate with **censoring**, on the bundled `sample_seeker` log (a synthetic
# veteran's six-month search, 300 leads; notebook 1 shows how it loads), and then checks
# it on simulated searches whose future we know.

# %%
import pandas as pd

import netanalysis as na

events = na.load(na.datasets.path("sample_seeker")).events

# The day the log was exported: later events had not happened yet.
as_of = na.datasets.truth("sample_seeker", "manifest")["as_of"]
as_of

# %% [markdown]
# ## What "no reply yet" means
#
# `na.time_to` starts each lead's clock at first contact and stops it at the first
# response. Every lead ends in one of three ways:
#
# * **`stage`**: it got a response, after `days` days (an *event*);
# * **`closing`**: it was closed without a response (a rejection or a withdrawal). It can
#   no longer get one, so it is *not* censored: it counts as a lead without a response,
#   kept in the count until `as_of` (its `end`; more on this below);
# * **`as_of`**: it was still open when the log was exported. All we know is that no
#   reply came *within* the days it has been open: it is **censored** at `as_of`.
#
# A lead contacted three days before the export and still silent says "no reply within
# three days", nothing more. Kaplan–Meier uses each lead for exactly as long as it was
# watched. Pass the export date as `as_of` (by default netanalysis takes the latest
# timestamp in the data, which may be a little early).

# %%
reply = na.time_to(events, stage="responded", by="channel", as_of=as_of)
reply.durations[["lead", "channel", "start", "end", "days", "event", "censored_at"]].head()

# %%
reply.durations.groupby(["channel", "censored_at"], sort=False).size().unstack(fill_value=0)

# %% [markdown]
# ## How long until a reply, per channel
#
# The curves show, for each channel, the share of leads that had got a reply after a
# given number of days (the Kaplan–Meier estimate, with its 95% band). Ticks mark
# censored leads; the numbers at risk below say how many leads were still being watched
# at each time, so you can see where a curve rests on a handful of leads.

# %%
na.plots.survival(reply, kind="reached")

# %% [markdown]
# The summary gives each channel's median time to a reply with its interval. The median
# is the time by which half the leads had a reply; for most channels it is **not
# reached** (NaN), because fewer than half of the leads *ever* replied. That is itself
# the most important fact about those channels. The log-rank test asks whether the
# curves could all be the same.

# %%
reply.summary

# %%
reply.test

# %% [markdown]
# When the median is not reached, ask instead: *what share of leads got a reply within
# two weeks, or a month?*

# %%
reply.reached_by(30)

# %%
print(reply.finding())

# %% [markdown]
# ## Why averaging only the replies misleads
#
# The tempting summary is "job boards reply in about N days": take the leads that did
# reply and average their waiting times. Here it is, next to the Kaplan–Meier share that
# had a reply within 30 days:

# %%
replies = reply.durations[reply.durations["event"]]
naive = replies.groupby("channel", sort=False)["days"].agg(replies="size", mean_days="mean")
naive.join(reply.reached_by(30).set_index("channel")["reached"].rename("reached_in_30_days"))

# %% [markdown]
# The average of the replies answers "*if* they reply, how fast?" and hides the *if*: a
# channel that answers one lead in ten, quickly, looks as good as one that answers most
# leads quickly. It is also biased even as an answer to its own question: the leads
# contacted shortly before the export can only contribute *fast* replies (a slow reply
# to them has not arrived yet), so early in a search the average of the replies is too
# short.
#
# ### Checking on a search whose future we know
#
# `na.simulate` draws a synthetic log from known rates and delays. Drawing the same search
# (same seed) twice, once exported after three weeks and once a year later, gives the
# same leads seen "now" and "when every reply is in". The search is large (500 leads in
# three weeks) so that chance does not hide the point.

# %%
settings = {"n_leads": 500, "start": "2024-01-01", "days": 21, "seed": 1}
now = na.simulate(**settings)  # exported after three weeks (as_of = start + 21 days)
later = na.simulate(**settings, as_of="2025-01-01")  # the same leads, a year later

tt_now = na.time_to(now.events, stage="responded", by="mode", as_of=now.as_of)
tt_later = na.time_to(later.events, stage="responded", by="mode", as_of=later.as_of)
so_far, final = tt_now.durations, tt_later.durations  # one row per lead, the same leads

km = tt_now.reached_by(14).set_index("mode")
pd.DataFrame(
    {
        "leads": so_far.groupby("mode").size(),
        # what the log says after three weeks
        "mean_of_replies_now": so_far[so_far["event"]].groupby("mode")["days"].mean(),
        "share_replied_now": so_far.groupby("mode")["event"].mean(),
        "km_within_14_days": km["reached"],
        "km_low": km["ci_low"],
        "km_high": km["ci_high"],
        # what the same leads did in the end
        "mean_of_replies_final": final[final["event"]].groupby("mode")["days"].mean(),
        "replied_within_14_days_final": (final["event"] & (final["days"] <= 14))
        .groupby(final["mode"])
        .mean(),
        "share_replied_final": final.groupby("mode")["event"].mean(),
    }
).round(3)

# %% [markdown]
# Three weeks in, the average of the replies is too short, most of all for the slow
# channel (passive online applications: about 7 days "now" against about 9 once every
# reply is in), and the share that replied is too low (leads still waiting are counted
# as no). The Kaplan–Meier share within 14 days, computed from the same three weeks,
# lands close to what the same leads really did within 14 days, inside its interval.
#
# ## From first contact to an interview
#
# The same analysis for interviews, by mode to keep the groups larger. Interviews are
# rarer and come later, so more leads are censored and the curves rest on fewer events.

# %%
interview = na.time_to(events, stage="interview", by="mode", as_of=as_of)
na.plots.survival(interview, kind="reached")

# %%
interview.reached_by(60)

# %% [markdown]
# Compare these shares with the plain conversion rates of notebook 1: 15 of 56 direct
# contacts (27%) reached an interview, and the Kaplan–Meier share within 60 days is a
# little higher (28%). What raises it is the leads still open: they may yet get an
# interview, which the plain rate counts as a no. That is the point of censoring.
#
# A lead closed by a rejection is different: it can never get an interview. Censoring it
# at the rejection would count it as watched until then *as if it could still have got
# an interview later*; censoring is only harmless when it says nothing about the lead's
# future, and a rejection says everything. So `na.time_to` keeps a closed lead in the
# count until `as_of`, as a lead that did not get there (`closed="never"`, the default),
# and one minus the curve is the share of *all* leads that got an interview within so
# many days. Here is what censoring the rejections instead (`closed="censor"`) would
# say:

# %%
censor_closed = na.time_to(events, stage="interview", by="mode", as_of=as_of, closed="censor")
pd.DataFrame(
    {
        "closed='never' (default)": interview.reached_by(60).set_index("mode")["reached"],
        "closed='censor'": censor_closed.reached_by(60).set_index("mode")["reached"],
    }
).round(3)

# %% [markdown]
# Censoring the rejected leads adds 1 to 5 points to every mode (direct contacts: 33%
# instead of 28%), because rejections come early and often between a reply and an
# interview. On simulated searches, where the truth is known, `closed="never"` lands on
# the share of leads that really got an interview within 30 days and `closed="censor"`
# overstates it in every mode, by 1 to 3 points.

# %%
print(interview.finding())

# %% [markdown]
# ## Answer
#
# **Replies come quickly or not at all.** In this log, referrals, recruiters and people
# met in person answered within days, and well over a third of them answered within a
# month; fewer than one job-board application in eight ever got a reply. Most of the
# replies any channel gets arrive in the first two weeks: after that the curves flatten.
# So three weeks of silence is, for most channels, close to a no, but it is a *censored*
# lead, not a failure, until it closes or enough time has passed.
#
# To summarise timing, use Kaplan–Meier shares ("what share replied within 30 days")
# and medians with their intervals, never the average of the replies alone: it hides how
# many never reply and, early on, understates how long replies take.
#
# **Caveats.** One seeker's leads are not independent, and the seeker chose the channels
# (association, not cause). Groups of 11 to 40 leads give wide bands. A lead that closed
# without reaching the stage counts as never reaching it (it can no longer get there), so
# the curves give the share of all leads that got there; censoring it at its closing
# (`closed="censor"`) would make the interview curves lean high. Leads known only from an
# undated status (one tracker row here)
# cannot be timed and are left out, with a note. Interview times rest on few events:
# read them as rough.

# %% [markdown]
# # 4. Your own LinkedIn export, with your email, calendar and tracker
#
# **The questions.** You downloaded your LinkedIn data ("Settings → Data privacy → Get a
# copy of your data"). What in it is a job-search lead, and what does netanalysis leave
# out, and why? Does writing a note on a connection invitation get more invitations
# accepted? Your search also lives in your email, your calendar and a spreadsheet: how do
# they become **one story per contact**, so that a coffee that led to an application is
# credited to the network? And how do you share the results without sharing your
# contacts' names?
#
# **The data.** The exports of two invented job seekers (every person, company and address
# is made up):
#
# * **Alex Rivera**, an Army signal officer moving into data analytics: a LinkedIn export
#   from March 2026 in LinkedIn's current format (the `linkedin_example` dataset);
# * **Jordan Reyes**, moving from Army logistics into data analytics in 2024: a LinkedIn
#   export, a tracker sheet, a Gmail export (mbox, from Google Takeout) and a Google
#   Calendar export (ics), whose people overlap (the `story` dataset).
#
# Both come with netanalysis (`na.datasets.path("linkedin_example")` and
# `na.datasets.path("story")`; `na.datasets.describe("story")` says what is in them), so
# this notebook runs after a plain `pip install netanalysis`. To use your own files,
# replace the paths below by yours: the unzipped export folder or the zip itself
# (`Basic_LinkedInDataExport_....zip`), your `.mbox` and `.ics` files and your tracker (CSV
# or Excel).
#
# You can follow this notebook without the others; notebook 1 introduces funnels and
# rates, notebook 8 the shareable HTML report. Nothing here is random.

# %%
from pathlib import Path

import pandas as pd

import netanalysis as na
from netanalysis.io.linkedin import invitation_acceptance
from netanalysis.io.privacy import personal_fields, pseudonymize

pd.set_option("display.width", 120)
pd.set_option("display.max_columns", 20)
pd.set_option("display.max_colwidth", 70)

# The example exports bundled with netanalysis (replace by the paths of your own files).
EXPORT = na.datasets.path("linkedin_example")  # a LinkedIn export folder (or its zip)
STORY = na.datasets.path("story")  # Jordan's LinkedIn export, tracker, mbox and calendar

# %% [markdown]
# ## 1. Loading a LinkedIn export
#
# Give `na.load` the folder (or the zip). It recognises each CSV of the export by its
# header, so renamed files and older export formats load too.

# %%
alex = na.load(EXPORT)
alex

# %% [markdown]
# ### What the summary notes say
#
# Every file has a row: rows read, kept and rejected, events made. The notes of each file
# explain the judgement calls; read them once for your own export:

# %%
for source, notes in alex.summary[["source", "notes"]].itertuples(index=False):
    print(f"{Path(source).name}: {notes or '(no notes)'}\n")

# %% [markdown]
# The points to check:
#
# * **Who you are.** Messages and invitations go both ways, so netanalysis must know which
#   side is you. It found the account owner from the messages (*"account owner: 'Alex
#   Rivera', found from the messages"*). If it guesses wrong, pass `me="Your Name"` (or your
#   profile URL).
# * **Sensitive files are not read.** `Job Applicant Saved Answers.csv` and the
#   `Question And Answers` column of `Job Applications.csv` hold answers to screening
#   questions (veteran status, disability, ethnicity). They are never loaded unless you
#   pass `include_sensitive=True`. Message text is never stored at all.
# * **Files without interactions** (`Profile.csv`, `Skills.csv`) are not read.
# * **Times without a zone.** LinkedIn writes local-looking times with no zone; they are read
#   as UTC. Pass `tz="America/Denver"` (your zone) if that matters for you.
# * **Your existing network is not a lead.** Connections with no invitation or message in
#   the export are people you knew before; they give their lead a company and position, but
#   are not leads themselves.
#
# Nothing is dropped silently: what was set aside is in `.rejected`, with the reason.

# %%
alex.rejected[["source", "source_row", "reason"]].assign(
    source=lambda d: d["source"].map(lambda s: Path(s).name)
)

# %% [markdown]
# A saved job is not an application, an event sign-up names no contact, a draft was never
# sent, and a connection without a name or profile cannot be anybody's lead.
#
# ### The leads
#
# Each contact you invited or messaged is one `linkedin` lead; each application through
# LinkedIn Jobs is a `job_board` lead (an "Easy Apply" is a passive online application).
# The `touch` column says what each event was.

# %%
alex.events[["lead", "stage", "timestamp", "contact", "company", "direction", "touch"]]

# %%
na.funnel(alex.events)

# %% [markdown]
# ## 2. Do invitations with a note get accepted more often?
#
# The export says, for every invitation you sent, whether it had a note
# (`invitation_note`) and whether the person is now a connection (`invitation_accepted`).
# `invitation_acceptance` turns this into a small counts table (`contacted` = sent,
# `responded` = accepted) that the usual functions take as it is.

# %%
invitations = invitation_acceptance(alex.events)
invitations

# %%
acceptance = na.conversion(invitations, by="invitation_note")
print(acceptance.finding())
na.plots.forest(acceptance)

# %%
print(na.compare(invitations, by="invitation_note", to_stage="responded").finding())

# %% [markdown]
# Two of three invitations with a note were accepted, one of two without: far too few to
# tell anything. How many invitations would it take? If notes really raised acceptance
# from 30% to 45%, a test with the usual 80% power would need about 200 invitations with a
# note and 135 without (`na.sample_size`; notebook 7 is about planning):

# %%
print(
    na.sample_size(
        invitations, by="invitation_note", to_stage="responded", rates=(0.45, 0.30)
    ).finding()
)

# %% [markdown]
# Also keep in mind: LinkedIn lists only about the last six months of invitations; an
# invitation counts as accepted only if the person is still a connection at the export;
# and you choose whom to write a note to (people you met, say), so a difference would not
# prove that the note itself did it.
#
# ## 3. One story per contact: LinkedIn, email, calendar and a tracker
#
# Jordan's search lives in four places. `na.load` reads them all at once; `me=` names
# Jordan in each (the name for LinkedIn, the address for mail and calendar).

# %%
sources = [
    STORY / "linkedin",  # the LinkedIn export folder
    STORY / "tracker.csv",  # a tracker sheet: one row per application, a date per stage
    STORY / "mail.mbox",  # Gmail, from Google Takeout
    STORY / "calendar.ics",  # Google Calendar export
]
jordan = na.load(sources, me=["Jordan Reyes", "jordan.reyes@example.com"])
jordan

# %% [markdown]
# Each format has its own rules, written in the notes: only mail headers are read, never
# the bodies; automated mail (job alerts, auto-replies) is not a contact; a calendar entry
# is a meeting only if someone besides you attended, it was not cancelled or declined,
# and it happened before the export.

# %%
jordan.rejected[["source", "source_row", "reason"]].assign(
    source=lambda d: d["source"].map(lambda s: Path(s).name)
)

# %% [markdown]
# ### Without linking, one person is three leads
#
# Each source defines its own leads: Jordan's LinkedIn invitation to Dana Whitfield, the
# email thread with her and the coffee in the calendar are three separate leads, and the
# Northwind Analytics application in the tracker (where Dana works) is a fourth, credited
# to the company website.

# %%
dana = jordan.events["contact"].fillna("").str.contains("Dana") | (
    jordan.events["company"] == "Northwind Analytics"
)
jordan.events.loc[dana, ["lead", "channel", "stage", "timestamp", "contact", "company"]]

# %%
na.funnel(jordan.events)

# %% [markdown]
# ### `na.link`: the same person across sources, and networking before an application
#
# Linking is a separate, explicit step. Within each seeker it:
#
# 1. joins events that name the same person: the same email address, the same LinkedIn
#    profile, or the same name at the same company (a work email's domain tells the
#    company: `dana.whitfield@northwind-analytics.com` is at Northwind Analytics);
# 2. merges the networking leads of one contact into one lead (invitation, emails and
#    coffee with Dana become one story);
# 3. gives an application the earliest networking touch with someone at the same company
#    within `window_days` before it, so the application can be credited to the network.
#
# Every change is listed with its reason.

# %%
linked = na.link(jordan, window_days=30)
linked

# %%
linked.links[["kind", "lead", "other_lead", "reason"]]

# %% [markdown]
# Which channel gets the credit is now a choice, made explicit by `attribution`:
#
# * `attribution="first"` credits the channel of a lead's **first** event: the Northwind
#   application, which led to an offer, started with the LinkedIn invitation to Dana.
# * `attribution="last"` credits the channel of the last event before the stage reached:
#   the application itself (the company website, a `job_board` channel).

# %%
pd.concat(
    {
        "first": na.funnel(linked.events, attribution="first"),
        "last": na.funnel(linked.events, attribution="last"),
    },
    names=["attribution"],
)

# %% [markdown]
# The window matters. Jordan wrote to Jürgen Weiß at Vela Mobility 51 days before applying
# there; with the default 30 days that email is not a touch of the application, with 60 it
# is. Choose the window before looking at the results, and say which you used.

# %%
wider = na.link(jordan, window_days=60)
wider.links.loc[wider.links["kind"] == "application_touch", ["lead", "other_lead", "reason"]]

# %% [markdown]
# ## 4. Privacy: pseudonyms before sharing
#
# Your export holds other people's names, emails and profile URLs. Before you send results
# to a coach or post them, replace them with **pseudonyms**: a salted hash, so the same
# person always gets the same pseudonym (leads and links survive) but nobody without the
# salt can recompute them from a list of names.
#
# The salt is a secret of yours: keep it **outside** the notebook (an environment variable,
# a password manager) and reuse it to get the same pseudonyms on your next export; make one
# with `import secrets; secrets.token_hex(16)`. The one below is a placeholder.

# %%
SALT = "replace-me-with-your-own-secret"

shared = na.load(EXPORT, pseudonymize=True, salt=SALT)
shared.events[["lead", "contact", "company", "channel", "stage", "touch"]].head(8)

# %% [markdown]
# The summary says which fields were replaced, `personal_fields` finds none left, and
# every count is unchanged:

# %%
print(shared.summary.loc[0, "notes"])
print("personal fields left:", personal_fields(shared.events))
print("same funnel:", na.funnel(shared.events).equals(na.funnel(alex.events)))

# %% [markdown]
# **Link first, then pseudonymise.** Linking needs the real values: with pseudonyms, an
# email address no longer shows its company's domain, so Dana's email thread cannot be
# matched to her LinkedIn profile by name and company.

# %%
hidden = na.load(
    sources, me=["Jordan Reyes", "jordan.reyes@example.com"], pseudonymize=True, salt=SALT
)
print("linked before pseudonyms:", linked.finding())
print("linked after pseudonyms: ", na.link(hidden, window_days=30).finding())

# %% [markdown]
# So on your own machine, link the real data, then pseudonymise the **linked** events
# before they leave it. Linking adds columns that hold lead ids made of profile URLs
# (`lead_before_link`, `linked_from`) and `contact_id`, a number per person that ties
# one person's events together across sources. `personal_fields` lists every column to
# replace, and `pseudonymize` replaces all of them by default, with pseudonyms that keep
# the story linked: the funnel is the same.

# %%
print("to replace:", [field.column for field in personal_fields(linked.events)])
to_share = pseudonymize(linked.events, salt=SALT)
print("personal fields left:", personal_fields(to_share))
print(
    "same funnel:",
    na.funnel(to_share, attribution="first").equals(na.funnel(linked.events, attribution="first")),
)
to_share[["lead", "contact", "contact_id", "channel", "stage", "linked_from"]].head(8)

# %% [markdown]
# `linked.contacts` lists every contact with names, emails and profiles, and
# `linked.links` the addresses and names each link was made on: they are for you only.
# To share the whole result, `linked.pseudonymize(salt=...)` replaces them in the events,
# the links and the contacts alike. The HTML report (notebook 8) uses pseudonyms by
# default.

# %%
shared_links = linked.pseudonymize(salt=SALT)
shared_links.links[["kind", "lead", "other_lead", "key"]]
#
# ## The answers, and their caveats
#
# * **What loads.** Invitations, messages and connections become one `linkedin` lead per
#   contact; LinkedIn Jobs applications become `job_board` leads. Saved jobs, event
#   sign-ups, drafts and your existing network are not leads and are listed in
#   `.rejected` or the notes. Screening answers (veteran status, disability, ethnicity) and
#   message text are never loaded.
# * **Notes on invitations.** In this export, 2 of 3 invitations with a note and 1 of 2
#   without were accepted: no conclusion is possible, and a few hundred invitations would
#   be needed to see a realistic difference. If you try it, decide in advance (alternate,
#   or flip a coin) which invitations get a note; otherwise you compare the people, not the
#   note.
# * **One story per contact.** `na.link` joins the same person across LinkedIn, email,
#   calendar and tracker and credits applications that followed networking. Here the
#   LinkedIn channel gains the Northwind offer under `attribution="first"`; under `"last"`
#   the offer stays with the application. Both are legitimate readings: report which one
#   you used, and the `window_days`.
# * **Privacy.** Load with `pseudonymize=True, salt=...` when you only need counts, and
#   pseudonymise after linking when you link; keep the salt and `linked.contacts` to
#   yourself.
#
# Caveats: matching people by name and company can join two different people with the
# same name at one employer, or miss one person who changed jobs; read `linked.links`. An
# export is what the platforms kept (LinkedIn: about six months of invitations; mail:
# headers only), so a funnel from it is a lower bound on your activity. And these are two
# invented people with a handful of contacts each: the numbers show the mechanics, not
# what works.

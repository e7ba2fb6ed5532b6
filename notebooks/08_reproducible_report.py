# %% [markdown]
# # 8. A reproducible report, from a notebook and from the command line
#
# **The question.** You want to send your analysis to a career coach, a programme board or
# a reviewer as **one file** they can open anywhere, and next month you want to make the
# same file again with new data, or show exactly which data and settings produced the one
# you sent. How do you produce the HTML report, choose its parameters, and check that it
# is reproducible?
#
# `na.report(...)` (and `netanalysis report ...` on the command line) writes one
# self-contained HTML file: the findings in plain words, the charts, the methods and a
# **reproducibility stamp** listing the software versions, the SHA-256 of every input
# file, every parameter (seeds included) and the command that made it. This notebook
# makes the report both ways from the bundled `sample_seeker` data (one invented person's
# six-month search) and checks the claims: same inputs and parameters give the same bytes,
# and no contact names appear unless you ask for them.
#
# You can follow it without the other notebooks; they explain the statistics the report
# contains. Reports are written into a temporary folder that is deleted at the end.

# %%
import contextlib
import difflib
import tempfile
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

import netanalysis as na
from netanalysis.cli import main as netanalysis_command
from netanalysis.reporting.stamp import dependency_versions, file_sha256

scratch = tempfile.TemporaryDirectory()
OUT = Path(scratch.name)

# %% [markdown]
# ## Parameters
#
# Everything that shapes the report is set in the next cell, and nowhere else. The cell is
# tagged `parameters`, so tools such as papermill can run this notebook with other values.
#
# * `AS_OF` is the export date: later events are left out and leads still open then are
#   censored. Pin it: left to its default (the latest event), it moves whenever data are
#   added, and so does every number.
# * `SEED` drives every random step (the Bayesian draws behind "where should the next hour
#   go", Monte Carlo p-values); `DRAWS` is how many draws.

# %% tags=["parameters"]
DATA = na.datasets.path("sample_seeker")  # a file, a folder, or a list of them
BY = "channel"  # group leads by channel (or "mode", ...)
TO_STAGE = "interview"  # the stage compared, ranked and planned for
AS_OF = "2024-07-01"  # the export date
SEED = 2024
DRAWS = 100_000
TITLE = "Job search, January to June 2024"

# %%
parameters = {
    "by": BY,
    "to_stage": TO_STAGE,
    "as_of": AS_OF,
    "seed": SEED,
    "draws": DRAWS,
    "title": TITLE,
    "tz": "UTC",  # a load option: the zone of times written without one
}

# %% [markdown]
# ## From the notebook: `na.report`
#
# Give it the data (file or folder paths, a `LoadResult`, or an events frame) and where to
# write. `timestamp=False` leaves out the generation time, so that the same inputs give
# the same bytes.

# %%
report = na.report(DATA, OUT / "report.html", timestamp=False, **parameters)
print(f"{report.name}: {report.stat().st_size / 1e6:.1f} MB")

# %% [markdown]
# The file holds everything, plotly.js included (hence its size), and makes no network
# request: it opens offline, on a phone, and prints. To look at it, open it in a browser,
# for example with `import webbrowser; webbrowser.open(report.as_uri())`.
#
# Passing **paths** is what makes the stamp complete: the report then lists the SHA-256 of
# each input file. With a `LoadResult` or a frame it can only fingerprint the events it
# analysed.
#
# ## The reproducibility stamp
#
# The last section of the report lists, for a reader, the parameters, the input files with
# their SHA-256, a fingerprint of the events analysed and the software versions. The same
# stamp is embedded in the file as data, and `na.reporting.read_stamp` reads it back, from
# a report you made or one you were sent:

# %%
stamp = na.reporting.read_stamp(report)
pd.Series(stamp["parameters"], name="value").to_frame()

# %%
pd.DataFrame(stamp["inputs"])

# %% [markdown]
# What it lets you check. Someone who receives the report and has the same files can
# recompute the fingerprints and compare them with the report's: same fingerprints, same
# data.

# %%
recorded = {item["name"]: item["sha256"] for item in stamp["inputs"]}
for file in sorted(DATA.iterdir()):
    same = recorded.get(f"{DATA.name}/{file.name}") == file_sha256(file)
    print(f"{file.name}: SHA-256 {file_sha256(file)[:16]}... as in the report: {same}")

# %%
versions = dict(dependency_versions())
print(
    "netanalysis",
    versions["netanalysis"],
    "as in the report:",
    stamp["versions"]["netanalysis"] == versions["netanalysis"],
)

# %% [markdown]
# ## Same inputs, same bytes
#
# Make the report again with the same data and parameters, and compare the files' SHA-256:

# %%
again = na.report(DATA, OUT / "again.html", timestamp=False, **parameters)
print(file_sha256(report))
print(file_sha256(again))
print("byte-identical:", report.read_bytes() == again.read_bytes())

# %% [markdown]
# With the generation time (`timestamp=True`, the default) the bytes differ, and only
# where the time is written:

# %%
html = report.read_text(encoding="utf-8")
stamped = na.report(DATA, OUT / "stamped.html", **parameters)
changed = difflib.unified_diff(
    html.splitlines(), stamped.read_text(encoding="utf-8").splitlines(), lineterm="", n=0
)
print("\n".join(line for line in changed if line[:1] in "+-" and line[:3] not in ("+++", "---")))

# %% [markdown]
# A different seed changes the random parts (the Bayesian P(best) and expected loss), and
# the stamp records which seed was used:

# %%
reseeded = na.report(DATA, OUT / "reseeded.html", timestamp=False, **{**parameters, "seed": 7})
print("byte-identical to the first:", reseeded.read_bytes() == report.read_bytes())
seed = na.reporting.read_stamp(reseeded)["parameters"][
    "seed (Bayesian draws, Monte Carlo p-values)"
]
print("seed in its stamp:", seed)

# %% [markdown]
# ## From the command line: `netanalysis report`
#
# The same report from a terminal (after `pip install netanalysis`, or in this repository's
# virtualenv, `.venv/bin/netanalysis`):
#
# ```sh
# netanalysis report data/sample_seeker -o report.html --by channel --to-stage interview \
#     --as-of 2024-07-01 --seed 2024 --draws 100000 \
#     --title "Job search, January to June 2024" --no-timestamp
# ```
#
# Here it runs in-process with click's `CliRunner`, which calls the same command without
# depending on what is on your `PATH`. It runs in a new folder of the scratch space each
# time (`contextlib.chdir`), so that `-o report.html` is written there; the progress bar
# and the messages go to the runner's captured output.

# %%
command = [
    "report",
    str(DATA),
    "-o",
    "report.html",
    "--by",
    BY,
    "--to-stage",
    TO_STAGE,
    "--as-of",
    AS_OF,
    "--seed",
    str(SEED),
    "--draws",
    str(DRAWS),
    "--title",
    TITLE,
    "--no-timestamp",
]
runner = CliRunner()


def run_command(folder: Path) -> Path:
    """Run ``netanalysis report`` in ``folder`` (a new folder); return the report written."""
    folder.mkdir()
    with contextlib.chdir(folder):
        result = runner.invoke(netanalysis_command, command)
    assert result.exit_code == 0, result.output
    return folder / "report.html"


from_cli = run_command(OUT / "first run")
print(from_cli.name, f"{from_cli.stat().st_size / 1e6:.1f} MB")
print(
    "run twice, byte-identical:",
    run_command(OUT / "second run").read_bytes() == from_cli.read_bytes(),
)

# %% [markdown]
# Compared with the report made in the notebook, the only difference is that the command
# line is written into the stamp, in the page and in its embedded copy (input and output
# paths shortened to their file or folder names, so the stamp does not reveal where your
# files live, and writing the report elsewhere does not change its bytes):

# %%
changed = difflib.unified_diff(
    html.splitlines(), from_cli.read_text(encoding="utf-8").splitlines(), lineterm="", n=0
)
print("\n".join(line for line in changed if line[:1] in "+-" and line[:3] not in ("+++", "---")))

# %% [markdown]
# ## Names stay out
#
# The report analyses channels, stages and dates; contact names, email addresses, profile
# URLs and message text are dropped before the analysis, and any that would still appear
# (in a loader's note, or when you group by a column that holds people) are replaced by
# pseudonyms, unless you pass `show_names=True` (`--show-names`) for a report you keep for
# yourself. `salt=` (or the `NETANALYSIS_SALT` environment variable for the command) keeps
# the pseudonyms the same from one month's report to the next; the salt itself is never
# written into the report. A check on the report made above:

# %%
contacts = na.load(DATA).events["contact"].dropna().unique()
shown = [name for name in contacts if name in html]
print(f"{len(shown)} of the {len(contacts)} contact names in the data appear in the report")

# %%
scratch.cleanup()

# %% [markdown]
# ## The answer, and its caveats
#
# **Make the report with `na.report(paths, "report.html", ...)` in a notebook or
# `netanalysis report paths -o report.html ...` in a terminal; both give the same analysis
# and, with `timestamp=False` / `--no-timestamp`, the same bytes every time the inputs and
# parameters are the same.** The stamp at the end of the report records what is needed to
# check or repeat it: the versions of netanalysis, Python and every dependency, the SHA-256
# of each input file and of the events analysed, every parameter including `as_of` and the
# seed, and the command line when there was one. Keep all parameters in one cell (or one
# command) and pin `as_of`.
#
# Caveats:
#
# * **Byte-identical needs identical software.** Another version of netanalysis, pandas,
#   scipy or plotly may change a digit or the page; the stamp lists the versions so you
#   can recreate the environment. The events fingerprint is computed with pandas, so it is
#   stable for one pandas version.
# * **Paths, not frames, for a full stamp.** A report made from a `LoadResult` or a frame
#   fingerprints the events but not the files they came from.
# * **Pseudonyms are not anonymity.** Companies, dates and channels remain, and someone who
#   knows your search could recognise a lead. Without `salt=`, pseudonyms are derived from
#   the data. Read the report before you share it.
# * **Reproducible is not correct.** The stamp proves which data and settings gave these
#   numbers, not that the data are complete or the channels well defined; the other
#   notebooks are about that.

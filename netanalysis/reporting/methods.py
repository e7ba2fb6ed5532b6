"""The last two sections: methods and caveats, and the reproducibility stamp.

Methods and caveats say which test was used and why, how many comparisons were made and
how they were guarded, how leads still open were handled (censoring), and what the
numbers cannot say (association is not causation; channels are chosen, not assigned;
leads of one seeker are not independent). The wording of the caveats is shared with the
results' findings (:mod:`netanalysis.stats.findings`).

Examples:
    >>> from netanalysis.reporting.stamp import Stamp, stamp_script
    >>> st = Stamp((("netanalysis", "0.1.0"),), (), "ab" * 32, (("by", "channel"),), None, None)
    >>> "0.1.0" in stamp_section(st).body
    True
"""

from __future__ import annotations

import collections

from netanalysis.reporting.analysis import Analysis
from netanalysis.reporting.sections import DataInfo
from netanalysis.reporting.stamp import Stamp, stamp_script
from netanalysis.reporting.template import (
    Section,
    bullet_list,
    definition_table,
    esc,
    paragraph,
    table,
)
from netanalysis.stats import findings as fw
from netanalysis.stats.compare import AUTO_RULE, OMNIBUS_NAMES
from netanalysis.stats.rates import CI_NAMES

__all__ = ["methods_section", "stamp_section"]


def methods_section(a: Analysis, info: DataInfo) -> Section:
    """Which methods, why, and what the numbers cannot say."""
    s = a.settings
    items: list[str] = []
    implied = (
        f"Funnel {' → '.join(s.stages)}: a lead that reached a stage counts as having reached "
        "every earlier one (an interview without a logged reply still counts as a response). "
        f"A lead belongs to the {s.by} of its {s.attribution} event."
    )
    items.append(implied)
    items.append(
        f"Rates: k of n leads with the {CI_NAMES.get(s.ci, s.ci)} at {fw.fmt_level(s.level)} "
        "(it keeps its coverage with a handful of leads, unlike the textbook ±1.96·SE)."
    )
    n_seekers = None
    if a.comparison.ok and a.comparison.value is not None:
        res = a.comparison.value
        n_seekers = res.n_seekers
        used = collections.Counter(t for t in res.pairs["test"] if t != "none")
        if used:
            listed = ", ".join(
                f"{fw.method_name(t)} for {n} pair(s)" for t, n in sorted(used.items())
            )
            why = (
                f" Rule (test='auto'): {AUTO_RULE}"
                if s.test == "auto"
                else f" (test={s.test!r} as asked)."
            )
            items.append(f"Pairwise tests: {listed}.{why}")
        items.append(
            f"All groups at once: {OMNIBUS_NAMES.get(res.omnibus.test, res.omnibus.test)}. "
            f"{res.omnibus.note}"
        )
        m = int((res.pairs["test"] != "none").sum())
        many = fw.many_comparisons_caveat(m, s.adjust, level=s.level)
        if many:
            items.append(f"Multiplicity: {many}")
        elif m == 1:
            items.append("Multiplicity: one comparison, no adjustment needed.")
        censor = fw.censoring_caveat(res.n_open, int(res.groups["n"].sum()), s.to_stage)
        if censor:
            items.append(f"Censoring: {censor}")
    items.append(
        "Time to response: Kaplan–Meier estimates. Leads still open are censored at as_of, "
        "so they are neither dropped nor counted as failures; a lead that closed without "
        "reaching the stage (a rejection or withdrawal) counts as never reaching it (a "
        "competing outcome, not censoring), so the curves give the share of all leads that "
        "got there within each number of days. Groups compared with the log-rank test."
    )
    items.append(
        f"Where to put your next hour: each {s.by}'s rate gets a Beta({s.prior[0]:g}, "
        f"{s.prior[1]:g}) prior; P(best) and the expected loss come from "
        f"{fw.fmt_count(s.draws)} posterior draws (seed {s.seed})."
    )
    items.append(
        f"How many more leads: normal approximation for two proportions (Cohen's h), "
        f"{fw.fmt_pct(s.power)} power at the {fw.fmt_level(1 - s.level)} level, taking the "
        "rates seen as the truth. It plans; it is not evidence."
    )
    caveats = [
        fw.association_caveat(s.by, n_seekers=n_seekers),
        "Selection: the leads here are the ones that were logged, and people use the channels "
        "that suit them (a referral often follows earlier effort), so a channel's rate mixes "
        "the channel with the person and the job; later steps (interview → offer) compare "
        "only the leads that got that far.",
    ]
    dependence = fw.dependence_caveat(n_seekers, None)
    if dependence:
        caveats.append(dependence)
    caveats.append(
        "Small samples: intervals, exact tests and the 'how many more leads' section say how "
        "much the numbers can move; a difference that is not clear is not evidence of no "
        "difference."
    )
    body = [
        "<h3>Methods</h3>",
        bullet_list(items),
        "<h3>Caveats</h3>",
        bullet_list(caveats),
    ]
    return Section("methods", "Methods and caveats", "\n".join(body))


def stamp_section(stamp: Stamp) -> Section:
    """Versions, input fingerprints, parameters, command and generation time."""
    parts = [
        paragraph(
            "The same inputs and parameters give this report again, byte for byte"
            + (" (apart from the generation time)." if stamp.generated else ".")
        )
    ]
    if stamp.command:
        parts.append("<h3>Command</h3>")
        parts.append(f'<pre class="na-mono">{esc(stamp.command)}</pre>')
    parts.append("<h3>Parameters</h3>")
    parts.append(definition_table(stamp.parameters))
    parts.append("<h3>Inputs</h3>")
    if stamp.inputs:
        import pandas as pd

        frame = pd.DataFrame(
            {
                "file": [f.name for f in stamp.inputs],
                "bytes": [f.size for f in stamp.inputs],
                "SHA-256": [f.sha256 for f in stamp.inputs],
            }
        )
        parts.append(table(frame, numeric=["bytes"], mono=["SHA-256"]))
    else:
        parts.append(paragraph("Data passed in memory (no input files)."))
    parts.append(
        definition_table([("SHA-256 of the events analysed", stamp.events_sha256)], mono=True)
    )
    parts.append("<h3>Software</h3>")
    parts.append(definition_table(stamp.versions))
    if stamp.generated:
        parts.append(paragraph(f"Generated {stamp.generated}."))
    parts.append(
        paragraph(
            "The same stamp is embedded as JSON for programs: "
            "netanalysis.reporting.read_stamp('report.html') reads it back."
        )
    )
    parts.append(stamp_script(stamp))
    return Section("stamp", "Reproducibility", "\n".join(parts))

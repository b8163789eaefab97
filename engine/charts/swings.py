"""The swings chart (Palmyra's showcase): one site's control bar with each change of hands
labelled, above what each source claimed and when it was published.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from engine.charts.encodings import chart_title, claim_tooltip, controller_colour, date_x
from engine.charts.frames import fit_rows, interval_frame, site_labels, view_window, window_text
from engine.charts.layers import interval_layers
from engine.charts.style import CONTROLLERS, FONT
from engine.charts.ticks import claim_ticks


def swings_chart(
    intervals: pl.DataFrame,
    swings: pl.DataFrame,
    claims: pl.DataFrame,
    caption: str,
    *,
    site_id: str = "palmyra",
    sites: pl.DataFrame | None = None,
    width: int = 680,
) -> alt.TopLevelMixin:
    """The showcase: one site's control bar with its swings labelled, above one row per
    claimant showing what each source claimed (dot at the claimed window, coloured by
    the claimed gainer) and when it was known (grey line to the publication day).

    Args:
        intervals, swings, claims: replay output (all sites; only ``site_id`` is drawn).
        caption: what the chart was built from, e.g. ``Replayed.caption()``.
        site_id: the site to show (Palmyra by default).
        sites: the site reference (defaults to ``load_sites()``).
        width: plot width in pixels.

    Example:
        >>> import datetime as dt
        >>> from engine.domain.schema import SWINGS, polars_schema
        >>> empty = pl.DataFrame(schema=polars_schema(SWINGS))
        >>> iv = pl.DataFrame({"site_id": ["palmyra"], "controller": ["isis"], "status": ["held"],
        ...     "start_earliest": [dt.date(2015, 5, 20)], "start_latest": [dt.date(2015, 5, 21)],
        ...     "end_earliest": [None], "end_latest": [None], "n_claims": [0], "n_claimants": [0],
        ...     "claim_ids": [[]]}, schema_overrides={"end_earliest": pl.Date, "end_latest": pl.Date,
        ...     "claim_ids": pl.List(pl.String)})
        >>> from engine.domain.schema import CLAIMS
        >>> spec = swings_chart(iv, empty, pl.DataFrame(schema=polars_schema(CLAIMS)), "log seq 0").to_dict()
        >>> print(spec["title"]["text"])
        Palmyra (Tadmur) city · تدمر: who held it, who said so, and when
    """
    labels = site_labels(sites).filter(pl.col("site_id") == site_id)
    label = labels["site_label"].item() if labels.height else site_id
    iv = intervals.filter(pl.col("site_id") == site_id)
    sw = swings.filter(pl.col("site_id") == site_id).sort("window_start", "window_end")
    cl = claims.filter(pl.col("site_id") == site_id)
    # valid time sets the view; publication days only draw the lag lines below
    window = view_window(
        iv["start_earliest"],
        iv["start_latest"],
        iv["end_earliest"],
        iv["end_latest"],
        sw["window_start"],
        sw["window_end"],
        cl["valid_from"],
        cl["valid_to"],
    )
    bars = fit_rows(interval_frame(iv, claims, sites, window), "intervals")
    y = alt.Y("site_label:N", title=None, axis=None, scale=alt.Scale(range=[0, 30]))
    marks = sw.with_columns(
        to_key=pl.when(pl.col("to_controller").is_in(list(CONTROLLERS)).fill_null(False))
        .then(pl.col("to_controller"))
        .otherwise(pl.lit("unknown")),
        label=pl.concat_str(
            pl.lit("→ "),
            pl.col("to_controller").fill_null("?"),
            pl.lit(" "),
            pl.col("window_end").dt.to_string("%-d %b %Y"),
        ),
        support=pl.concat_str(
            pl.col("n_claims").cast(pl.String),
            pl.lit(" claims: "),
            pl.col("claimants").list.join(", "),
        ),
        window=window_text("window_start", "window_end"),
        row=pl.int_range(pl.len()) % 2,
    ).drop("claim_ids", "claimants")
    swing_rules = (
        alt.Chart(marks)
        .mark_rule(strokeDash=[3, 3], color="#444444")
        .encode(x=date_x("window_end", window), tooltip=["label:N", "window:N", "support:N"])
    )
    swing_text = (
        alt.Chart(marks)
        .mark_text(align="left", dx=3, baseline="bottom", fontSize=11, fontWeight="bold")
        .encode(
            x=date_x("window_end", window),
            y=alt.Y("row:Q", axis=None, scale=alt.Scale(domain=[0, 1], range=[50, 68])),
            text="label:N",
            color=controller_colour("to_key"),
        )
    )
    control = (
        alt.layer(
            *interval_layers(bars.with_columns(site_label=pl.lit(label)), y, window, pick=False),
            swing_rules,
            swing_text,
        )
        .resolve_scale(y="independent")
        .properties(
            width=width, height=76, name="control", title="control (bars) and swings (dashed)"
        )
    )
    ticks = claim_ticks(cl, sites)
    known = alt.Chart(fit_rows(ticks.drop("claim_ids"), "claims")).encode(
        y=alt.Y("claimant_name:N", title=None, sort="ascending", axis=alt.Axis(labelLimit=260))
    )
    # a publication after the view (a chronology compiled years later) gets no lag line
    reported = alt.Chart(
        ticks.drop("claim_ids").filter(pl.col("published_date") <= window[1])
    ).encode(y=alt.Y("claimant_name:N", title=None, sort="ascending"))
    lag = reported.mark_rule(color="#BBBBBB", strokeWidth=1.5).encode(
        x=date_x("valid_to", window), x2="published_date:T"
    )
    published = reported.mark_tick(color="#777777", size=10, thickness=1).encode(
        x=date_x("published_date", window)
    )
    said = known.mark_circle(size=70, opacity=1).encode(
        x=date_x("valid_mid", window),
        color=controller_colour("gainer_key", title="controller"),
        tooltip=claim_tooltip(),
    )
    sources = alt.layer(lag, published, said).properties(
        width=width,
        height=alt.Step(26),
        name="claims",
        title="what each source claimed (dot) and when it was published (grey tick)",
    )
    return (
        alt.vconcat(control, sources, spacing=18)
        .properties(title=chart_title(f"{label}: who held it, who said so, and when", caption))
        .configure(font=FONT)
        .configure_title(subtitleFontSize=11)
    )

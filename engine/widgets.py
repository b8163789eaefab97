"""The explorer: pick sites, choose whom to believe and what was known when, and watch
the timeline replay. The only module that imports ipywidgets.

Everything renders offline: the chart is an ``alt.JupyterChart`` whose JavaScript comes
from vl-convert (``enable_offline``), never from a CDN.

The widget never edits anything: a policy change replays the same claim events
(``Replayed.with_policy``, no disk access) and redraws the chart; clicking a bar or
brushing a valid-time window only changes which claims the table lists.
"""

from __future__ import annotations

import datetime as dt
import html
from functools import cache

import altair as alt
import ipywidgets as widgets
import polars as pl

from engine import charts
from engine.domain import Policy
from engine.project import Replayed
from engine.reference import load_claimants, load_sites

#: The most claims the table lists at once (the rest are counted, not shown).
TABLE_ROWS = 60

_ALL = "all"
_EPOCH = dt.date(1970, 1, 1)


@cache
def enable_offline() -> None:
    """Make every JupyterChart load Vega from vl-convert's bundle, not from a CDN."""
    alt.JupyterChart.enable_offline()


def _escape(column: str) -> pl.Expr:
    text = pl.col(column).cast(pl.String).fill_null("")
    for raw, safe in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        text = text.str.replace_all(raw, safe, literal=True)
    return text


def claims_table_html(claims: pl.DataFrame, limit: int = TABLE_ROWS) -> str:
    """An HTML table of claims: window, site, claimant, what it says, the quote and its
    source. Quotes take their direction from their first letter (``dir="auto"``), so Arabic
    reads right to left. Built column-wise in polars, escaped.

    >>> c = pl.DataFrame({"claim_id": ["c1"], "site_id": ["palmyra"], "kind": ["captured"],
    ...     "gainer": ["isis"], "claimant": ["amaq"], "doc_id": ["d1"],
    ...     "valid_from": [dt.date(2015, 5, 20)], "valid_to": [dt.date(2015, 5, 21)],
    ...     "published_date": [dt.date(2015, 5, 21)], "evidence_text": ["سيطر <التنظيم> على تدمر"]})
    >>> html = claims_table_html(c)
    >>> 'dir="auto"' in html and "&lt;التنظيم&gt;" in html
    True
    """
    if claims.height == 0:
        return "<p class='tadmur-claims'><i>No claim behind this selection.</i></p>"
    shown = claims.sort("valid_from", "site_id", "claimant", "claim_id").head(limit)
    window = pl.concat_str(
        pl.col("valid_from").dt.to_string("%Y-%m-%d"),
        pl.lit(" – "),
        pl.col("valid_to").dt.to_string("%Y-%m-%d"),
    )
    rows = shown.select(
        pl.concat_str(
            pl.lit("<tr><td>"),
            window,
            pl.lit("</td><td>"),
            _escape("site_id"),
            pl.lit("</td><td>"),
            _escape("claimant"),
            pl.lit("</td><td>"),
            _escape("kind"),
            pl.lit(" → "),
            _escape("gainer"),
            pl.lit('</td><td dir="auto" style="text-align:start">'),
            _escape("evidence_text"),
            pl.lit("</td><td>"),
            _escape("doc_id"),
            pl.lit(" · "),
            pl.col("published_date").dt.to_string("%Y-%m-%d").fill_null("?"),
            pl.lit(" · "),
            _escape("claim_id"),
            pl.lit("</td></tr>"),
        ).alias("row")
    )["row"]
    more = claims.height - shown.height
    footer = f"<p><i>{more} more claims not shown.</i></p>" if more > 0 else ""
    head = (
        "<tr><th>valid window</th><th>site</th><th>claimant</th><th>claim</th>"
        "<th>evidence (الدليل)</th><th>source</th></tr>"
    )
    return (
        "<style>.tadmur-claims td, .tadmur-claims th {padding: 2px 8px; vertical-align: top;"
        " border-bottom: 1px solid #ddd}</style>"
        "<table class='tadmur-claims' style='border-collapse:collapse'>"
        + head
        + "".join(rows.to_list())
        + "</table>"
        + footer
    )


def evidence_html(
    text: str, claims: list[dict], *, start: str = "evidence_start", end: str = "evidence_end"
) -> str:
    """The article as right-to-left HTML with every claim's evidence span highlighted.

    Spans come from extraction output (``evidence_start``/``evidence_end``, offsets into
    ``text``); overlapping spans merge into one highlight, and each highlight's tooltip
    lists the claims it supports.

    >>> evidence_html("سيطر التنظيم على تدمر.", [{"evidence_start": 0, "evidence_end": 21,
    ...     "site_id": "palmyra", "kind": "captured", "gainer": "isis"}])[:60]
    '<div dir="rtl" lang="ar" style="line-height:1.9;text-align:r'
    """
    spans = sorted(
        (c[start], c[end], f"{c.get('site_id')}: {c.get('kind')} → {c.get('gainer')}")
        for c in claims
    )
    merged: list[list] = []
    for begin, finish, label in spans:
        if merged and begin < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], finish)
            merged[-1][2].append(label)
        else:
            merged.append([begin, finish, [label]])
    parts, cursor = [], 0
    for begin, finish, labels in merged:
        parts.append(html.escape(text[cursor:begin]))
        title = html.escape("; ".join(labels), quote=True)
        parts.append(
            f'<mark title="{title}" style="background:#F0E442">'
            f"{html.escape(text[begin:finish])}</mark>"
        )
        cursor = finish
    parts.append(html.escape(text[cursor:]))
    body = "".join(parts).replace("\n", "<br>")
    return f'<div dir="rtl" lang="ar" style="line-height:1.9;text-align:right">{body}</div>'


def _day_of(value: float | str) -> dt.date:
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return _EPOCH + dt.timedelta(milliseconds=float(value))


class Explorer:
    """Sites, trust toggles, a "known by" slider, a valid-time brush and the claims table.

    Args:
        replayed: the log replayed once (``replay_log()``); its policy is the baseline
            the toggles and the slider modify.
        target: a site id, a region id or ``all`` (see ``charts.sites_for``).

    Example:
        >>> from engine.project import replay_log
        >>> explorer = Explorer(replay_log(), target="palmyra")    # doctest: +SKIP
        >>> explorer                                                # doctest: +SKIP
    """

    def __init__(self, replayed: Replayed, target: str = "palmyra"):
        enable_offline()
        self.base = replayed
        self.current = replayed
        events = replayed.claim_events
        names = dict(load_claimants().select("claimant_id", "name_en").iter_rows())
        claimants = sorted(set(events["claimant"].drop_nulls().to_list()))
        days = sorted(set(events["published_date"].drop_nulls().to_list()))
        self.picker = widgets.Dropdown(
            options=self._targets(),
            value=target,
            description="sites",
            layout=widgets.Layout(width="360px"),
        )
        self.toggles = {
            claimant: widgets.ToggleButton(
                value=claimant not in replayed.policy.distrust,
                description=claimant,
                tooltip=f"believe {names.get(claimant, claimant)}?",
                layout=widgets.Layout(width="auto"),
            )
            for claimant in claimants
        }
        known = replayed.policy.known_by
        options = [(day.isoformat(), day) for day in days] + [(_ALL, _ALL)]
        self.known_by = widgets.SelectionSlider(
            options=options,
            value=known if known in days else _ALL,
            description="known by",
            continuous_update=False,
            layout=widgets.Layout(width="640px"),
            style={"description_width": "initial"},
        )
        self.status = widgets.HTML()
        self.table = widgets.HTML()
        self.selection_note = widgets.Label()
        self.chart = self._new_chart()
        self.chart_box = widgets.Box([self.chart])
        self.picker.observe(self._on_policy, names="value")
        self.known_by.observe(self._on_policy, names="value")
        for toggle in self.toggles.values():
            toggle.observe(self._on_policy, names="value")
        self._show_claims()

    # ------------------------------------------------------------ state -> policy -> chart

    def policy(self) -> Policy:
        """The policy the controls describe: the baseline, plus the slider and the toggles."""
        base = self.base.policy
        off = frozenset(c for c, toggle in self.toggles.items() if not toggle.value)
        return Policy(
            as_of_seq=base.as_of_seq,
            known_by=None if self.known_by.value == _ALL else self.known_by.value,
            trust=base.trust,
            distrust=base.distrust | off,
            include_denied=base.include_denied,
            min_confidence=base.min_confidence,
            include_candidates=base.include_candidates,
        )

    def _targets(self) -> list[tuple[str, str]]:
        sites = load_sites()
        regions = sorted(set(sites["region_id"].drop_nulls().to_list()))
        labelled = charts.site_labels(sites)
        present = set(self.base.claim_events["site_id"].drop_nulls().to_list())
        site_options = [
            (label, site_id)
            for site_id, label in labelled.select("site_id", "site_label").iter_rows()
            if site_id in present
        ]
        return [("all sites", _ALL)] + [(f"region: {r}", r) for r in regions] + site_options

    def _frames(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        chosen = charts.sites_for(self.picker.value)
        timelines = self.current.timelines
        intervals = timelines.intervals.filter(pl.col("site_id").is_in(chosen))
        claims = timelines.claims.filter(pl.col("site_id").is_in(chosen))
        return intervals, claims

    def _build(self) -> alt.TopLevelMixin:
        intervals, claims = self._frames()
        self.bars = charts.interval_frame(intervals, claims)
        self.status.value = (
            f"<b>{self.current.caption()}</b> · {intervals.height} intervals · "
            f"{claims.height} believed claims"
        )
        return charts.timeline_chart(
            intervals,
            claims,
            self.current.caption(),
            interactive=True,
            title="Who held each site (click a bar, drag below to pick a window)",
        )

    def _new_chart(self) -> alt.JupyterChart:
        chart = alt.JupyterChart(self._build(), embed_options={"renderer": "svg", "actions": False})
        for name in ("pick", "brush"):
            chart.selections.observe(self._on_selection, names=name)
        return chart

    def redraw(self) -> None:
        """Replay under the current policy and show a new chart.

        A new JupyterChart, not ``chart.chart = ...``: JupyterChart re-embeds a changed
        spec asynchronously and unserialised, so two quick changes can leave the older
        chart on screen. A fresh widget gets a fresh view, so the last policy always wins.
        """
        self.current = self.base.with_policy(self.policy())
        old, self.chart = self.chart, self._new_chart()
        self.chart_box.children = (self.chart,)
        old.close()
        self._show_claims()

    def _on_policy(self, _change: dict | None = None) -> None:
        self.redraw()

    # ------------------------------------------------------------ selections -> table

    def _on_selection(self, _change: dict | None = None) -> None:
        self._show_claims()

    def picked_interval_ids(self) -> list[str]:
        """Interval ids of the bars clicked in the chart (empty when none)."""
        pick = getattr(self.chart.selections, "pick", None)
        values = pick.value if pick is not None and pick.value else []
        return [v["interval_id"] for v in values if "interval_id" in v]

    def brushed_window(self) -> tuple[dt.date, dt.date] | None:
        """The valid-time window brushed under the chart, if any."""
        brush = getattr(self.chart.selections, "brush", None)
        if brush is None or not brush.value:
            return None
        span = next(iter(brush.value.values()))
        return _day_of(min(span)), _day_of(max(span))

    def choose_interval(self, interval_id: str | None) -> None:
        """Do what a click on a bar does (``None``: clear), e.g. from a script or a test.

        The chart reports clicks by updating its ``_vl_selections`` trait; we set it the
        same way, so the observers run exactly as for a real click.
        """
        value = {"vlPoint": {"or": [{"interval_id": interval_id}]}} if interval_id else None
        selections = dict(self.chart._vl_selections)
        selections["pick"] = {"value": value, "store": []}
        self.chart._vl_selections = selections

    def shown_claims(self) -> pl.DataFrame:
        """The claims the table lists: behind the clicked bars, within the brushed window."""
        _, claims = self._frames()
        picked = self.picked_interval_ids()
        notes = []
        if picked:
            ids = self.bars.filter(pl.col("interval_id").is_in(picked))["claim_ids"].explode()
            claims = claims.filter(pl.col("claim_id").is_in(ids.implode()))
            notes.append("claims behind " + ", ".join(picked))
        window = self.brushed_window()
        if window:
            claims = claims.filter(
                (pl.col("valid_to") >= window[0]) & (pl.col("valid_from") <= window[1])
            )
            notes.append(f"valid between {window[0]} and {window[1]}")
        self.selection_note.value = " · ".join(notes) or "all believed claims for these sites"
        return claims

    def _show_claims(self) -> None:
        self.table.value = claims_table_html(self.shown_claims())

    # ------------------------------------------------------------ display

    @property
    def widget(self) -> widgets.VBox:
        """The whole explorer as one widget."""
        toggles = widgets.HBox(
            [widgets.Label("believe:")] + list(self.toggles.values()),
            layout=widgets.Layout(flex_flow="row wrap"),
        )
        box = widgets.VBox(
            [
                self.picker,
                toggles,
                self.known_by,
                self.status,
                self.chart_box,
                self.selection_note,
                self.table,
            ]
        )
        box.add_class("tadmur-explorer")  # a stable hook for the browser tests
        return box

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of every month from ``first``'s month to ``last``'s.

    >>> month_starts(dt.date(2016, 11, 20), dt.date(2017, 1, 2))
    [datetime.date(2016, 11, 1), datetime.date(2016, 12, 1), datetime.date(2017, 1, 1)]
    """
    days = pl.date_range(first.replace(day=1), last.replace(day=1), interval="1mo", eager=True)
    return days.to_list()


class MapPlayer:
    """Control on a map, month by month: a Play button and a date slider.

    All the maps live in one chart spec (``charts.map_series_chart``); moving the slider
    only sets the chart's ``day`` parameter, so the browser re-filters without re-rendering.

    Args:
        replayed: the log replayed (``replay_log()``).
        days: the days to show (default: the first of every month the claims cover).
        start: the day shown first (one of ``days``; default the last). It is built into
            the chart spec: once displayed, the browser reports the spec's value back, so
            a parameter set from Python before display would be overwritten.
    """

    def __init__(
        self, replayed: Replayed, days: list[dt.date] | None = None, start: dt.date | None = None
    ):
        enable_offline()
        timelines = replayed.timelines
        if days is None:
            claims = timelines.claims
            first, last = claims["valid_from"].min(), claims["valid_to"].max()
            days = month_starts(first, last) if first and last else [dt.date(2016, 1, 1)]
        self.days = list(days)
        first_shown = len(self.days) - 1 if start is None else self.days.index(start)
        snapshots = pl.concat(
            [timelines.snapshot(day).with_columns(day=pl.lit(day)) for day in self.days]
        )
        self.chart = alt.JupyterChart(
            charts.map_series_chart(
                snapshots, replayed.caption(), days=self.days, shown=first_shown
            ),
            embed_options={"renderer": "svg", "actions": False},
        )
        options = [(day.isoformat(), index) for index, day in enumerate(self.days)]
        self.slider = widgets.SelectionSlider(
            options=options,
            value=first_shown,
            description="on",
            layout=widgets.Layout(width="560px"),
        )
        self.play = widgets.Play(
            min=0,
            max=len(self.days) - 1,
            value=first_shown,
            interval=700,
            description="play",
        )
        widgets.jslink((self.play, "value"), (self.slider, "index"))
        self.slider.observe(self._on_day, names="value")

    def _on_day(self, change: dict) -> None:
        self.chart.params.day = change["new"]

    def show(self, day: dt.date) -> None:
        """Move a displayed player to ``day`` (one of ``days``); use ``start`` before display."""
        index = self.days.index(day)
        self.play.value = index  # the two are linked in the browser: keep them equal
        self.slider.value = index

    @property
    def widget(self) -> widgets.VBox:
        """The player as one widget."""
        box = widgets.VBox([widgets.HBox([self.play, self.slider]), self.chart])
        box.add_class("tadmur-map-player")
        return box

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def explore(replayed: Replayed, target: str = "palmyra") -> Explorer:
    """Build an :class:`Explorer` (display it as the last expression of a cell)."""
    return Explorer(replayed, target)


__all__ = [
    "Explorer",
    "MapPlayer",
    "claims_table_html",
    "enable_offline",
    "evidence_html",
    "explore",
    "month_starts",
]

"""The explorer: pick sites, choose whom to believe and what was known when, and watch
the timeline replay at once.

The chart of a site set is built once (fixed rows, fixed time axis); a change of policy
replays the same claim events (``Replayed.with_policy``, no disk access) and sends the
new rows to the chart on screen (``engine.explore.live``): nothing is rebuilt or
validated, and the zoom and the clicked bar stay. Only picking another site set builds
a new chart. Clicking a bar or brushing a valid-time window changes which claims the
table lists.
"""

from __future__ import annotations

import datetime as dt
import shlex
from pathlib import Path

import altair as alt
import ipywidgets as widgets
import polars as pl

from engine import charts
from engine.charts.targets import SiteSet, site_set
from engine.charts.timeline import TimelineRows, timeline_layout, timeline_rows
from engine.domain import Policy
from engine.domain.policy import build_policy
from engine.explore.live import live_chart, send
from engine.explore.tables import TABLE_ROWS, claims_table_html, table_order
from engine.project import Replayed
from engine.reference import load_claimants, load_sites

_ALL = "all"
_EPOCH = dt.date(1970, 1, 1)
_TITLE = "Who held each site (click a bar, drag below to pick a window)"

#: "Believe only this camp": the label shown and the claimants' ``affiliation``.
CAMPS = (
    ("every source", None),
    ("pro-government", "government"),
    ("opposition", "opposition"),
    ("ISIS media", "isis"),
    ("independent", "independent"),
)


def _day_of(value: float | str) -> dt.date:
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return _EPOCH + dt.timedelta(milliseconds=float(value))


def chart_command(target: str, policy: Policy, out: str = "view.html") -> str:
    """The ``tadmur chart`` command that draws this view under ``policy``.

    >>> chart_command("palmyra", Policy(known_by=dt.date(2016, 3, 21), distrust=frozenset({"sana", "amaq"})))
    'tadmur chart palmyra --timeline --out view.html --known-by 2016-03-21 --distrust amaq,sana'
    """
    words = ["tadmur", "chart", target, "--timeline", "--out", out]
    if policy.as_of_seq is not None:
        words += ["--as-of-seq", str(policy.as_of_seq)]
    if policy.known_by is not None:
        words += ["--known-by", policy.known_by.isoformat()]
    if policy.trust is not None:
        words += ["--trust", ",".join(sorted(policy.trust))]
    if policy.distrust:
        words += ["--distrust", ",".join(sorted(policy.distrust))]
    if policy.include_denied:
        words.append("--include-denied")
    if policy.include_candidates:
        words.append("--include-candidates")
    if policy.min_confidence > 0:
        words += ["--min-confidence", f"{policy.min_confidence:g}"]
    for claimant, weight in sorted(policy.weights.items()):
        words += ["--weight", f"{claimant}={weight:g}"]
    if policy.mode != "weighed":
        words += ["--mode", policy.mode]
    return shlex.join(words)


class Explorer:
    """Sites, trust toggles, a "known by" slider, a valid-time brush and the claims table.

    Args:
        replayed: the log replayed once (``replay_log()``); its policy is the baseline
            the toggles and the slider modify.
        target: a site id, a region id or ``all`` (see ``charts.sites_for``).
        export_dir: where the export buttons write the view and the claims.

    Example:
        >>> from engine.project import replay_log
        >>> explorer = Explorer(replay_log(), target="palmyra")    # doctest: +SKIP
        >>> explorer                                                # doctest: +SKIP
    """

    def __init__(self, replayed: Replayed, target: str = "palmyra", export_dir: Path | str = "exports"):
        self.base = replayed
        self.current = replayed
        self.export_dir = Path(export_dir)
        self._quiet = False
        self.page = 0
        events = replayed.claim_events
        claimants = load_claimants()
        names = dict(claimants.select("claimant_id", "name_en").iter_rows())
        self.camp_of = dict(claimants.select("claimant_id", "affiliation").iter_rows())
        present = sorted(set(events["claimant"].drop_nulls().to_list()))
        days = sorted(set(events["published_date"].drop_nulls().to_list()))
        targets = self._targets()
        self.picker = widgets.Dropdown(
            options=targets, value=target, description="sites", layout=widgets.Layout(width="420px")
        )
        self._by_name = {label: value for label, value in targets}
        self.finder = widgets.Combobox(
            options=[label for label, _ in targets],
            placeholder="find a site: type an English or Arabic name",
            ensure_option=False,
            layout=widgets.Layout(width="420px"),
        )
        self.toggles = {
            claimant: widgets.ToggleButton(
                value=claimant not in replayed.policy.distrust,
                description=claimant,
                tooltip=f"believe {names.get(claimant, claimant)}?",
                layout=widgets.Layout(width="auto"),
            )
            for claimant in present
        }
        self.camp = widgets.Dropdown(
            options=[(label, label) for label, _ in CAMPS],
            value=CAMPS[0][0],
            description="believe only",
            layout=widgets.Layout(width="300px"),
        )
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
        self.command = widgets.HTML()
        self.table = widgets.HTML()
        self.selection_note = widgets.Label()
        self.export_note = widgets.Label()
        self.previous = widgets.Button(description="◀ previous", layout=widgets.Layout(width="auto"))
        self.next = widgets.Button(description="next ▶", layout=widgets.Layout(width="auto"))
        self.exports = [
            widgets.Button(description=f"export {fmt}", layout=widgets.Layout(width="auto"))
            for fmt in ("png", "svg", "html", "csv")
        ]
        self._new_site_set()
        self.chart_box = widgets.Box([self.chart])
        self.picker.observe(self._on_site_set, names="value")
        self.finder.observe(self._on_find, names="value")
        self.camp.observe(self._on_camp, names="value")
        self.known_by.observe(self._on_policy, names="value")
        for toggle in self.toggles.values():
            toggle.observe(self._on_policy, names="value")
        self.previous.on_click(lambda _: self._turn(-1))
        self.next.on_click(lambda _: self._turn(+1))
        for button in self.exports:
            button.on_click(lambda b: self._on_export(b.description.split()[-1]))
        self._show_claims()

    # ------------------------------------------------------------ state -> policy -> rows

    def policy(self) -> Policy:
        """The policy the controls describe: the baseline, plus the slider and the toggles."""
        base = self.base.policy
        off = frozenset(c for c, toggle in self.toggles.items() if not toggle.value)
        known_by = None if self.known_by.value == _ALL else self.known_by.value
        # the builder `tadmur`'s policy options use: both refuse the same mistakes
        return build_policy(base, known_by=known_by, distrust=base.distrust | off,
                            claimants=self.camp_of)

    def _targets(self) -> list[tuple[str, str]]:
        sites = load_sites()
        present = set(self.base.claim_events["site_id"].drop_nulls().to_list())
        regions = sorted(set(sites.filter(pl.col("site_id").is_in(list(present)))["region_id"].drop_nulls().to_list()))
        labelled = charts.site_labels(sites).filter(pl.col("site_id").is_in(list(present)))
        site_options = [(label, site_id) for site_id, label in labelled.select("site_id", "site_label").iter_rows()]
        return [("all sites", _ALL)] + [(f"region: {r}", r) for r in regions] + site_options

    def _frames(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        chosen = list(self.sites.site_ids)
        timelines = self.current.timelines
        intervals = timelines.intervals.filter(pl.col("site_id").is_in(chosen))
        claims = timelines.claims.filter(pl.col("site_id").is_in(chosen))
        return intervals, claims

    def _rows(self) -> TimelineRows:
        intervals, claims = self._frames()
        return timeline_rows(
            intervals, claims, window=self.sites.window, known_by=self.current.policy.known_by,
            places=self.sites.places, caption=self.current.caption(),
        )

    @property
    def bars(self) -> pl.DataFrame:
        """The control bars drawn now (``interval_frame`` rows, with their claim ids)."""
        return self.rows.intervals

    def _describe(self) -> None:
        intervals, claims = self._frames()
        self.status.value = (
            f"<b>{self.current.caption()}</b> · {intervals.height} intervals · "
            f"{claims.height} believed claims"
        )
        self.command.value = (
            "<span style='font-family:monospace'>"
            + chart_command(self.picker.value, self.current.policy)
            + "</span>"
        )

    # ------------------------------------------------------------ site set -> a new chart

    def _new_site_set(self) -> None:
        """Fix the rows and the axis of the picked sites and build their chart once."""
        self.sites: SiteSet = site_set(self.base, self.picker.value)
        self.rows = self._rows()
        spec = timeline_layout(
            self.rows, list(self.sites.rows), self.sites.window, self.current.caption(),
            title=_TITLE, interactive=True, width=560,
        )
        self.chart: alt.JupyterChart = live_chart(spec)
        for name in ("pick", "brush", "place"):
            self.chart.selections.observe(self._on_selection, names=name)
        self._describe()

    def _on_site_set(self, _change: dict | None = None) -> None:
        # a new widget, not `chart.chart = ...`: JupyterChart re-embeds a changed spec
        # asynchronously and unserialised, so two quick changes could leave the older
        # chart on screen; a fresh widget gets a fresh view
        old = self.chart
        self.page = 0
        self._new_site_set()
        self.chart_box.children = (self.chart,)
        old.close()
        self._show_claims()

    def _on_find(self, change: dict) -> None:
        target = self._by_name.get(change["new"])
        if target is not None and target != self.picker.value:
            self.picker.value = target

    # ------------------------------------------------------------ policy -> new rows

    def redraw(self) -> None:
        """Replay under the current policy and send the new rows to the chart on screen."""
        self.current = self.base.with_policy(self.policy())
        self.rows = self._rows()
        send(self.chart, self.rows.values())
        self._describe()
        self.page = 0
        self._show_claims()

    def _on_policy(self, _change: dict | None = None) -> None:
        if not self._quiet:
            self.redraw()

    def _on_camp(self, change: dict) -> None:
        camp = dict(CAMPS)[change["new"]]
        self._quiet = True  # one replay for the whole change, not one per toggle
        try:
            for claimant, toggle in self.toggles.items():
                toggle.value = camp is None or self.camp_of.get(claimant) == camp
        finally:
            self._quiet = False
        self.redraw()

    # ------------------------------------------------------------ selections -> table

    def _on_selection(self, _change: dict | None = None) -> None:
        self.page = 0
        self._show_claims()

    def picked_interval_ids(self) -> list[str]:
        """Interval ids of the bars clicked in the chart (empty when none)."""
        pick = getattr(self.chart.selections, "pick", None)
        values = pick.value if pick is not None and pick.value else []
        return [v["interval_id"] for v in values if "interval_id" in v]

    def placed_site_ids(self) -> list[str]:
        """Site ids clicked on the map (empty when none)."""
        place = getattr(self.chart.selections, "place", None)
        values = place.value if place is not None and place.value else []
        return [v["site_id"] for v in values if "site_id" in v]

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
        picked = self.bars.filter(pl.col("interval_id").is_in(self.picked_interval_ids()))
        notes = []
        if picked.height:
            claims = claims.filter(pl.col("claim_id").is_in(picked["claim_ids"].explode().implode()))
            notes.append(
                "claims behind "
                + "; ".join(
                    f"{row['site_label']}: {row['colour_key']} from {row['since']} until {row['until']}"
                    for row in picked.iter_rows(named=True)
                )
            )
        places = self.placed_site_ids()
        if places:
            claims = claims.filter(pl.col("site_id").is_in(places))
            labels = dict(zip(self.bars["site_id"], self.bars["site_label"], strict=True))
            notes.append("claims about " + ", ".join(labels.get(s, s) for s in places))
        window = self.brushed_window()
        if window:
            claims = claims.filter(
                (pl.col("valid_to") >= window[0]) & (pl.col("valid_from") <= window[1])
            )
            notes.append(f"valid between {window[0]} and {window[1]}")
        self.selection_note.value = " · ".join(notes) or "all believed claims for these sites"
        return claims

    def _show_claims(self) -> None:
        claims = self.shown_claims()
        pages = max((claims.height - 1) // TABLE_ROWS + 1, 1)
        self.page = min(max(self.page, 0), pages - 1)
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= pages - 1
        self.table.value = claims_table_html(claims, page=self.page)

    def _turn(self, step: int) -> None:
        self.page += step
        self._show_claims()

    # ------------------------------------------------------------ exports

    def export(self, fmt: str) -> Path:
        """Write the view (``png``, ``svg``, ``html``: the chart ``chart_command`` draws) or
        the claims the table lists (``csv``) into ``export_dir``; return the file."""
        stem = f"{self.picker.value}-seq{self.current.head.seq}"
        path = self.export_dir / f"{stem}.{fmt}"
        if fmt == "csv":
            claims = table_order(self.shown_claims())
            flat = claims.with_columns(
                pl.col(c).list.join(";") for c, t in claims.schema.items() if isinstance(t, pl.List)
            )
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(flat.write_csv(date_format="%Y-%m-%d"), encoding="utf-8")
            return path
        return charts.save_chart(charts.chart_for(self.current, self.picker.value, timeline=True), path)

    def _on_export(self, fmt: str) -> None:
        self.export_note.value = f"wrote {self.export(fmt)}"

    # ------------------------------------------------------------ display

    @property
    def widget(self) -> widgets.VBox:
        """The whole explorer as one widget."""
        toggles = widgets.HBox(
            [widgets.Label("believe:")] + list(self.toggles.values()) + [self.camp],
            layout=widgets.Layout(flex_flow="row wrap"),
        )
        box = widgets.VBox(
            [
                widgets.HBox([self.picker, self.finder]),
                toggles,
                self.known_by,
                self.status,
                self.chart_box,
                widgets.HBox([widgets.Label("rebuild this view:"), self.command]),
                widgets.HBox([*self.exports, self.export_note]),
                self.selection_note,
                self.table,
                widgets.HBox([self.previous, self.next]),
            ]
        )
        box.add_class("tadmur-explorer")  # a stable hook for the browser tests
        return box

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def explore(replayed: Replayed, target: str = "palmyra") -> Explorer:
    """Build an :class:`Explorer` (display it as the last expression of a cell)."""
    return Explorer(replayed, target)

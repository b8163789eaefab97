"""Control on a map, month by month: a Play button and a date slider."""

from __future__ import annotations

import datetime as dt

import altair as alt
import ipywidgets as widgets
import polars as pl

from engine import charts
from engine.explore.live import live_chart
from engine.project import Replayed
from engine.reference import load_sites


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
        self.chart: alt.JupyterChart = live_chart(
            charts.map_series_chart(
                snapshots, replayed.caption(), sites=self._claimed_sites(replayed),
                days=self.days, shown=first_shown,
            )
        )
        options = [(day.isoformat(), index) for index, day in enumerate(self.days)]
        self.slider = widgets.SelectionSlider(
            options=options, value=first_shown, description="on", layout=widgets.Layout(width="560px")
        )
        self.play = widgets.Play(
            min=0, max=len(self.days) - 1, value=first_shown, interval=700, description="play"
        )
        widgets.jslink((self.play, "value"), (self.slider, "index"))
        self.slider.observe(self._on_day, names="value")

    @staticmethod
    def _claimed_sites(replayed: Replayed) -> pl.DataFrame:
        """The reference rows of the sites the log has claims about (the gazetteer holds
        thousands of places; only these are drawn)."""
        claimed = replayed.claim_events["site_id"].unique().implode()
        return load_sites().filter(pl.col("site_id").is_in(claimed))

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

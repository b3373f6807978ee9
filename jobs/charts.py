"""Charts as PNG bytes: the open pipeline by stage / owner / month, and the forecast against
its target.

Drawn with matplotlib's object API on an Agg canvas (no pyplot, no display, no global
figure state), so it runs headless. The chat handlers and the scheduler's digests draw from
different threads, and matplotlib does not promise thread safety (its font and text caches
are shared): one lock draws one chart at a time, about 0.2 s each.

It lives in jobs/ because the managers' weekly digest (jobs/) draws one, and jobs may not
import the chat layer; the bot imports it from here. matplotlib is imported on the first
chart, so starting the bot does not pay for it (about 2 s).
"""

from __future__ import annotations

import io
import threading
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crm_core.money import format_compact
from crm_core.services.reports import Forecast, PipelineReport
from jobs import texts
from jobs.format import money

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WIDTH, HEIGHT, DPI = 8.0, 4.5, 100  # 800 x 450 px: readable in a chat preview
MAX_BARS = 12  # as many as the pipeline table shows
COLOURS = {
    "amount": "#9db7d5",
    "weighted": "#2f6db5",
    "won": "#2e9e5b",
    "open": "#9fd3b0",
    "target": "#d1495b",
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_DRAWING = threading.Lock()


def _figure() -> tuple[Any, Any]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, layout="constrained")
    return figure, FigureCanvasAgg(figure)


def _t(text: str) -> str:
    """Text as typed: a pair of dollar signs ("$1,200 ... $300", a customer "$pend$") means
    mathtext to matplotlib; escaped, they print as they are. (Not rc_context: rcParams are
    global, and charts are drawn from several threads.)"""
    return text.replace("$", r"\$")


def _png(figure: Any, canvas: Any) -> bytes:
    buffer = io.BytesIO()
    # No timestamp or version in the file: the same numbers draw the same bytes.
    canvas.print_png(buffer, metadata={"Software": None})
    figure.clear()
    return buffer.getvalue()


def _money_axis(axis: Any) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda value, _pos: _t(_short_money(value))))


def _short_money(value: float) -> str:
    """Axis labels: $500K, $1.2M (babel's compact form, through crm_core.money)."""
    return format_compact(round(value, 2))


def pipeline_png(report: PipelineReport, title: str) -> bytes:
    """Grouped bars, amount and weighted, per stage / owner / month (in the report's order)."""
    with _DRAWING:
        return _pipeline(report, title)


def _pipeline(report: PipelineReport, title: str) -> bytes:
    figure, canvas = _figure()
    axes: Axes = figure.add_subplot()
    rows = report.rows[:MAX_BARS]
    labels = [_t(r.key) for r in rows]
    positions = list(range(len(rows)))
    width = 0.4
    axes.bar(
        [p - width / 2 for p in positions],
        [float(r.amount) for r in rows],
        width,
        label=_t(texts.CHART_AMOUNT),
        color=COLOURS["amount"],
    )
    axes.bar(
        [p + width / 2 for p in positions],
        [float(r.weighted) for r in rows],
        width,
        label=_t(texts.CHART_WEIGHTED),
        color=COLOURS["weighted"],
    )
    if len(rows) > 5:
        axes.set_xticks(positions, labels, rotation=30, ha="right")
    else:
        axes.set_xticks(positions, labels)
    _money_axis(axes.yaxis)
    axes.set_title(
        _t(
            texts.CHART_PIPELINE_SUBTITLE.format(
                title=title, amount=money(report.amount), weighted=money(report.weighted)
            )
        )
    )
    figure.legend(loc="outside lower center", ncols=2)  # never over a bar
    axes.grid(axis="y", alpha=0.3)
    return _png(figure, canvas)


def forecast_png(fc: Forecast, title: str, target: Decimal | None) -> bytes:
    """Won plus weighted open, stacked: the total against the target line, then each owner."""
    with _DRAWING:
        return _forecast(fc, title, target)


def _forecast(fc: Forecast, title: str, target: Decimal | None) -> bytes:
    figure, canvas = _figure()
    axes: Axes = figure.add_subplot()
    owners = fc.by_owner[:MAX_BARS] if len(fc.by_owner) > 1 else []
    labels = [_t(texts.CHART_TOTAL)] + [_t(o.owner) for o in owners]
    won = [float(fc.won)] + [float(o.won) for o in owners]
    weighted_open = [float(fc.open_weighted)] + [float(o.weighted - o.won) for o in owners]
    positions = list(range(len(labels)))
    axes.barh(positions, won, label=_t(texts.CHART_WON), color=COLOURS["won"])
    axes.barh(
        positions,
        weighted_open,
        left=won,
        label=_t(texts.CHART_OPEN_WEIGHTED),
        color=COLOURS["open"],
    )
    if target is not None:
        axes.axvline(
            float(target),
            color=COLOURS["target"],
            linestyle="--",
            linewidth=2,
            label=_t(texts.CHART_TARGET.format(target=money(target))),
        )
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()  # the total on top
    _money_axis(axes.xaxis)
    axes.set_title(
        _t(texts.CHART_FORECAST_SUBTITLE.format(title=title, weighted=money(fc.weighted)))
    )
    figure.legend(loc="outside lower center", ncols=3)
    axes.grid(axis="x", alpha=0.3)
    return _png(figure, canvas)


def is_png(data: bytes) -> bool:
    return data.startswith(PNG_SIGNATURE)

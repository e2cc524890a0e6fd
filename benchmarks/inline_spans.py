"""Cost of a unit with N inline spans (bold, links, code) for N = 1,000 … 100,000: it grows linearly.

Times each step that walks a unit's placeholders — segmenting the Markdown, the placeholder
check, rendering the unit's HTML and the QA checks — on one paragraph holding all N spans
(beyond what the loader accepts for one unit, to expose any quadratic step). Prints seconds
and microseconds per span; a linear step keeps the per-span figure flat as N grows.

    python -m benchmarks.inline_spans [--spans 1000 3000 10000 30000 100000]
"""

from __future__ import annotations

import argparse

from babel.messages.catalog import Message

from benchmarks.common import timed
from tilmash.i18n.checks import CheckContext, check_message
from tilmash.render.markup import unit_html
from tilmash.sources.placeholders import check_placeholders
from tilmash.sources.segment import segment

SPANS = (1_000, 3_000, 10_000, 30_000, 100_000)
KINDS = ("**word{}**", "[link{}](https://example.edu/{})", "`code{}`")


def body(spans: int) -> str:
    return " ".join(KINDS[i % len(KINDS)].format(i, i) + " text" for i in range(spans))


def measure(spans: int) -> dict[str, float]:
    markdown = body(spans)
    blocks: list = []
    seconds = {"segment": timed(lambda: blocks.extend(segment(markdown, 1)[0]))}
    block = blocks[0]
    assert len(block.placeholders) == spans
    message = Message(block.text, block.text, context=block.id)
    seconds["check"] = timed(lambda: check_placeholders(block.text, block.text))
    seconds["html"] = timed(lambda: unit_html(block, block.text, lambda _: ""))
    seconds["qa"] = timed(lambda: list(check_message(message, CheckContext("ru"))))
    return seconds


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--spans", type=int, nargs="+", default=list(SPANS))
    spans_list = arguments.parse_args().spans
    steps = ("segment", "check", "html", "qa")
    print(f"{'spans':>8}  " + "  ".join(f"{s + ' s':>9} {'µs/span':>8}" for s in steps))
    for spans in spans_list:
        seconds = measure(spans)
        cells = "  ".join(f"{seconds[s]:9.3f} {seconds[s] / spans * 1e6:8.1f}" for s in steps)
        print(f"{spans:>8,}  {cells}", flush=True)


if __name__ == "__main__":
    main()

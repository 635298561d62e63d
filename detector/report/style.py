"""The report's stylesheet, inlined into every HTML report (no file beside it, no request to fetch one).

Plain system fonts, colours that survive greyscale printing (highlighting
is also told apart by underline and strike-through), and print rules that
fit both A4 and US Letter: the page size is left to the printer, and the
margins and column widths are set so the narrower sheet still fits.
"""

from __future__ import annotations

__all__ = ["CSS"]

CSS = """
:root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #f6f8fa; --accent: #0b5cad;
  --copied: #fff1a8; --swap-from: #ffd7d5; --swap-to: #c8f0d2; --warn: #9a3412; --warn-bg: #fff4e5;
  --ok: #166534; --ok-bg: #e9f7ee; }
* { box-sizing: border-box; }
html { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: #fff; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem 1.25rem 4rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: .25rem 0 .5rem; }
h2 { font-size: 1.3rem; margin: 2.5rem 0 .75rem; padding-top: .75rem; border-top: 2px solid var(--ink); }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
p, li, dd { max-width: 60rem; }
code, pre, .hash, .url { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
  font-size: .9em; }
/* A URL or hash may break anywhere; prose only where a word does not fit, so a long URL in one column never
   squeezes a title in the next into "Sourdou gh". */
.url, .hash, pre.notice { overflow-wrap: anywhere; }
td, dd { overflow-wrap: break-word; }
.kicker { text-transform: uppercase; letter-spacing: .06em; font-size: .8rem; color: var(--muted); margin: 0; }
.meta { color: var(--muted); margin: 0; }
.callout { border-left: 6px solid; padding: .75rem 1rem; margin: 1rem 0; border-radius: 4px; }
.callout.warn { border-color: var(--warn); background: var(--warn-bg); }
.callout.ok { border-color: var(--ok); background: var(--ok-bg); }
.callout.info { border-color: var(--accent); background: #eef5fc; }
.callout > strong:first-child { display: block; margin-bottom: .25rem; }
.facts { display: grid; grid-template-columns: 11rem 1fr; gap: .35rem 1rem; margin: 1rem 0; }
.facts dt { font-weight: 600; color: var(--muted); }
.facts dd { margin: 0; }
.steps li { margin-bottom: .4rem; }
.steps code { white-space: nowrap; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .4rem .55rem; border: 1px solid var(--line); }
thead th { background: var(--bg); }
table.kv th { width: 12rem; background: var(--bg); font-weight: 600; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.pair > div > h3 { margin-top: .5rem; }
.yes { color: var(--ok); font-weight: 600; }
.no { color: var(--warn); font-weight: 600; }
.figures { display: flex; flex-wrap: wrap; gap: .75rem; margin: .5rem 0 1rem; padding: 0; list-style: none; }
.figures li { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; min-width: 9rem;
  background: var(--bg); }
.figures b { display: block; font-size: 1.35rem; }
.figures span { color: var(--muted); font-size: .85rem; }
.timeline { list-style: none; padding: 0; border-left: 3px solid var(--line); margin-left: .5rem; }
.timeline li { padding: .15rem 0 .35rem 1rem; position: relative; }
.timeline li::before { content: ""; position: absolute; left: -.5rem; top: .55rem; width: .7rem; height: .7rem;
  border-radius: 50%; background: var(--muted); }
.timeline li.original::before { background: var(--accent); }
.timeline li.copy::before { background: var(--warn); }
.timeline .when { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .9em; margin-right: .5rem; }
.side { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
pre.notice { white-space: pre-wrap; background: var(--bg); border: 1px solid var(--line); padding: 1rem;
  border-radius: 6px; font-size: .88rem; line-height: 1.45; }
table.sbs { table-layout: fixed; font-size: .92rem; }
table.sbs td { white-space: pre-wrap; line-height: 1.6; }
table.sbs th { width: 50%; }
mark.cp { background: var(--copied); color: inherit; }
del.sw { background: var(--swap-from); text-decoration: line-through; color: inherit; }
ins.sw { background: var(--swap-to); text-decoration: underline; color: inherit; }
del.rm { color: var(--muted); text-decoration: line-through; }
ins.ad { color: var(--muted); text-decoration: underline dotted; }
.legend { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; font-size: .9rem; padding: 0; list-style: none; }
ul.subs { columns: 3 15rem; column-gap: 2rem; padding-left: 0; list-style: none; font-size: .92rem; }
ul.subs li { break-inside: avoid; padding: .05rem 0; }
.times { color: var(--muted); font-size: .85em; }
.banner { border: 2px solid var(--warn); color: var(--warn); background: var(--warn-bg); padding: .6rem 1rem;
  font-weight: 600; border-radius: 4px; }
nav.toc { font-size: .95rem; }
nav.toc ol { padding-left: 1.25rem; }
footer { margin-top: 3rem; color: var(--muted); font-size: .9rem; border-top: 1px solid var(--line); }
@media (max-width: 48rem) { .pair, .facts { grid-template-columns: 1fr; } table.sbs { font-size: .85rem; } }
@media print {
  @page { margin: 14mm 12mm; }
  html { font-size: 10pt; }
  body { max-width: none; padding: 0; }
  nav.toc { display: none; }
  h2 { break-before: page; border-top: none; padding-top: 0; margin-top: 0; }
  section#notice { break-before: page; }
  section#notice h2 { break-before: auto; }
  h2, h3 { break-after: avoid; }
  tr, .figures li, .callout, .banner, .timeline li { break-inside: avoid; }
  thead { display: table-header-group; }
  pre.notice { break-inside: auto; widows: 8; orphans: 4; }  /* never the signature lines alone on a page */
  .pair { grid-template-columns: 1fr 1fr; }
  .facts { grid-template-columns: 9rem 1fr; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

"""The briefing page's stylesheet (inline in the page; system fonts only, nothing fetched),
with print rules so that Chromium's PDF breaks between sections, not inside figures."""

CSS = """
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #d6d9dc; --accent: #c0392b; --bg: #fafafa; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
header h1 { margin: 0 0 4px; font-size: 26px; }
.sub, .source { color: var(--muted); margin: 2px 0; }
h2 { border-bottom: 2px solid var(--accent); padding-bottom: 4px; margin-top: 36px; font-size: 20px; }
h3 { font-size: 16px; margin: 20px 0 8px; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
table { border-collapse: collapse; margin: 8px 0 14px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: #f1f3f4; }
td.num { text-align: right; white-space: nowrap; }
.card { border: 1px solid var(--line); border-left: 4px solid var(--accent); padding: 6px 14px; margin: 12px 0;
  break-inside: avoid; }
.card.other { border-left-color: var(--line); opacity: 0.8; }
.card h3 { margin-top: 6px; }
.tag { background: #fdecea; color: var(--accent); font-size: 12px; padding: 1px 6px; border-radius: 8px; }
.bar { display: inline-block; height: 10px; background: var(--accent); vertical-align: middle; }
.swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: middle;
  border: 1px solid #555; }
.formula { color: var(--muted); font-size: 12px; }
table.payoffs td { min-width: 180px; }
table.assumptions td:nth-child(4) { max-width: 320px; }
ul.claims { margin: 0; padding-left: 16px; }
ul.claims details p { font-size: 13px; color: var(--muted); margin: 4px 0; }
figure { margin: 12px 0 20px; break-inside: avoid; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
figure.tree svg { max-width: none; }
figcaption { color: var(--muted); font-size: 13px; }
.incomplete { border: 2px solid #e67e22; background: #fff4e5; padding: 8px 14px; margin: 14px 0; }
footer { margin-top: 40px; border-top: 1px solid var(--line); color: var(--muted); font-size: 13px; }
footer dt { font-weight: bold; color: var(--ink); }
footer dd { margin: 0 0 6px 0; word-break: break-all; }
@media print {
  body { background: #fff; }
  main { max-width: none; padding: 0; }
  section { break-before: auto; }
  h2 { break-after: avoid; }
  details { display: block; }
  details > p { display: block; }
}
"""

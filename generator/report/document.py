"""The report as one self-contained French HTML file: no script, no font, no image from elsewhere;
it opens offline and prints on A4."""

from __future__ import annotations

from datetime import datetime
from html import escape

from .charts import bar_chart, progress_chart, weekly_chart
from .figures import PARIS, Figures
from .masking import HIDDEN, SMALL, THRESHOLD, shown
from .tables import Table

STYLE = """
:root { color: #1b1b1b; background: #fff; font-family: "Atkinson Hyperlegible", Arial, sans-serif; }
body { max-width: 52rem; margin: 0 auto; padding: 1.5rem; line-height: 1.5; }
h1 { font-size: 1.8rem; margin-bottom: .25rem; } h2 { margin-top: 2.5rem; border-bottom: 3px solid #1d4f91; }
.key { display: flex; flex-wrap: wrap; gap: 1rem; padding: 0; list-style: none; }
.key li { flex: 1 1 12rem; border: 2px solid #1d4f91; border-radius: .5rem; padding: .75rem; }
.key strong { display: block; font-size: 2rem; color: #1d4f91; }
figure { margin: 1.5rem 0; break-inside: avoid; } figcaption { font-weight: bold; margin-bottom: .5rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; break-inside: auto; }
caption { text-align: left; font-weight: bold; padding: .5rem 0; }
th, td { border: 1px solid #8a8a8a; padding: .3rem .5rem; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; } thead th { background: #e8eef7; }
tr { break-inside: avoid; }
.note { border-left: 4px solid #595959; padding-left: 1rem; }
@page { size: A4; margin: 15mm; }
@media print { body { max-width: none; padding: 0; } h2 { break-after: avoid; } }
"""


def _table_html(table: Table) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in table.headers)
    body = []
    for row in table.rows:
        cells = [f'<th scope="row">{escape(row[0])}</th>']
        for cell in row[1:]:
            numeric = cell.isdigit() or cell in (SMALL, HIDDEN)
            cells.append(
                f'<td class="n">{escape(cell)}</td>' if numeric else f"<td>{escape(cell)}</td>"
            )
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f"<table><caption>{escape(table.caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _figure(table: Table) -> str:
    chart = bar_chart(f"graphique-{table.name}", table.caption, table.chart_bars())
    return (
        f"<figure><figcaption>{escape(table.caption)}</figcaption>{chart}</figure>"
        + _table_html(table)
    )


def report_html(figures: Figures, tables: list[Table], organisation: str) -> str:
    """The whole report page."""
    by_name = {table.name: table for table in tables}
    period = f"du {figures.first_day:%d/%m/%Y} au {figures.last_day:%d/%m/%Y}"
    made = datetime.now(PARIS).strftime("%d/%m/%Y à %H:%M")
    key = [
        f"<li><strong>{shown(figures.reached)}</strong> jeunes atteints {period}</li>",
        f"<li><strong>{shown(figures.reached_since_start)}</strong> depuis le début du programme "
        f"({figures.programme_start:%d/%m/%Y}), pour un objectif de {figures.target} d'ici le "
        f"{figures.programme_end:%d/%m/%Y}</li>",
    ]
    if figures.projection is not None:
        key.append(
            f"<li><strong>{figures.projection}</strong> à la fin du programme, "
            "si le rythme reste le même</li>"
        )
    progress = progress_chart(
        figures.weeks,
        start=figures.programme_start,
        end=figures.programme_end,
        target=figures.target,
        last_day=figures.last_day,
        projection=figures.projection,
    )
    sections = [
        f"<h1>« Aller vers » : les jeunes atteints</h1><p>{escape(organisation)} — période "
        f"{period}. Rapport fait le {made}. Que des nombres : aucune donnée personnelle.</p>",
        f'<ul class="key">{"".join(key)}</ul>',
        "<h2>Au fil des semaines</h2>",
        f"<figure><figcaption>Jeunes atteints depuis le début, et l'objectif</figcaption>"
        f"{progress}</figure>",
        f"<figure><figcaption>Nouveaux jeunes chaque semaine</figcaption>"
        f"{weekly_chart(figures.weeks)}</figure>",
        _table_html(by_name["semaines"]),
        "<h2>D'où viennent les jeunes</h2>",
        _figure(by_name["canaux"]),
        _table_html(by_name["partenaires"]),
        "<h2>Où vivent-ils</h2>",
        _figure(by_name["territoires"]),
        _table_html(by_name["priorites"]),
        _table_html(by_name["communes"]),
        "<h2>Les événements</h2>",
        _table_html(by_name["evenements"]),
        "<h2>Qui sont-ils</h2>",
        _figure(by_name["ages"]),
        _figure(by_name["contact"]),
        "<h2>Comment ces nombres sont comptés</h2>",
        '<div class="note">'
        "<p>Un jeune est compté une seule fois, le jour de sa première demande (rappel, "
        "inscription à un événement ou orientation par un partenaire), avec la commune, l'âge et "
        "le moyen de contact de cette demande. Le moyen par lequel il est venu vient du code du "
        "QR code (flyer, affiche, image pour les réseaux, partenaire) ou du formulaire "
        "d'orientation.</p>"
        f"<p>Pour que personne ne puisse être reconnu, toute case de moins de {THRESHOLD} jeunes "
        f"affiche « {SMALL} » (zéro compris). Quand une seule case d'un tableau est dans ce cas, "
        f"une autre case affiche « {HIDDEN} », pour qu'on ne la retrouve pas par soustraction. "
        "Dans les graphiques, « < 5 » est hachuré jusqu'à 5, sa valeur la plus haute "
        "possible.</p>"
        "<p>Les nombres par semaine ne sont pas masqués : ils ne disent rien d'autre que la date "
        "d'une demande, et le total depuis le début, que le financeur suit, les donne de toute "
        "façon.</p>"
        "<p>« Inscrits à un événement » compte les inscriptions, pas la présence le jour "
        "même.</p></div>",
    ]
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Rapport « Aller vers » {period} — {escape(organisation)}</title>"
        f"<style>{STYLE}</style></head><body><main>{''.join(sections)}</main></body></html>"
    )

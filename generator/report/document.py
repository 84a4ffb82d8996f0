"""The report as one self-contained French HTML file: no script, no font, no image from elsewhere;
it opens offline and prints on A4."""

from __future__ import annotations

from datetime import datetime
from html import escape

from ..content.french_dates import clock
from .charts import bar_chart, periods_chart, progress_chart
from .figures import PARIS
from .masking import BASE, HIDDEN, RATE_MINIMUM, RATE_STEP, SMALL, THRESHOLD, Cell
from .publication import Shown
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
.rounding { font-size: .9rem; margin-top: -.5rem; }
@page { size: A4; margin: 15mm; }
@media print { body { max-width: none; padding: 0; } h2 { break-after: avoid; } }
"""


ROUNDING = (
    f'<p class="rounding">Nombres arrondis au multiple de {BASE} le plus proche, chacun pour '
    "lui-même : un total peut donc différer de la somme de ses lignes.</p>"
)


def _pending(shown: Shown) -> str:
    """The closed weeks no period holds yet: said, not counted."""
    if shown.pending_from is None:
        return ""
    return (
        f"<p>Les semaines depuis le lundi {shown.pending_from:%d/%m/%Y} comptent ensemble moins "
        f"de {THRESHOLD} nouveaux jeunes : elles seront publiées dans une période dès qu'elles "
        f"en compteront {THRESHOLD}. D'ici là, leurs jeunes ne sont comptés dans aucun chiffre "
        "de ce rapport, qui s'arrête à la fin de la dernière période.</p>"
    )


def _td(cell: str | Cell) -> str:
    """A table cell: a published count is marked with what it counts (``data-count``)."""
    if isinstance(cell, Cell):
        mark = "data-rate" if cell.rate else "data-count"  # a percentage is not a count
        return f'<td class="n" {mark}="{cell.key}">{escape(cell.text)}</td>'
    if cell.isdigit():  # the places of an event: a setting, not a count of young people
        return f'<td class="n" data-setting="">{escape(cell)}</td>'
    return f"<td>{escape(cell)}</td>"


def _strong(cell: Cell) -> str:
    return f'<strong data-count="{cell.key}">{escape(cell.text)}</strong>'


def _table_html(table: Table) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in table.headers)
    body = []
    for row in table.rows:
        label = row[0].text if isinstance(row[0], Cell) else row[0]
        cells = [f'<th scope="row">{escape(label)}</th>', *(_td(cell) for cell in row[1:])]
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f"<table><caption>{escape(table.caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>{ROUNDING}"
    )


def _figure(table: Table) -> str:
    chart = bar_chart(f"graphique-{table.name}", table.caption, table.chart_bars())
    return (
        f"<figure><figcaption>{escape(table.caption)}</figcaption>{chart}</figure>"
        + _table_html(table)
    )


def report_html(shown: Shown, tables: list[Table], organisation: str) -> str:
    """The whole page."""
    by_name = {table.name: table for table in tables}
    period = f"du {shown.first_day:%d/%m/%Y} au {shown.last_day:%d/%m/%Y}"
    now = datetime.now(PARIS)
    made = f"{now:%d/%m/%Y} à {clock(now)}"  # « 5 h 19 », as French writes a time
    key = [
        f"<li>{_strong(shown.reached)} jeunes atteints {period}</li>",
        f"<li>{_strong(shown.since_start)} depuis le début du programme "
        f"({shown.programme_start:%d/%m/%Y}), pour un objectif de "
        f'<span data-setting="">{shown.target}</span> d\'ici le '
        f"{shown.programme_end:%d/%m/%Y}</li>",
    ]
    if shown.projection is not None and shown.projection.exact:
        key.append(
            f"<li>{_strong(shown.projection)} à la fin du programme, "
            "si le rythme reste le même</li>"
        )
    progress = progress_chart(
        shown.periods,
        start=shown.programme_start,
        end=shown.programme_end,
        target=shown.target,
        last_day=shown.last_day,
        reached=shown.since_start,
        projection=shown.projection,
    )
    weeks_end = max(shown.last_day, shown.programme_start)
    sections = [
        f"<h1>« Aller vers » : les jeunes atteints</h1><p>{escape(organisation)} — période "
        f"{period}, en semaines complètes (la semaine en cours n'est pas comptée). Rapport fait "
        f"le {made}. Que des nombres, arrondis à {BASE} près : aucune donnée personnelle.</p>",
        f'<ul class="key">{"".join(key)}</ul>',
        "<h2>Au fil des semaines</h2>",
        f"<figure><figcaption>Jeunes atteints depuis le début, et l'objectif</figcaption>"
        f"{progress}</figure>",
        f"<figure><figcaption>Nouveaux jeunes, période par période</figcaption>"
        f"{periods_chart(shown.periods, shown.programme_start, weeks_end)}</figure>",
        _table_html(by_name["semaines"]),
        _pending(shown),
        "<h2>D'où viennent les jeunes</h2>",
        _figure(by_name["canaux"]),
        _table_html(by_name["partenaires"]),
        "<h2>Où vivent-ils</h2>",
        _figure(by_name["territoires"]),
        _table_html(by_name["priorites"]),
        _table_html(by_name["communes"]),
        "<h2>Les événements</h2>",
        _table_html(by_name["evenements"]),
        *([_table_html(by_name["presence"])] if "presence" in by_name else []),
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
        f"affiche « {SMALL} » (zéro compris : un zéro qui deviendrait « {SMALL} » d'un rapport à "
        "l'autre dirait d'où vient un nouveau jeune). Les autres nombres sont arrondis au "
        f"multiple de {BASE} le plus proche (7 devient 5, 8 devient 10), chacun pour lui-même : "
        "un total peut différer de la somme de ses lignes. Tous les nombres publiés étant des "
        f"multiples de {BASE}, la différence entre deux d'entre eux, dans ce rapport ou entre "
        "deux rapports, n'est jamais d'un, deux, trois ou quatre jeunes. En plus, quand un total "
        "moins les cases visibles, un territoire moins ses communes, les jeunes d'un moyen moins "
        "ceux qui se sont inscrits… permettrait, d'après les nombres affichés, de retrouver une "
        "seule case cachée, un petit groupe ou une case « "
        f"{SMALL} » qui ne serait pas vide, la plus petite case encore visible affiche "
        f"« {HIDDEN} » ; ce choix ne dépend que des nombres affichés, pas des vrais nombres "
        "cachés. Dans les graphiques, les barres ont la longueur des nombres arrondis, et "
        f"« {SMALL} » (de zéro à quatre jeunes) est hachuré jusqu'à {THRESHOLD}.</p>"
        "<p>Le rapport ne compte que des semaines complètes, du lundi au dimanche, et rien de "
        "ce qui est arrivé après sa dernière semaine (demande, inscription) n'y entre. Les "
        f"semaines sont regroupées en périodes d'au moins {THRESHOLD} nouveaux jeunes, depuis "
        f"le début du programme : une période se ferme à la fin de la semaine où elle en compte "
        f"{THRESHOLD}, et le rapport s'arrête à la fin de la dernière période fermée. Les nombres "
        "d'une période ne changent plus d'un rapport à l'autre, sauf si une personne fait "
        "effacer ses données ou quand les demandes anciennes sont effacées à la fin de leur "
        "durée de conservation.</p>"
        f"<p>Les pourcentages sont calculés sur les vrais nombres, puis arrondis à {RATE_STEP} "
        f"points près ; ils ne sont montrés que s'ils portent sur au moins {RATE_MINIMUM} "
        "jeunes.</p>"
        "<p>« Inscrits à un événement » compte les inscriptions, pas la présence le jour "
        "même. La présence vient de la feuille d'émargement, notée après l'événement : "
        "« inscrits venus » compte les inscrits qui ont signé ; « venus sans place réservée », "
        "les personnes venues sans inscription et celles de la liste d'attente venues quand "
        "même. Le taux de présence est la part des inscrits qui sont venus ; il n'est montré "
        "que si les deux nombres dont il est fait le sont.</p></div>",
    ]
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Rapport « Aller vers » {period} — {escape(organisation)}</title>"
        f"<style>{STYLE}</style></head><body><main>{''.join(sections)}</main></body></html>"
    )

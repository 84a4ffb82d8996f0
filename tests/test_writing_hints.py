"""Plain-writing hints of ``porte-voix check``: on purpose-written texts, each hint with its file
and line, and never a failure."""

from __future__ import annotations

from pathlib import Path

from .conftest import Project, add_event, new_project, when


def hints_of(project: Project) -> tuple[int, list[str]]:
    result = project.check()
    lines = result.stdout.splitlines()
    return result.returncode, [line for line in lines if ": conseil : " in line]


def test_each_kind_of_hint_names_the_file_and_the_line(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    project.write(
        "aide.md",
        """
        # Une aide pour toi

        Tu peux venir nous voir.

        Dans le cadre du dispositif d'accompagnement renforcé, les bénéficiaires éligibles pourront solliciter un entretien individualisé auprès des professionnels habilités du territoire concerné.

        C'est GRATUIT et c'est *vraiment* pour toi.

        Rendez-vous le 12/05/2027 à la MJC, ou le 2027-06-03.

        Les NEET du QPV sont les bienvenus. Le pic de chaleur est passé.
        """,
    )
    code, hints = hints_of(project)
    assert code == 0  # hints never fail the check
    expected = [
        "content/aide.md:5: conseil : une phrase de 22 mots (« Dans le cadre du dispositif d'accompagnement … ») — coupe-la : 20 mots au plus, une idée par phrase",
        "content/aide.md:5: conseil : « dispositif » est du jargon — écris plutôt « aide » ou « accompagnement »",
        "content/aide.md:5: conseil : « bénéficiaires » est du jargon — écris plutôt « jeunes » ou « personnes »",
        "content/aide.md:5: conseil : « éligibles » est du jargon — écris plutôt « qui peuvent avoir droit à »",
        "content/aide.md:7: conseil : « GRATUIT » est écrit en majuscules — si c'est un sigle, écris aussi les mots en entier ; sinon, écris-le en minuscules : un mot en majuscules se lit mal",
        "content/aide.md:7: conseil : « vraiment » est en italique — enlève l'italique, qui se lit mal ; mets en gras ce qui est important",
        "content/aide.md:9: conseil : la date « 12/05/2027 » est écrite en chiffres — écris-la en toutes lettres : « mercredi 12 mai 2027 »",
        "content/aide.md:9: conseil : la date « 2027-06-03 » est écrite en chiffres — écris-la en toutes lettres : « jeudi 3 juin 2027 »",
        "content/aide.md:11: conseil : « NEET » est du jargon — écris plutôt « jeunes sans emploi ni formation »",
        "content/aide.md:11: conseil : « QPV » est du jargon — écris plutôt « quartier »",
    ]
    for hint in expected:
        assert hint in hints, "\n".join(hints)
    assert not [h for h in hints if "PIC" in h]  # « le pic » is not the acronym
    assert not [h for h in hints if "aide.md:3:" in h]  # a short, plain sentence


def test_a_hard_paragraph_gets_its_readability_score(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    project.write(
        "difficile.md",
        """
        # Difficile

        L'accompagnement personnalisé nécessite l'établissement préalable d'une contractualisation. Les modalités opérationnelles conditionnent l'effectivité des prestations. L'organisation institutionnelle détermine l'articulation administrative territoriale.
        """,
    )
    _, hints = hints_of(project)
    (hint,) = [h for h in hints if "difficile à lire" in h]
    assert hint.startswith(
        "content/difficile.md:3: conseil : ce paragraphe est difficile à lire (score "
    )
    assert hint.endswith(
        "visé : 60 ou plus) — écris des phrases plus courtes avec des mots plus simples"
    )


def test_front_matter_and_event_bodies_are_read_too(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    event_id = add_event(project, when(10), "forum", title="Forum pour les NEET")
    _, hints = hints_of(project)
    assert f"content/evenements/{event_id}.md:2: conseil : « NEET » est du jargon" in "\n".join(
        hints
    )


def test_settings_change_the_threshold_and_the_jargon(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    config = project.root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "    ecriture:\n",
            "    ecriture:\n      jargon:\n        dispositif: ''\n        parcours: chemin\n",
        ),
        encoding="utf-8",
    )
    project.write("page.md", "# Page\n\nLe dispositif aide ton parcours vers un emploi.\n")
    _, hints = hints_of(project)
    joined = "\n".join(hints)
    assert "« dispositif »" not in joined  # silenced
    assert (
        "content/page.md:3: conseil : « parcours » est du jargon — écris plutôt « chemin »"
        in joined
    )


def test_problems_still_fail_and_hints_come_beside_them(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    project.write("page.md", "# Page\n\n<!-- porte-voix: inconnu -->\n\nC'est TRES bien.\n")
    result = project.check()
    assert result.returncode == 1
    assert "content/page.md:5: conseil : « TRES » est écrit en majuscules" in result.stdout
    assert "le bloc « inconnu » n'existe pas" in result.stdout

"""Every content mistake is reported at once, as ``file:line: what — how to fix``, in French."""

from __future__ import annotations

import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from generator.content import load_content
from generator.settings import Settings

from .conftest import REPO, new_project

TODAY = date.today()
SIGNED = (TODAY - timedelta(days=30)).isoformat()
UNTIL = (TODAY + timedelta(days=700)).isoformat()


def repo_settings() -> Settings:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    options = next(
        p["porte-voix"] for p in config["plugins"] if isinstance(p, dict) and "porte-voix" in p
    )
    return Settings.from_mapping(config["site_name"], config["site_url"], options)


def problems_in(tmp_path: Path, files: dict[str, str]) -> list[str]:
    content = tmp_path / "content"
    (content / "evenements").mkdir(parents=True)
    (content / "partenaires.yml").write_text(
        "- id: mjc-pompey\n  nom: MJC de Pompey\n  type: association\n", encoding="utf-8"
    )
    for name, text in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return [str(problem) for problem in load_content(content, repo_settings())[1]]


EVENT = """
---
titre: Atelier CV
debut: {debut}
fin: {fin}
lieu:
  nom: MJC de Pompey
  adresse: 2 rue des Pâquis, 54340 Pompey
commune: Pompey
public: Jeunes de 16 à 29 ans
inscription: non
partenaires: [{partner}]
---
Description.
"""


def event(
    debut: str = "2027-03-14 10:00", fin: str = "2027-03-14 12:00", partner: str = "mjc-pompey"
) -> str:
    return EVENT.format(debut=debut, fin=fin, partner=partner)


TESTIMONIAL = """
---
prenom: Léa
age: {age}
commune: Frouard
citation: On m'a aidée.
{photo}consentement:
  signe_le: {signed}
  par: {by}
  photo: {photo_ok}
  jusqu_au: {until}
---
Mon histoire.
"""


def make_testimonial(
    age: int = 20,
    by: str = "la personne",
    until: str = UNTIL,
    photo: str = "",
    photo_ok: str = "non",
) -> str:
    return TESTIMONIAL.format(
        age=age, by=by, until=until, photo=photo, photo_ok=photo_ok, signed=SIGNED
    )


def test_valid_files_give_no_problem(tmp_path: Path) -> None:
    assert (
        problems_in(
            tmp_path,
            {"evenements/2027-03-14-atelier.md": event(), "temoignages/lea.md": make_testimonial()},
        )
        == []
    )


def test_impossible_date(tmp_path: Path) -> None:
    problems = problems_in(
        tmp_path, {"evenements/2027-03-14-atelier.md": event(debut="2027-02-30 10:00")}
    )
    assert problems == [
        "content/evenements/2027-03-14-atelier.md:3: la date « 2027-02-30 10:00 » n'existe pas dans le calendrier"
        " — vérifie le jour et le mois (format : 2026-12-05 14:00)"
    ]


def test_unreadable_date(tmp_path: Path) -> None:
    problems = problems_in(
        tmp_path, {"evenements/2027-03-14-atelier.md": event(debut="14 mars 2027")}
    )
    assert problems == [
        "content/evenements/2027-03-14-atelier.md:3: « 14 mars 2027 » n'est pas une date lisible"
        " — écris-la comme ceci : 2026-12-05 14:00"
    ]


def test_end_before_start(tmp_path: Path) -> None:
    problems = problems_in(
        tmp_path, {"evenements/2027-03-14-atelier.md": event(fin="2027-03-14 09:00")}
    )
    assert problems == [
        "content/evenements/2027-03-14-atelier.md:4: la fin de l'événement est avant son début"
        " — vérifie « fin » : elle doit être après « debut »"
    ]


def test_unknown_partner_with_a_suggestion(tmp_path: Path) -> None:
    problems = problems_in(
        tmp_path, {"evenements/2027-03-14-atelier.md": event(partner="mjc-pompei")}
    )
    assert problems == [
        "content/evenements/2027-03-14-atelier.md:11: le partenaire « mjc-pompei » n'existe pas dans partenaires.yml"
        " — tu voulais écrire « mjc-pompey » ? Sinon, ajoute ce partenaire dans partenaires.yml"
    ]


def test_file_name_must_match_the_start_date(tmp_path: Path) -> None:
    problems = problems_in(tmp_path, {"evenements/2027-03-15-atelier.md": event()})
    assert problems == [
        "content/evenements/2027-03-15-atelier.md:3: le nom du fichier commence par 2027-03-15 mais l'événement"
        " commence le dimanche 14 mars 2027 — renomme le fichier en 2027-03-14-atelier.md ou corrige la date"
    ]


def test_commune_outside_the_territory(tmp_path: Path) -> None:
    text = event().replace("commune: Pompey", "commune: Pompei")
    problems = problems_in(tmp_path, {"evenements/2027-03-14-atelier.md": text})
    assert problems == [
        "content/evenements/2027-03-14-atelier.md:8: la commune « Pompei » n'est pas dans le territoire de mkdocs.yml"
        " — vérifie l'orthographe, ou ajoute la commune au territoire dans mkdocs.yml"
    ]


def test_commune_spelling_without_accents_is_recognised(tmp_path: Path) -> None:
    text = event().replace("commune: Pompey", "commune: pont a mousson")
    assert problems_in(tmp_path, {"evenements/2027-03-14-atelier.md": text}) == []


def test_misspelt_key(tmp_path: Path) -> None:
    text = event().replace("public:", "publc:")
    problems = problems_in(tmp_path, {"evenements/2027-03-14-atelier.md": text})
    assert problems == [
        "content/evenements/2027-03-14-atelier.md:1: il manque la clé « public » — ajoute une ligne « public: Jeunes de 16 à 29 ans »",
        "content/evenements/2027-03-14-atelier.md:9: la clé « publc » est inconnue — tu voulais écrire « public » ?",
    ]


def test_broken_yaml_names_its_line(tmp_path: Path) -> None:
    text = event().replace("commune: Pompey", "commune: Pompey: centre")
    problems = problems_in(tmp_path, {"evenements/2027-03-14-atelier.md": text})
    assert problems == [
        "content/evenements/2027-03-14-atelier.md:8: cette ligne n'est pas du YAML valide"
        " — vérifie les deux-points après chaque clé, l'alignement des espaces et les guillemets"
    ]


def test_missing_consent(tmp_path: Path) -> None:
    text = make_testimonial().split("consentement:")[0] + "---\nMon histoire.\n"
    problems = problems_in(tmp_path, {"temoignages/lea.md": text})
    assert problems == [
        "content/temoignages/lea.md:1: aucun consentement n'est enregistré : ce témoignage ne sera pas publié"
        " — fais signer l'autorisation de publication, puis ajoute le bloc « consentement: » avec signe_le, par,"
        " photo et jusqu_au"
    ]


MINOR_CONSENT_PROBLEM = (
    "content/temoignages/lea.md:8: Léa a 16 ans : pour un mineur, « par » doit dire qui a donné"
    " l'accord, parmi « les deux parents (formulaire papier) », « le tuteur ou la tutrice"
    " (formulaire papier) », « un parent, avec l'accord déclaré de l'autre » ou « un parent, qui"
    " exerce seul l'autorité parentale » — si les deux parents ont signé l'autorisation papier,"
    " écris « par: les deux parents (formulaire papier) » ; sinon, demande l'accord d'un parent"
    " par la page « Participer » (le lien envoyé au parent)"
)


@pytest.mark.parametrize(
    "by", ["la personne", "ses représentants légaux", "ses representants legaux"]
)
def test_a_minors_consent_must_say_what_was_collected(tmp_path: Path, by: str) -> None:
    # « ses représentants légaux » claimed both parents for what was one parent's click.
    problems = problems_in(tmp_path, {"temoignages/lea.md": make_testimonial(age=16, by=by)})
    assert problems == [MINOR_CONSENT_PROBLEM]


@pytest.mark.parametrize(
    "by",
    [
        "les deux parents (formulaire papier)",
        "le tuteur ou la tutrice (formulaire papier)",
        "un parent, avec l'accord déclaré de l'autre",
        "un parent, qui exerce seul l'autorité parentale",
    ],
)
def test_a_minors_consent_as_collected_is_published(tmp_path: Path, by: str) -> None:
    proof = (
        "\n  preuve: donné en ligne le 2026-10-01 à 18:02 ; accord d'un parent le 2026-10-02 à "
        "09:15, par le lien envoyé à l'adresse d'empreinte 7c70ee22e6db9c63"
        if by.startswith("un parent")
        else ""
    )
    testimonial = make_testimonial(age=16, by=f'"{by}"{proof}')
    assert problems_in(tmp_path, {"temoignages/lea.md": testimonial}) == []


@pytest.mark.parametrize(
    "by",
    [
        "un parent, avec l'accord déclaré de l'autre",
        "un parent, qui exerce seul l'autorité parentale",
    ],
)
def test_one_parents_consent_typed_by_hand_without_its_proof_is_refused(
    tmp_path: Path, by: str
) -> None:
    """Only the site's link collects one parent's answer; a hand-written « par » without the
    proof line that ``contributions accept`` writes shows nothing was collected."""
    testimonial = make_testimonial(age=16, by=f'"{by}"\n  preuve: appel du papa')
    assert problems_in(tmp_path, {"temoignages/lea.md": testimonial}) == [
        f"content/temoignages/lea.md:8: « par: {by} » n'est écrit que par « porte-voix "
        "contributions accept », avec la ligne « preuve » de la réponse du parent au lien : ici, "
        "rien ne montre cet accord — si les deux parents ont signé l'autorisation papier, écris "
        "« par: les deux parents (formulaire papier) » ; sinon, demande l'accord d'un parent par "
        "la page « Participer »"
    ]


def test_expired_consent(tmp_path: Path) -> None:
    expired = TODAY - timedelta(days=1)
    problems = problems_in(
        tmp_path, {"temoignages/lea.md": make_testimonial(until=expired.isoformat())}
    )
    from generator.content.french_dates import long_date

    assert problems == [
        f"content/temoignages/lea.md:10: le consentement a expiré le {long_date(expired)} : ce témoignage ne sera"
        " pas publié — fais signer une nouvelle autorisation et mets à jour « consentement », ou retire ce fichier"
    ]


def test_missing_photo(tmp_path: Path) -> None:
    problems = problems_in(
        tmp_path, {"temoignages/lea.md": make_testimonial(photo="photo: lea.jpg\n", photo_ok="oui")}
    )
    assert problems == [
        "content/temoignages/lea.md:6: le fichier « lea.jpg » est introuvable"
        " — dépose-le dans le dossier temoignages/ à côté de ce fichier, ou corrige son nom"
    ]


def test_photo_without_photo_consent(tmp_path: Path) -> None:
    (tmp_path / "content/temoignages").mkdir(parents=True)
    (tmp_path / "content/temoignages/lea.jpg").write_bytes(b"not checked here")
    problems = problems_in(
        tmp_path, {"temoignages/lea.md": make_testimonial(photo="photo: lea.jpg\n", photo_ok="non")}
    )
    assert problems == [
        "content/temoignages/lea.md:6: la photo n'a pas d'accord signé : elle ne peut pas être publiée"
        " — retire la ligne « photo », ou fais signer l'accord pour la photo et écris « photo: oui » dans « consentement »"
    ]


def test_unknown_block_in_a_page(tmp_path: Path) -> None:
    problems = problems_in(
        tmp_path,
        {"index.md": "---\ntitle: Accueil\n---\n# Accueil\n\n<!-- porte-voix: agenda -->\n"},
    )
    assert problems == [
        "content/index.md:6: le bloc « agenda » n'existe pas"
        " — les blocs possibles sont : prochains-evenements, temoignages, accessibilite,"
        " formulaire-rappel, formulaire-orientation, campagne, formulaire-temoignage,"
        " formulaire-evenement, accord-parent, mentions-legales, donnees-personnelles"
    ]


def test_duplicate_partner_id(tmp_path: Path) -> None:
    content = tmp_path / "content"
    problems_in(tmp_path, {})
    (content / "partenaires.yml").write_text(
        "- id: caf\n  nom: CAF\n  type: action sociale\n- id: caf\n  nom: CAF 54\n  type: action sociale\n",
        encoding="utf-8",
    )
    assert [str(p) for p in load_content(content, repo_settings())[1]] == [
        "content/partenaires.yml:4: l'identifiant « caf » est déjà utilisé — donne un identifiant différent à chaque partenaire"
    ]


ALL_AT_ONCE = {
    "evenements/2027-03-14-atelier.md": event(debut="2027-02-30 10:00", partner="inconnu"),
    "evenements/2027-04-01-forum.md": event(
        debut="2027-04-01 14:00", fin="2027-04-01 12:00"
    ).replace("Atelier CV", ""),
    "temoignages/lea.md": make_testimonial(age=16, until=(TODAY - timedelta(days=2)).isoformat()),
}


def test_every_problem_of_every_file_in_one_run(tmp_path: Path) -> None:
    problems = problems_in(tmp_path, ALL_AT_ONCE)
    locations = [p.split(": ", 1)[0] for p in problems]
    assert locations == [
        "content/evenements/2027-03-14-atelier.md:3",
        "content/evenements/2027-03-14-atelier.md:11",
        "content/evenements/2027-04-01-forum.md:2",
        "content/evenements/2027-04-01-forum.md:4",
        "content/temoignages/lea.md:8",
        "content/temoignages/lea.md:10",
    ]


@pytest.fixture(scope="module")
def broken_project(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    project = new_project(tmp_path_factory.mktemp("broken"))
    for name, text in ALL_AT_ONCE.items():
        project.write(name, text)
    project.write("temoignages/ok.md", make_testimonial().replace("Léa", "Zoé"))
    return project


def test_check_command_lists_all_problems_and_fails(broken_project) -> None:  # type: ignore[no-untyped-def]
    result = broken_project.check()
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 6
    assert lines[0].startswith(
        "content/evenements/2027-03-14-atelier.md:3: la date « 2027-02-30 10:00 »"
    )
    assert "6 problèmes à corriger" in result.stderr


def test_strict_build_fails_on_the_same_problems(broken_project) -> None:  # type: ignore[no-untyped-def]
    checked = broken_project.check().stdout.strip().splitlines()
    result = broken_project.build(strict=True)
    assert result.returncode != 0
    for line in checked:
        assert line in result.stderr


def test_invalid_items_are_never_published(broken_project) -> None:  # type: ignore[no-untyped-def]
    result = broken_project.build(strict=False)
    assert result.returncode == 0, result.stderr
    assert (broken_project.site / "temoignages/ok/index.html").is_file()
    assert not (broken_project.site / "temoignages/lea").exists()
    assert "Léa" not in (broken_project.site / "temoignages/index.html").read_text(encoding="utf-8")
    assert not (broken_project.site / "evenements/2027-03-14-atelier").exists()


def event_with(extra: str) -> str:
    """A valid event with more keys after ``partenaires`` (line 11), from line 12 on."""
    line = "partenaires: [mjc-pompey]\n"
    return event().replace(line, line + textwrap.dedent(extra).lstrip("\n"))


ATELIER = "content/evenements/2027-03-14-atelier.md"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "statut: annule\n",
            f"{ATELIER}:12: cet événement est annulé mais ne dit pas pourquoi au public"
            " — ajoute une ligne « raison: » avec une phrase pour le public, par exemple"
            " « raison: La salle est fermée pour travaux. »",
        ),
        (
            "statut: Reporté\nraison: ''\n",
            f"{ATELIER}:12: cet événement est reporté mais ne dit pas pourquoi au public"
            " — ajoute une ligne « raison: » avec une phrase pour le public, par exemple"
            " « raison: La salle est fermée pour travaux. »",
        ),
        (
            "statut: supprime\nraison: Plus de salle.\n",
            f"{ATELIER}:12: « statut » vaut « supprime », un mot que Porte-voix ne connaît pas"
            " — écris « statut: annule » (annulé) ou « statut: reporte » (reporté),"
            " ou enlève la ligne pour un événement prévu",
        ),
        (
            "raison: Plus de salle.\n",
            f"{ATELIER}:12: « raison » ne sert que pour un événement annulé ou reporté"
            " — ajoute « statut: annule » ou « statut: reporte », ou enlève la ligne « raison »",
        ),
        (
            "statut: annule\nraison: Plus de salle.\nnouveau_debut: 2027-04-02 10:00\n",
            f"{ATELIER}:14: « nouveau_debut » ne sert que pour un événement reporté"
            " — ajoute « statut: reporte », ou enlève « nouveau_debut » (pour changer seulement"
            " l'heure le même jour, corrige « debut » et « fin »)",
        ),
        (
            "statut: reporte\nraison: Plus de salle.\nnouvelle_fin: 12:00\n",
            f"{ATELIER}:14: « nouvelle_fin » est écrite sans « nouveau_debut »"
            " — ajoute « nouveau_debut » avec la nouvelle date et l'heure de début,"
            " ou enlève « nouvelle_fin »",
        ),
        (
            "statut: reporte\nraison: Plus de salle.\nnouveau_debut: 2027-04-02 10:00\n"
            "nouvelle_fin: 09:00\n",
            f"{ATELIER}:15: la nouvelle fin de l'événement est avant son nouveau début"
            " — vérifie « nouvelle_fin » : elle doit être après « nouveau_debut »",
        ),
        (
            "statut: reporte\nraison: Plus de salle.\nnouveau_debut: 2027-04-02\n",
            f"{ATELIER}:14: « 2027-04-02 » n'a pas d'heure"
            " — ajoute l'heure, comme ceci : 2026-12-05 14:00",
        ),
    ],
)
def test_a_cancelled_or_postponed_event_must_say_why_and_when(
    tmp_path: Path, extra: str, expected: str
) -> None:
    problems = problems_in(tmp_path, {"evenements/2027-03-14-atelier.md": event_with(extra)})
    assert problems == [expected]


@pytest.mark.parametrize(
    "extra",
    [
        "statut: annulé\nraison: La salle est fermée pour travaux.\n",
        "statut: reporte\nraison: La formatrice est malade.\n",
        "statut: reporte\nraison: Salle prise.\nnouveau_debut: 2027-04-02 10:00\nnouvelle_fin: 12:00\n",
        "statut: prevu\n",
    ],
)
def test_a_cancelled_or_postponed_event_with_its_reason_is_valid(
    tmp_path: Path, extra: str
) -> None:
    assert problems_in(tmp_path, {"evenements/2027-03-14-atelier.md": event_with(extra)}) == []


def test_check_refuses_a_cancelled_event_without_a_reason(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    project.write("evenements/2027-03-14-atelier.md", event_with("statut: annule\n"))
    result = project.check()
    assert result.returncode == 1
    assert result.stdout.strip() == (
        f"{ATELIER}:12: cet événement est annulé mais ne dit pas pourquoi au public"
        " — ajoute une ligne « raison: » avec une phrase pour le public, par exemple"
        " « raison: La salle est fermée pour travaux. »"
    )

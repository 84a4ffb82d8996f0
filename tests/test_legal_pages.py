"""Mentions légales, privacy notice and accessibility statement made from the settings and from
the code's own facts, on the real ``mkdocs build``; ``porte-voix check`` on the legal values."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from forms_backend.contributions.forms import PUBLICATION_NOTICE
from forms_backend.intake.forms import REFERRAL
from forms_backend.intake.render import PRIVACY_NOTICE
from forms_backend.store import retention
from forms_backend.store.retention import french_duration

from .conftest import REPO, Project, new_project


def text_of(page: BeautifulSoup) -> str:
    """The article's text with French non-breaking spaces as plain ones."""
    text = page.find("article").get_text(" ", strip=True)
    return re.sub(r"[\u00a0\u202f\s]+", " ", text)


def section(page: BeautifulSoup, title_start: str) -> str:
    """The text of one ``<h2>`` section of the article."""
    heading = next(
        h for h in page.find("article").find_all("h2") if h.get_text().startswith(title_start)
    )
    parts = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        parts.append(sibling.get_text(" ", strip=True))
    return re.sub(r"[\u00a0\u202f\s]+", " ", " ".join(parts))


def plugin_options(project: Project) -> dict:
    config = yaml.safe_load((project.root / "mkdocs.yml").read_text(encoding="utf-8"))
    return next(
        p["porte-voix"] for p in config["plugins"] if isinstance(p, dict) and "porte-voix" in p
    )


def set_options(project: Project, **changes: object) -> None:
    path = project.root / "mkdocs.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    options = next(
        p["porte-voix"] for p in config["plugins"] if isinstance(p, dict) and "porte-voix" in p
    )
    for key, value in changes.items():
        if value is None:
            options.pop(key, None)
        else:
            options[key] = value
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def test_the_legal_notice_says_what_mkdocs_yml_declares(sample_site: Project) -> None:
    options = plugin_options(sample_site)
    text = text_of(sample_site.page("mentions-legales"))
    publisher, hosts = options["editeur"], options["hebergement"]
    for value in (
        publisher["nom"],
        publisher["forme_juridique"],
        publisher["adresse"],
        publisher["telephone"],
        publisher["email"],
        publisher["siret"],
        publisher["directeur_publication"],
    ):
        assert str(value) in text
    for host in ("site", "formulaires"):
        for key in ("nom", "adresse", "telephone"):
            assert str(hosts[host][key]) in text
    assert "à remplacer avant la mise en ligne" in text  # the sample says it is a sample
    assert "exemple à vérifier" not in text and "à compléter" not in text


def test_check_passes_on_the_sample_but_reminds_to_replace_its_values(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    result = project.check()
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(
        number
        for number, text in enumerate((project.root / "mkdocs.yml").read_text().splitlines(), 1)
        if text.strip().startswith("exemple:")
    )
    assert f"mkdocs.yml:{line}: les mentions légales" in result.stderr
    assert "à remplacer avant la mise en ligne" in result.stderr


def test_check_lists_every_missing_or_placeholder_legal_value_at_its_line(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    options = plugin_options(project)
    publisher = dict(options["editeur"], adresse="1 rue de la Poste (adresse d'exemple à vérifier)")
    del publisher["directeur_publication"]
    hosts = {"site": {"nom": "XXX", "adresse": "", "telephone": "01 02 03 04 05"}}
    set_options(project, exemple=None, editeur=publisher, hebergement=hosts)
    result = project.check()
    assert result.returncode == 1
    lines = (project.root / "mkdocs.yml").read_text().splitlines()

    def line_of(pattern: str) -> int:
        return next(n for n, text in enumerate(lines, 1) if re.match(pattern, text))

    out = result.stdout
    address, host_name = line_of(r"\s+adresse: 1 rue de la Poste"), line_of(r"\s+nom: XXX")
    host_address = line_of(r"\s+adresse: .?.?$")
    assert (
        f"mkdocs.yml:{address}: editeur.adresse vaut « 1 rue de "
        "la Poste (adresse d'exemple à vérifier) », qui ressemble à une valeur à compléter"
    ) in out
    assert "editeur.directeur_publication manque — écris le nom du directeur" in out
    assert f"mkdocs.yml:{host_name}: hebergement.site.nom vaut « XXX »" in out
    assert f"mkdocs.yml:{host_address}: hebergement.site.adresse manque" in out
    assert "hebergement.formulaires.nom manque" in out
    assert "à remplacer avant la mise en ligne" not in result.stderr


def test_the_privacy_notice_covers_every_form_with_the_codes_facts(sample_site: Project) -> None:
    page = sample_site.page("donnees-personnelles")
    text = text_of(page)
    assert "Seulement l'équipe" not in text and "seulement l'équipe" not in text
    keep = f"effacées {french_duration(retention.SUBMISSIONS)} après le dernier contact"
    for title in (
        "Quand tu demandes à être rappelé",
        "Quand tu t'inscris",
        "Quand un ou une professionnelle",
    ):
        assert keep in section(page, title), title
    referral = section(page, "Quand un ou une professionnelle")
    assert "6-1-e" in referral and "article 14" in referral and "opposer" in referral
    assert "Votre structure" not in referral and "sa structure" in referral  # every field, plainly
    for title in ("Quand tu racontes", "Quand tu proposes"):
        assert f"effacée {french_duration(retention.CONTRIBUTIONS)} après l'envoi" in section(
            page, title
        )
    testimony = section(page, "Quand tu racontes")
    assert "de 16 à 29 ans" in testimony and "moins de 18 ans" in testimony
    parent = section(page, "Quand vous donnez votre accord")
    assert "empreinte" in parent and f"effacé {french_duration(retention.LETTERS)}" in parent
    # The parent's own rights, in their own words (vous): withdrawal, objection, access, the CNIL.
    assert "Vos droits : vous pouvez retirer votre accord à tout moment" in parent
    assert "(opposition)" in parent and "saisir la CNIL" in parent
    assert "contact@mission-locale-val-de-lorraine.fr" in parent
    kept = section(page, "Combien de temps")
    assert "SMS de confirmation gardés dans un fichier sur le serveur" in kept
    assert f"effacés {french_duration(retention.UNSENT_SMS)} après avoir été écrits" in kept
    recipients = section(page, "Qui reçoit")
    options = plugin_options(sample_site)
    assert options["hebergement"]["site"]["nom"] in recipients
    assert options["destinataires"]["courriel"] in recipients
    assert "Meta" in recipients and "WhatsApp" in recipients
    rights = section(page, "Tes droits")
    for right in (
        "accès",
        "rectification",
        "effacement",
        "limitation",
        "opposition",
        "retrait du consentement",
        "CNIL",
    ):
        assert right in rights
    assert "source" not in text or "d'où elle vient" in text
    assert "nombres" in section(page, "Les statistiques")
    assert "feuille d'émargement" in section(page, "Les statistiques")


def test_the_short_notices_beside_the_forms_agree_with_the_constants() -> None:
    assert (
        f"effacées {french_duration(retention.SUBMISSIONS)} après le dernier contact"
        in PRIVACY_NOTICE
    )
    assert "seulement" not in PRIVACY_NOTICE and "Meta" in PRIVACY_NOTICE
    assert f"effacée {french_duration(retention.CONTRIBUTIONS)} après l'envoi" in PUBLICATION_NOTICE
    assert (
        "mission de service public" in REFERRAL.privacy and "consentement" not in REFERRAL.privacy
    )


def test_a_changed_retention_constant_changes_the_built_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page is written from the constants at each build: changed here, through the real
    MkDocs build path, the page follows (a notice typed by hand would not)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setattr(retention, "SUBMISSIONS", timedelta(days=2 * 365))
    monkeypatch.setattr(retention, "CONTRIBUTIONS", timedelta(days=45))
    monkeypatch.setattr(retention, "LETTERS", timedelta(days=12))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    project = new_project(tmp_path / "p")
    monkeypatch.chdir(project.root)
    build(load_config(str(project.root / "mkdocs.yml")))
    page = project.page("donnees-personnelles")
    assert "effacées 2 ans après le dernier contact" in section(page, "Quand tu demandes")
    assert "effacée 45 jours après l'envoi" in section(page, "Quand tu racontes")
    assert "effacé 12 jours après avoir été écrit" in section(page, "Quand vous donnez")
    assert "3 ans" not in text_of(page) and "90 jours" not in text_of(page)


def test_the_purge_rhythm_is_written_in_plain_french(sample_site: Project) -> None:
    """« toutes les 24 heures », never « toutes les 1 jour »."""
    assert french_duration(retention.PURGE_EVERY) == "24 heures"
    assert french_duration(timedelta(days=7)) == "7 jours"
    table = section(sample_site.page("donnees-personnelles"), "Combien de temps")
    assert "toutes les 24 heures" in table and "1 jour" not in table


def test_the_privacy_page_promises_no_shorter_time_online_than_the_signed_consents(
    sample_site: Project,
) -> None:
    """A consent signed on paper may run longer than the default of « porte-voix new » (the
    sample's run 3 years): the page must not promise « N ans au plus » below any of them."""
    longest = 0
    for path in (REPO / "content" / "temoignages").glob("*.md"):
        consent = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])["consentement"]
        longest = max(longest, (consent["jusqu_au"] - consent["signe_le"]).days // 365)
    testimony = section(sample_site.page("donnees-personnelles"), "Quand tu racontes")
    for promised in re.findall(r"(\d+) ans au plus", testimony):
        assert int(promised) >= longest, testimony
    assert "jusqu'à la date de fin de l'accord" in testimony


def footer_status(page: BeautifulSoup) -> str:
    (link,) = [a for a in page.select("footer a") if a.get_text().startswith("Accessibilité")]
    return re.sub(r"\s+", " ", link.get_text(" ", strip=True))


def test_without_an_audit_the_site_is_non_conforme_everywhere(sample_site: Project) -> None:
    page = sample_site.page("accessibilite")
    text = text_of(page)
    assert "est non conforme avec le RGAA 4.1" in text
    assert "partiellement" not in text and "totalement" not in text
    assert "Aucun audit de conformité n'a encore été fait" in text
    assert "axe-core" in text and "ne sont pas un audit" in text
    assert "Les affiches et flyers en PDF" in section(page, "Contenus non accessibles")
    recourse = page.find("article")
    hrefs = {a["href"] for a in recourse.find_all("a", href=True)}
    assert {
        "https://formulaire.defenseurdesdroits.fr/",
        "https://www.defenseurdesdroits.fr/carte-des-delegues",
    } <= hrefs
    assert "Libre réponse 71120, 75342 Paris CEDEX 07" in text
    for path in ("", "agenda", "accessibilite"):
        assert footer_status(sample_site.page(path)) == "Accessibilité : non conforme"


def test_a_recorded_audit_at_82_5_percent_makes_it_partiellement_conforme(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    audit = {
        "taux": 82.5,
        "date": "2027-03-15",
        "auditeur": "Access Audit Lorraine",
        "pages": ["Accueil", "Agenda", "Me faire rappeler"],
        "environnement": ["Firefox 128 et NVDA 2024.4"],
        "outils": ["Colour Contrast Analyser"],
    }
    set_options(
        project,
        accessibilite={"audit": audit, "schema_pluriannuel": "https://www.exemple.org/schema.pdf"},
    )
    result = project.build()
    assert result.returncode == 0, result.stderr
    page = project.page("accessibilite")
    text = text_of(page)
    assert "est partiellement conforme avec le RGAA 4.1" in text
    assert "82,5 % des critères du RGAA 4.1" in text
    assert "lundi 15 mars 2027" in text and "Access Audit Lorraine" in text
    pages = section(page, "Résultats des tests")
    assert all(name in pages for name in audit["pages"]) and "NVDA" in pages
    assert page.find("a", href="https://www.exemple.org/schema.pdf") is not None
    for path in ("", "accessibilite", "mentions-legales"):
        assert footer_status(project.page(path)) == "Accessibilité : partiellement conforme"


@pytest.mark.parametrize(
    ("rate", "label"),
    [(49.9, "non conforme"), (50, "partiellement conforme"), (100, "totalement conforme")],
)
def test_the_status_follows_the_audit_rate(rate: float, label: str) -> None:
    from generator.accessibility import accessibility_from

    facts = accessibility_from(
        {"audit": {"taux": rate, "date": "2027-01-04", "auditeur": "A", "pages": ["Accueil"]}}
    )
    assert facts.label == label


def test_the_readme_lists_the_settings_to_fill_before_publishing() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    publishing = readme[readme.index("## Mettre le site en ligne") :]
    for key in (
        "editeur",
        "directeur_publication",
        "hebergement",
        "destinataires",
        "exemple",
        "audit",
    ):
        assert f"`{key}" in publishing, key
    assert os.path.exists(REPO / "generator" / "defaults" / "mentions-legales.md")


def test_a_role_is_not_a_directeur_de_la_publication() -> None:
    from generator.legal import legal_gaps

    role = {"editeur": {"directeur_publication": "Le président ou la présidente"}}
    assert any("c'est une fonction, pas un nom" in gap.message for gap in legal_gaps(role))
    named = {"editeur": {"directeur_publication": "Anne Le Goff, présidente"}}
    assert not any(gap.path[-1] == "directeur_publication" for gap in legal_gaps(named))


@pytest.mark.parametrize(
    ("director", "is_a_role"),
    [
        ("Présidente", True),
        ("M. le président", True),
        ("Directrice de la Mission Locale", True),
        ("Le président du conseil d'administration", True),
        ("Le Goff Anne, présidente", False),  # Breton surnames start with an article
        ("La Fontaine Jean, président", False),
        ("Anne Le Goff, présidente", False),
    ],
)
def test_a_role_is_told_from_a_surname_that_starts_with_an_article(
    director: str, is_a_role: bool
) -> None:
    from generator.legal import legal_gaps

    gaps = legal_gaps({"editeur": {"directeur_publication": director}})
    assert any("c'est une fonction" in gap.message for gap in gaps) is is_a_role, director


def test_check_refuses_a_hand_written_legal_page_without_its_block(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    project.write("donnees-personnelles.md", "# Données personnelles\n\nSeulement l'équipe.\n")
    project.write(
        "mentions-legales.md", "# Mentions légales\n\n<!-- porte-voix: mentions-legales -->\n"
    )
    result = project.check()
    assert result.returncode == 1
    assert (
        "content/donnees-personnelles.md:1: cette page remplace celle que le kit écrit d'après "
        "mkdocs.yml et le code, sans le bloc <!-- porte-voix: donnees-personnelles -->"
    ) in result.stdout
    assert "content/mentions-legales.md" not in result.stdout


@pytest.mark.parametrize(
    ("path", "value", "wrong"),
    [
        (("editeur", "siret"), "412 345 678 00027", True),  # check digit wrong
        (("editeur", "siret"), "412 345 688 00011", False),
        (("editeur", "siret"), "356 000 000 00048", False),  # La Poste, head office
        (("editeur", "siret"), "356 000 000 01251", False),  # La Poste: digit sum, not Luhn
        (("editeur", "siret"), "356 000 000 01252", True),
        (("editeur", "siret"), "412 345 670", True),  # a SIREN, not a SIRET
        (("editeur", "rna"), "W543001234", False),
        (("editeur", "rna"), "543004217", True),
        (("editeur", "telephone"), "03 83 80 12 34", False),
        (("editeur", "telephone"), "03 83 81 00", True),  # a digit pair missing
        (("hebergement", "site", "telephone"), "1007", False),  # OVH's short number
        (("hebergement", "site", "telephone"), "+1 877 448 4820", False),  # a host abroad
        (("hebergement", "formulaires", "telephone"), "+33 9 72 10 10", True),
        (("editeur", "email"), "contact@mission-locale.fr", False),
        (("editeur", "email"), "contact@mission-locale", True),
        (("dpo", "email"), "dpo mission-locale.fr", True),
        (("contact", "telephone"), "03 83 81 00", True),  # printed on every flyer and letter
        (("contact", "telephone"), "03 83 80 12 34", False),
        (("contact", "email"), "allervers@", True),
        (("contact", "adresse"), "adresse à compléter", True),
    ],
)
def test_check_refuses_an_identifier_or_contact_that_cannot_be_right(
    path: tuple[str, ...], value: str, wrong: bool
) -> None:
    from generator.legal import legal_gaps

    options: dict = {}
    current = options
    for key in path[:-1]:
        current = current.setdefault(key, {})
    current[path[-1]] = value
    refused = [gap for gap in legal_gaps(options) if gap.path == path and value in gap.message]
    assert bool(refused) is wrong


def test_the_accessibility_statement_names_the_site_and_the_day_it_was_made(
    sample_site: Project,
) -> None:
    options = plugin_options(sample_site)["accessibilite"]
    config = yaml.safe_load((sample_site.root / "mkdocs.yml").read_text(encoding="utf-8"))
    text = text_of(sample_site.page("accessibilite"))
    assert f"s'applique au site « {config['site_name']} » ({config['site_url']})" in text
    assert "Cette déclaration a été établie le mardi 1er décembre 2026." in text
    assert str(options["etablie_le"]) == "2026-12-01"


def test_check_names_every_part_the_accessibility_statement_lacks(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    set_options(project, accessibilite={"non_accessible": []})
    result = project.check()
    assert result.returncode == 1
    for key in ("etablie_le", "schema_pluriannuel", "plan_action"):
        assert re.search(rf"mkdocs\.yml:\d+: accessibilite\.{key} manque", result.stdout), key


def test_a_build_for_production_refuses_the_kits_example_values(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    run = [sys.executable, "-m", "generator"]
    common = {"capture_output": True, "text": True, "cwd": project.root, "timeout": 300}
    checked = subprocess.run([*run, "check", "--production"], **common)
    assert checked.returncode == 1
    assert "valeurs d'exemple du kit" in checked.stdout
    assert subprocess.run([*run, "check"], **common).returncode == 0  # a warning only
    built = subprocess.run([*run, "build", "--production"], **common)
    assert built.returncode == 1
    assert "rien n'a été construit ni publié" in built.stderr
    assert not (project.root / "site").exists()
    # Removing the flag is not replacing the values: the kit still knows its own examples.
    set_options(project, exemple=None)
    built = subprocess.run([*run, "build", "--production"], **common)
    assert built.returncode == 1
    for path in KIT_EXAMPLES:
        assert f"{path} vaut « " in built.stdout and "la valeur d'exemple du kit" in built.stdout
    assert not (project.root / "site").exists()
    options = plugin_options(project)
    set_options(
        project,
        editeur=dict(options["editeur"], **REAL_PUBLISHER),
        contact={
            "adresse": "5 place Duroc, 54700 Pont-à-Mousson",
            "telephone": "03 83 80 12 35",
            "email": "allervers@ml-pam.fr",
        },
        accessibilite=dict(
            options["accessibilite"],
            schema_pluriannuel="https://www.ml-pam.fr/schema.pdf",
            plan_action="https://www.ml-pam.fr/plan.pdf",
        ),
    )
    # The address every link is made from must be one the public can open.
    config_path = project.root / "mkdocs.yml"
    real = config_path.read_text(encoding="utf-8")
    for wrong in ("http://www.ml-pam.fr/", "https://localhost:8000/", "https://ml-pam.test/"):
        config_path.write_text(re.sub(r"(?m)^site_url: .*$", f"site_url: {wrong}", real), "utf-8")
        built = subprocess.run([*run, "build", "--production"], **common)
        assert built.returncode == 1, wrong
        assert re.search(rf"mkdocs\.yml:\d+: site_url vaut « {re.escape(wrong)} »", built.stdout)
        assert "1 réglage à compléter" in built.stderr
    config_path.write_text(real, "utf-8")
    assert subprocess.run([*run, "build", "--production"], **common).returncode == 0
    assert (project.root / "site" / "index.html").is_file()


# Every fictitious value the repository's mkdocs.yml ships, and real-looking replacements.
KIT_EXAMPLES = (
    "editeur.rna",
    "editeur.siret",
    "editeur.adresse",
    "editeur.email",
    "editeur.telephone",
    "editeur.directeur_publication",
    "contact.adresse",
    "contact.telephone",
    "contact.email",
    "accessibilite.schema_pluriannuel",
    "accessibilite.plan_action",
)
REAL_PUBLISHER = {
    "rna": "W543001234",
    "siret": "356 000 000 00048",
    "adresse": "5 place Duroc, 54700 Pont-à-Mousson",
    "email": "accueil@ml-pam.fr",
    "telephone": "03 83 80 12 34",
    "directeur_publication": "Anne Le Goff, présidente",
}


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("editeur", "siret"), "000 000 000 00000"),  # passes the Luhn check
        (("editeur", "rna"), "W000000000"),
        (("editeur", "directeur_publication"), "Vice-président"),
        (("editeur", "directeur_publication"), "La direction"),
        (("editeur", "directeur_publication"), "Trésorière de l'association"),
        (("editeur", "directeur_publication"), "Claire"),  # no surname
        (("editeur", "directeur_publication"), "Prénom Nom, présidente"),
        (("editeur", "adresse"), "à définir"),
        (("hebergement", "site", "nom"), "TBD"),
    ],
)
def test_check_refuses_a_filler_value(path: tuple[str, ...], value: str) -> None:
    from generator.legal import legal_gaps

    options: dict = {}
    current = options
    for key in path[:-1]:
        current = current.setdefault(key, {})
    current[path[-1]] = value
    assert [gap for gap in legal_gaps(options) if gap.path == path and value in gap.message]


AUDITED = {
    "etablie_le": date(2027, 3, 20),
    "schema_pluriannuel": "https://www.ml-pam.fr/schema.pdf",
    "plan_action": "https://www.ml-pam.fr/plan.pdf",
    "audit": {
        "taux": 82.5,
        "date": date(2027, 3, 15),
        "auditeur": "Access42",
        "pages": ["Accueil"],
        "environnement": ["Firefox et NVDA sous Windows"],
        "outils": ["Colour Contrast Analyser"],
    },
}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, None),
        (
            {"audit": {**AUDITED["audit"], "environnement": []}},
            "accessibilite.audit.environnement manque",
        ),
        ({"audit": {**AUDITED["audit"], "outils": None}}, "accessibilite.audit.outils manque"),
        (
            {"audit": {**AUDITED["audit"], "date": date(2027, 4, 2)}},
            "accessibilite.audit.date vaut 2027-04-02, une date à venir",
        ),
        (
            {"etablie_le": date(2027, 4, 2)},
            "accessibilite.etablie_le vaut 2027-04-02, une date à venir",
        ),
        (
            {"etablie_le": date(2027, 3, 1)},
            "accessibilite.etablie_le vaut 2027-03-01, avant l'audit du 2027-03-15",
        ),
    ],
)
def test_check_refuses_an_audit_the_statement_cannot_honestly_report(
    change: dict, expected: str | None
) -> None:
    from generator.accessibility import statement_gaps

    messages = [gap.message for gap in statement_gaps({**AUDITED, **change}, date(2027, 4, 1))]
    if expected is None:
        assert messages == []
    else:
        assert [m for m in messages if m.startswith(expected)], messages


def test_the_privacy_notice_says_which_answers_each_request_needs(sample_site: Project) -> None:
    """RGPD art. 13-2-e: whether giving the data is required, and what follows if it is not."""
    from forms_backend.intake.forms import CALLBACK, REFERRAL, SIGNUP
    from generator.pages.privacy import FIELD_NOUNS

    page = sample_site.page("donnees-personnelles")
    for title, spec in (
        ("Quand tu demandes à être rappelé", CALLBACK),
        ("Quand tu t'inscris", SIGNUP),
        ("Quand un ou une professionnelle t'oriente", REFERRAL),
    ):
        text = section(page, title)
        needed = text[text.index("Obligatoire :") : text.index("le reste est facultatif")]
        for form_field in spec.fields:
            if form_field.required and form_field.kind != "checkbox":
                assert FIELD_NOUNS[form_field.name] in needed, (title, form_field.name)
        assert "la demande ne peut pas partir" in needed
    referral = section(page, "Quand un ou une professionnelle t'oriente")
    assert "Vous avez sur eux les mêmes droits que les jeunes" in referral

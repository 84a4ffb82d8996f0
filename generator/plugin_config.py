"""Options of the ``porte-voix`` plugin in ``mkdocs.yml`` (one typed line each, with its default)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class PorteVoixConfig(base.Config):
    """What one Mission Locale sets; see the README for each option."""

    accessibilite = c.Type(dict, default={})
    """The RGAA statement: ``audit`` (``taux``, ``date``, ``auditeur``, ``pages``,
    ``environnement``, ``outils``), ``non_accessible`` (``contenu``, ``raison``),
    ``schema_pluriannuel``, ``plan_action`` (links). The status shown in every footer is computed
    from the audit: « non conforme » without one."""
    editeur = c.Type(dict, default={})
    """The publisher and data controller: ``nom``, ``forme_juridique``, ``rna``, ``siret``,
    ``adresse``, ``telephone``, ``email``, ``directeur_publication`` (a person's name)."""
    hebergement = c.Type(dict, default={})
    """Hosts, ``site`` and ``formulaires``, each with ``nom``, ``adresse``, ``telephone``."""
    dpo = c.Type(dict, default={})
    """The data protection officer, when there is one: ``nom``, ``email``."""
    destinataires = c.Type(dict, default={})
    """Who else receives the forms' data: ``courriel`` (mail provider), ``webhook``, ``sms``."""
    exemple = c.Type((bool, str), default=False)
    """``oui`` on the shipped sample: its legal values are examples, and ``porte-voix check``
    says « à remplacer avant la mise en ligne »."""
    territoire = c.Type(list, default=[])
    """Communautés de communes: ``nom``, optional ``id``, ``communes``; each gets an agenda page."""
    contact = c.Type(dict, default={})
    """``telephone``, ``email`` and ``adresse`` (postal) of the Mission Locale: published in
    ``porte-voix/organisation.json`` for the parents' letters, which say how to check them."""
    formulaires = c.Optional(c.Type(str))
    """Removed: the forms are always under ``/formulaires/`` (``Settings`` says so if set)."""
    cache = c.Type(str, default=".cache/porte-voix")
    """Folder (beside mkdocs.yml) where processed images are kept between builds."""
    affiches = c.Type(dict, default={})
    """Flyers and posters: ``logo`` (under content/), ``financeurs`` (the funder line printed on
    each), ``fond_perdu`` (bleed in mm, 3 by default), ``evenements`` (make them at each build)."""
    ecriture = c.Type(dict, default={})
    """Hints of ``porte-voix check``: ``mots_par_phrase`` (20), ``lisibilite_minimum`` (60,
    French Kandel–Moles), ``jargon`` (word: what to write instead; empty to silence a default),
    ``majuscules_permises`` (words in capitals that are fine)."""
    recherche_jours = c.Type(int, default=60)
    """Events starting within this many days are in the search index (which every first visit
    downloads); the agenda pages list them all anyway."""
    rappels = c.Type(dict, default={})
    """Reminders of the events a young person signed up for: ``jours_avant`` (2; 0 for none)
    and ``matin`` (oui: on the morning of the event). Never 20:00–08:00 nor on Sunday."""
    programme = c.Type(dict, default={})
    """The programme's promise, for ``porte-voix forms report``: ``objectif`` (young people to
    reach, 100), ``debut`` (first day), ``mois`` (24), ``communes_prioritaires`` (with a
    quartier prioritaire), ``communes_rurales`` (besides territories marked ``rural: oui``)."""

"""Real Chromium on the real site: what an RGAA 4.1 audit by hand found on mkdocs-material, and axe
did not (DESIGN.md §9 « Keyboard on mkdocs-material 9.8.1 »): the menu and search buttons, focus
stops out of sight or under the sticky header, single-key shortcuts, colours on focus and hover,
input borders, the announced search count, one id per page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from . import test_browser as shared
from .browser import LiveSite
from .test_browser import DESKTOP, page_types

# The live site and the browser of test_browser.py, built and started once for this module too.
live = shared.live
browser = shared.browser

NARROWEST = {"width": 320, "height": 640}

# Colours as the browser computed them, and WCAG 2.1 contrast ratios between them.
COLOURS_JS = """
window.pvColours = (() => {
  const parse = (text) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(text || "");
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a), a: 1});
  const luminance = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => {
    const x = luminance(a), y = luminance(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  };
  // The colour painted behind an element: its own background and its ancestors', composited.
  const behind = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    return layers.reverse().reduce((under, top) => over(top, under), {r: 255, g: 255, b: 255, a: 1});
  };
  // What surrounds the focus ring: the first ancestor whose box holds the ring.
  const around = (el, margin) => {
    const r = el.getBoundingClientRect();
    for (let e = el.parentElement; e; e = e.parentElement) {
      const b = e.getBoundingClientRect();
      if (b.left <= r.left - margin && b.right >= r.right + margin &&
          b.top <= r.top - margin && b.bottom >= r.bottom + margin) return behind(e);
    }
    return behind(document.body);
  };
  const textContrast = (el) => {
    const s = getComputedStyle(el), bg = behind(el);
    return ratio(over(parse(s.color), bg), bg);
  };
  // The focus indicator: the outline, or a band of box-shadow at least 2 px wide around it.
  const ringContrast = (el) => {
    const s = getComputedStyle(el);
    const width = s.outlineStyle === "none" ? 0 : parseFloat(s.outlineWidth);
    const offset = width ? parseFloat(s.outlineOffset) : 0;
    const surroundings = around(el, Math.max(0, offset) + width);
    let best = 0;
    if (width >= 2) best = ratio(over(parse(s.outlineColor), surroundings), surroundings);
    const shadow = /(rgba?\\([^)]+\\))\\s+0px 0px 0px ([\\d.]+)px/.exec(s.boxShadow);
    if (shadow && parseFloat(shadow[2]) - Math.max(0, offset) >= 2) {
      best = Math.max(best, ratio(over(parse(shadow[1]), surroundings), surroundings));
    }
    return best;
  };
  return {textContrast, ringContrast, ratio, parse, behind, around};
})();
"""

# Where the focused element is: inside the viewport, and the element drawn at the centre and at
# the top of its first line box (not the sticky header, an overlay or a drawer above it).
WHERE_JS = """
(selector) => {
  const el = selector ? document.querySelector(selector) : document.activeElement;
  const box = el.getClientRects()[0] || el.getBoundingClientRect();
  const W = window.innerWidth, H = window.innerHeight;
  // A large box (a text area) may be scrolled into view by its top part only, as browsers do.
  const inside = box.width > 0 && box.height > 0 && box.left >= -1 && box.right <= W + 1 &&
    box.top >= -1 && (box.bottom <= H + 1 || box.top + 44 <= H);
  const cx = Math.min(Math.max(box.left + box.width / 2, 0), W - 1);
  const points = [[cx, (Math.max(box.top, 0) + Math.min(box.bottom, H)) / 2], [cx, box.top + 3]];
  const hidden = points.filter(([x, y]) => {
    if (y < 0 || y >= H) return true;
    const hit = document.elementFromPoint(x, y);
    return !hit || !(hit === el || el.contains(hit));
  });
  return {inside, covered: hidden.length > 0,
          what: `${el.tagName} ${el.className} « ${(el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 40)} »`,
          box: [Math.round(box.left), Math.round(box.top), Math.round(box.width), Math.round(box.height)]};
}
"""


# At each focus stop: where the element is (WHERE_JS) and its colours, or null once the focus has
# left the page's elements. One round trip per stop: there are thousands.
STOP_JS = f"""() => {{
  const el = document.activeElement;
  if (el === document.body || !document.hasFocus()) return null;
  const c = window.pvColours;
  const hasText = (el.tagName === "A" || el.tagName === "BUTTON") && el.innerText.trim() !== "";
  return {{...({WHERE_JS})(null),
    label: `${{el.tagName}} ${{el.className}} « ${{(el.innerText || el.getAttribute("aria-label") || "").trim().slice(0, 40)}} »`,
    kind: `${{el.tagName}} ${{el.className}} ${{el.parentElement.className}} ${{el.closest("[class]:not(a):not(li):not(p)").className}}`,
    ring: c.ringContrast(el), text: hasText ? c.textContrast(el) : null}};
}}"""


def focus_stops(page: Page, hovered_kinds: set[str], limit: int = 150) -> list[dict[str, Any]]:
    """Tab from the top of the page through every focus stop, until the focus leaves the page;
    each stop's place and colours, and, for the first link or button of each kind, its text
    colour once hovered too (hovering is slow)."""
    # The colours are measured once settled, not halfway through mkdocs-material's transitions.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    page.evaluate(COLOURS_JS)
    page.locator("body").focus()
    page.evaluate("window.scrollTo(0, 0)")
    stops: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(STOP_JS)
        if stop is None:
            break
        if stops and stop["what"] == stops[0]["what"] and stop["box"] == stops[0]["box"]:
            break
        stop["hovered"] = None
        if stop["text"] is not None and stop["kind"] not in hovered_kinds:
            hovered_kinds.add(stop["kind"])
            try:
                page.evaluate_handle("document.activeElement").as_element().hover(force=True)
            except PlaywrightError as error:  # out of sight: the focus stops' test names it too
                stop["hovered"] = error.message.splitlines()[0]
            else:
                stop["hovered"] = page.evaluate(
                    "window.pvColours.textContrast(document.activeElement)"
                )
        stops.append(stop)
    return stops


Walk = dict[str, list[dict[str, Any]]]


@pytest.fixture(scope="module")
def walks() -> dict[int, Walk]:
    """Every page type walked through with the Tab key, once per width, for the tests that read
    the same stops (their places at 320 px, their colours at 320 and 1280 px)."""
    return {}


def walk(
    walks: dict[int, Walk], live: LiveSite, browser: Browser, viewport: dict[str, int]
) -> Walk:
    """The focus stops of every page type at this width, by page type (walked on first use)."""
    if viewport["width"] not in walks:
        page = browser.new_page(viewport=viewport)
        hovered_kinds: set[str] = set()
        stops: Walk = {}
        for name, url in page_types(live).items():
            page.goto(url)
            page.wait_for_load_state("networkidle")
            stops[name] = focus_stops(page, hovered_kinds)
        page.close()
        walks[viewport["width"]] = stops
    return walks[viewport["width"]]


def test_no_focus_stop_is_out_of_sight_or_under_the_header_at_320_px(
    live: LiveSite, browser: Browser, walks: dict[int, Walk]
) -> None:
    problems, counted = [], 0
    for name, stops in walk(walks, live, browser, NARROWEST).items():
        counted += len(stops)
        problems += [
            f"{name} : {s['what']} {s['box']} "
            + ("hors de l'écran" if not s["inside"] else "masqué")
            for s in stops
            if not s["inside"] or s["covered"]
        ]
    assert counted > 100
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewport", [NARROWEST, DESKTOP], ids=["320px", "1280px"])
def test_focus_and_hover_colours_contrast(
    live: LiveSite, browser: Browser, walks: dict[int, Walk], viewport: dict[str, int]
) -> None:
    # WCAG 1.4.11 / RGAA 3.3, 10.7: the focus ring ≥ 3:1 against what surrounds it; WCAG 1.4.3 /
    # RGAA 3.2: a focused or hovered link or button keeps its text ≥ 4.5:1.
    problems = []
    for name, stops in walk(walks, live, browser, viewport).items():
        for stop in stops:
            if stop["ring"] < 3:
                problems.append(f"{name} : focus {stop['label']} anneau {stop['ring']:.2f}:1")
            if stop["text"] is not None and stop["text"] < 4.5:
                problems.append(f"{name} : focus {stop['label']} texte {stop['text']:.2f}:1")
            if isinstance(stop["hovered"], str):
                problems.append(f"{name} : survol {stop['label']} impossible : {stop['hovered']}")
            elif stop["hovered"] is not None and stop["hovered"] < 4.5:
                problems.append(f"{name} : survol {stop['label']} texte {stop['hovered']:.2f}:1")
    assert not problems, "\n".join(problems)


def test_every_input_has_a_visible_border(
    live: LiveSite,
    browser: Browser,
) -> None:
    page = browser.new_page(viewport=NARROWEST)
    problems, counted = [], 0
    for url in ["rappel/", "orientation/", "participer/", "accord-parent/"]:
        page.goto(f"{live.url}/{url}")
        page.evaluate(COLOURS_JS)
        fields = page.evaluate(
            """() => [...document.querySelectorAll("form.pv-form input, form.pv-form textarea, form.pv-form select")]
              .filter(e => !["hidden", "radio", "checkbox"].includes(e.type) && e.tabIndex >= 0)
              .map(e => { const s = getComputedStyle(e), c = window.pvColours, around = c.around(e, 0);
                const sides = ["Top", "Right", "Bottom", "Left"];
                return {what: `${e.type} ${e.id}`,
                        width: Math.min(...sides.map(x => parseFloat(s[`border${x}Width`]))),
                        contrast: Math.min(...sides.map(x => c.ratio(c.parse(s[`border${x}Color`]), around)))}; })"""
        )
        counted += len(fields)
        problems += [
            f"{url} {f['what']} : bord {f['width']} px, {f['contrast']:.2f}:1"
            for f in fields
            if f["width"] < 1 or f["contrast"] < 3
        ]
    page.close()
    assert counted > 20
    assert not problems, "\n".join(problems)


def test_menu_is_a_button_that_opens_and_closes_the_drawer(
    live: LiveSite,
    browser: Browser,
) -> None:
    page = browser.new_page(viewport=NARROWEST)
    page.goto(f"{live.url}/agenda/")
    menu = page.get_by_role("button", name="Menu")
    assert menu.get_attribute("aria-expanded") == "false"
    link = "#pv-navigation a.md-nav__link"
    can_focus_link = f"() => {{ const a = document.querySelector('{link}'); a.focus(); return document.activeElement === a; }}"
    assert not page.evaluate(can_focus_link), "a link of the closed drawer takes the focus"

    menu.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.closest('#pv-navigation') !== null")
    page.wait_for_function(
        f"document.querySelector('{link}').getBoundingClientRect().left >= 0"
    )  # slid in
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#pv-navigation') !== null")

    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('pv-menu-button')")
    assert not page.evaluate(can_focus_link)

    menu.click()  # with a pointer too
    assert menu.get_attribute("aria-expanded") == "true"
    page.locator(".md-overlay").click(position={"x": 300, "y": 300})
    assert menu.get_attribute("aria-expanded") == "false"
    page.close()


def test_the_current_page_is_shown_by_more_than_colour(
    live: LiveSite,
    browser: Browser,
) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{live.url}/agenda/")
    styles = page.eval_on_selector_all(
        ".md-tabs__link",
        """links => links.map(a => ({current: a.getAttribute("aria-current"), text: a.innerText.trim(),
            underline: getComputedStyle(a).textDecorationLine, weight: getComputedStyle(a).fontWeight}))""",
    )
    current = [s for s in styles if s["current"] == "page"]
    assert [s["text"] for s in current] == ["Agenda"]
    others = {(s["underline"], s["weight"]) for s in styles if s["current"] is None}
    assert (current[0]["underline"], current[0]["weight"]) not in others
    page.close()


def test_search_is_a_button_and_its_result_count_is_announced(
    live: LiveSite,
    browser: Browser,
) -> None:
    page = browser.new_page(viewport=NARROWEST)
    page.goto(f"{live.url}/")
    page.wait_for_load_state("networkidle")
    query = ".md-search__input"
    can_focus_query = f"() => {{ const q = document.querySelector('{query}'); q.focus(); return document.activeElement === q; }}"
    assert not page.evaluate(can_focus_query), "the closed search takes the focus"
    assert not page.evaluate(
        "() => { const s = document.querySelector('.md-search__scrollwrap'); s.focus(); return document.activeElement === s; }"
    )
    button = page.get_by_role("button", name="Rechercher")
    assert button.get_attribute("aria-expanded") == "false"
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert page.evaluate(f"document.activeElement === document.querySelector('{query}')")
    page.keyboard.type("atelier")
    status = page.get_by_role("status")
    page.wait_for_function(
        "/\\d/.test(document.querySelector('.md-search-result__meta').textContent)"
    )
    assert status.count() == 1 and status.get_attribute("aria-live") == "polite"
    assert "atelier" not in status.inner_text().lower()  # the count, not the query
    assert page.locator(".md-search-result__item").count() > 0
    unnamed_icons = page.evaluate(
        "[...document.querySelectorAll('svg')].filter(s => s.getAttribute('aria-hidden') !== 'true').length"
    )
    assert unnamed_icons == 0
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('pv-search-button')")
    assert not page.evaluate(can_focus_query)
    page.close()


@pytest.mark.parametrize("where", ["page", "bouton radio"])
def test_single_key_shortcuts_do_nothing(
    live: LiveSite,
    browser: Browser,
    where: str,
) -> None:
    # RGAA 12.10: mkdocs-material changes page on « n », « p », « , », « . » and opens the search
    # on « s », « f », « / ». The agenda has a previous and a next page for them to go to.
    page = browser.new_page(viewport=DESKTOP)
    url = f"{live.url}/agenda/" if where == "page" else f"{live.url}/rappel/"
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert page.locator("link[rel=next]").count() == 1
    if where == "page":
        page.locator("h1").click()
    else:
        page.locator("#pv-rappel-canal-sms").focus()
    for key in ["n", "p", ",", ".", "s", "f", "/"]:
        page.keyboard.press(key)
        page.wait_for_timeout(300)  # the bundle navigates after its own short delay
        assert page.url == url, key
        assert not page.evaluate("document.getElementById('__search').checked"), key
    page.close()


def test_a_field_reached_from_the_error_summary_is_not_under_the_header(
    live: LiveSite,
    browser: Browser,
) -> None:
    page = browser.new_page(viewport=NARROWEST)
    page.goto(f"{live.url}/rappel/")
    page.wait_for_function("document.querySelector('input[name=jeton]').value !== ''")
    page.click("form.pv-form button[type=submit]")
    page.wait_for_selector("#pv-rappel-erreurs")
    links = page.eval_on_selector_all(
        "#pv-rappel-erreurs a", "as => as.map(a => a.getAttribute('href'))"
    )
    problems = []
    for href in links:
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.click(f"#pv-rappel-erreurs a[href='{href}']")
        page.wait_for_timeout(100)
        where = page.evaluate(WHERE_JS, href)  # a fieldset takes no focus: its place is checked
        if not where["inside"] or where["covered"]:
            problems.append(f"{href} : {where}")
    page.close()
    assert len(links) >= 4
    assert not problems, problems


def test_a_long_error_summary_gets_the_focus_with_its_title_in_sight(
    live: LiveSite,
    browser: Browser,
) -> None:
    """Five long messages at 320 px make the summary taller than the screen: its title « Il y a
    5 problèmes », read first, must not be left under the sticky header."""
    page = browser.new_page(viewport=NARROWEST)
    page.goto(f"{live.url}/rappel/")
    page.wait_for_function("document.querySelector('input[name=jeton]').value !== ''")
    page.fill("#pv-rappel-prenom", "Zoé")
    page.fill("#pv-rappel-telephone", "abc")
    page.fill("#pv-rappel-age", "12")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.click("form.pv-form button[type=submit]")
    page.wait_for_selector("#pv-rappel-erreurs")
    page.wait_for_timeout(100)
    assert page.evaluate("document.activeElement.id") == "pv-rappel-erreurs"
    assert page.evaluate("document.querySelector('#pv-rappel-erreurs').offsetHeight") > 640
    title = page.evaluate(WHERE_JS, "#pv-rappel-erreurs h2")
    page.close()
    assert title["inside"] and not title["covered"], title


def test_two_forms_with_errors_leave_no_id_twice(
    live: LiveSite,
    browser: Browser,
) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{live.url}/participer/")
    page.wait_for_function(
        "[...document.querySelectorAll('input[name=jeton]')].every(i => i.value !== '')"
    )
    for form in ["temoignage", "evenement"]:
        page.click(f"form[data-pv-form={form}] button[type=submit]")
        page.wait_for_selector(f"#pv-{form}-erreurs")
    duplicates = page.evaluate(
        """() => { const seen = {}; document.querySelectorAll('[id]').forEach(e => seen[e.id] = (seen[e.id] || 0) + 1);
          return Object.keys(seen).filter(id => seen[id] > 1); }"""
    )
    page.close()
    assert duplicates == []

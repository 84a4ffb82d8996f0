/* Porte-voix: keyboard and screen reader fixes for mkdocs-material 9.8.1, found by an RGAA 4.1 audit
   by hand (DESIGN.md §9 « Keyboard on mkdocs-material 9.8.1 »). Loaded after mkdocs-material's
   bundle. Without JavaScript the CSS keeps the closed drawer and search out of the tab order. */
(function () {
  "use strict";

  var drawerToggle = document.getElementById("__drawer");
  var searchToggle = document.getElementById("__search");
  if (!drawerToggle || !searchToggle) return;
  var menuButton = document.querySelector(".pv-menu-button");
  var searchButton = document.querySelector(".pv-search-button");
  var drawer = document.querySelector(".md-sidebar--primary");
  var searchBox = document.querySelector(".md-search__inner");
  var searchOutput = document.querySelector(".md-search__output");
  var searchQuery = document.querySelector(".md-search__input");
  // mkdocs-material's breakpoints: below them the navigation is an off-screen drawer and the
  // search a full-screen layer, both out of sight while closed.
  var offCanvasDrawer = window.matchMedia("(max-width: 76.234375em)");
  var fullScreenSearch = window.matchMedia("(max-width: 59.984375em)");

  /* RGAA 12.10: the bundle changes page on « n », « p », « , », « . » and opens search on « s »,
     « f », « / », with no setting to turn them off. A single printable key pressed outside a
     text field stops here, in the capture phase on window, before the bundle's listener (on
     window, bubbling) sees it. Its default action (typing, scrolling) is left alone. While the
     search is open the keys go through: there they only move the focus back to the query. */
  function typesText(element) {
    if (element.isContentEditable) return true;
    if (element.tagName === "SELECT" || element.tagName === "TEXTAREA") return true;
    return element.tagName === "INPUT" && element.type !== "radio";
  }

  window.addEventListener(
    "keydown",
    function (event) {
      if (event.key.length !== 1 || event.key === " ") return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (searchToggle.checked || typesText(event.target)) return;
      event.stopPropagation();
    },
    true
  );

  /* RGAA 7.1, 10.7: what is closed and out of sight leaves the tab order (inert), and the
     buttons tell whether what they control is open (aria-expanded). */
  function sync() {
    var drawerOpen = drawerToggle.checked;
    var searchOpen = searchToggle.checked;
    if (drawer) drawer.inert = offCanvasDrawer.matches && !drawerOpen;
    if (menuButton) menuButton.setAttribute("aria-expanded", String(drawerOpen));
    if (searchBox) searchBox.inert = fullScreenSearch.matches && !searchOpen;
    if (searchOutput) searchOutput.inert = !searchOpen;
    if (searchButton) searchButton.setAttribute("aria-expanded", String(searchOpen));
  }

  function isShown(element) {
    return !!element && element.getClientRects().length > 0;
  }

  // The toggles are checkboxes: clicking them fires the `change` event mkdocs-material listens to.
  function setOpen(toggle, open) {
    if (toggle.checked !== open) toggle.click();
  }

  drawerToggle.addEventListener("change", sync);
  searchToggle.addEventListener("change", function () {
    sync();
    // Escape closes the search (the bundle does it) and the focus, left nowhere, goes back to
    // the button that opened it.
    var active = document.activeElement;
    var lost = !active || active === document.body || (searchBox && searchBox.contains(active));
    if (!searchToggle.checked && fullScreenSearch.matches && lost && isShown(searchButton)) {
      searchButton.focus();
    }
  });
  offCanvasDrawer.addEventListener("change", sync);
  fullScreenSearch.addEventListener("change", sync);

  if (menuButton) {
    menuButton.addEventListener("click", function () {
      setOpen(drawerToggle, !drawerToggle.checked);
      if (drawerToggle.checked && drawer) {
        var first = drawer.querySelector("a[href], button");
        // preventScroll: the drawer is still sliding in; scrolling to it would shift its content.
        if (first) first.focus({ preventScroll: true });
      }
    });
  }
  if (drawer) {
    // A drawer left by the keyboard closes, so that no focus lands behind its dark overlay.
    drawer.addEventListener("focusout", function (event) {
      var next = event.relatedTarget;
      if (drawerToggle.checked && offCanvasDrawer.matches && next && !drawer.contains(next)) {
        setOpen(drawerToggle, false);
      }
    });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !drawerToggle.checked) return;
    setOpen(drawerToggle, false);
    if (isShown(menuButton)) menuButton.focus();
  });

  if (searchButton && searchQuery) {
    searchButton.addEventListener("click", function () {
      setOpen(searchToggle, true);
      searchQuery.focus();
    });
  }

  /* The toggles lost `autocomplete="off"` (not allowed on a checkbox): a browser restoring them
     when coming « back » would show the drawer or search open. Close them then. A search opened
     by a link with ?q= stays open. */
  function closeRestoredToggles() {
    setOpen(drawerToggle, false);
    if (!new URLSearchParams(window.location.search).has("q")) setOpen(searchToggle, false);
  }
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) closeRestoredToggles();
  });
  closeRestoredToggles();
  sync();
})();

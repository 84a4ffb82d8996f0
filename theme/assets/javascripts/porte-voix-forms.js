/* Porte-voix forms: progressive enhancement only. Without this script every form still works
   (the backend answers with a page); with it, messages appear in place and places are shown. */
(function () {
  "use strict";

  function ready(callback) {
    if (document.readyState !== "loading") callback();
    else document.addEventListener("DOMContentLoaded", callback);
  }

  function formsBase(form) {
    return form.getAttribute("action").replace(/\/[^/]+$/, "");
  }

  function prepare(form) {
    var source = new URLSearchParams(window.location.search).get("source");
    if (source && !form.elements.source.value) form.elements.source.value = source;
    var url = formsBase(form) + "/jeton?formulaire=" + encodeURIComponent(form.dataset.pvForm);
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!form.elements.jeton.value) form.elements.jeton.value = data.jeton;
        if (!form.elements.id.value) form.elements.id.value = data.id;
      })
      .catch(function () { /* offline backend: the plain POST still works */ });
  }

  function fieldId(form, name) {
    return "pv-" + form.dataset.pvForm + "-" + name;
  }

  function clearMessages(form) {
    form.querySelectorAll(".pv-error, .pv-error-summary, .pv-form-notice").forEach(function (node) { node.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (node) {
      node.removeAttribute("aria-invalid");
      var described = (node.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id.slice(-7) !== "-erreur";
      });
      if (described.length) node.setAttribute("aria-describedby", described.join(" "));
      else node.removeAttribute("aria-describedby");
    });
    form.querySelectorAll(".pv-field--error").forEach(function (node) { node.classList.remove("pv-field--error"); });
  }

  function labelOf(form, name) {
    var target = document.getElementById(fieldId(form, name));
    if (!target) return name;
    if (target.tagName === "FIELDSET") return target.querySelector("legend").textContent;
    var label = form.querySelector('label[for="' + target.id + '"]');
    return label ? label.textContent : name;
  }

  function showErrors(form, errors) {
    var summary = document.createElement("div");
    summary.className = "pv-error-summary";
    summary.id = "pv-" + form.dataset.pvForm + "-erreurs"; // one per form: a page may hold two
    summary.setAttribute("role", "alert");
    summary.tabIndex = -1;
    var names = Object.keys(errors);
    var title = document.createElement("h2");
    title.textContent = names.length === 1 ? "Il y a un problème" : "Il y a " + names.length + " problèmes";
    var list = document.createElement("ul");
    summary.append(title, list);
    names.forEach(function (name) {
      var id = fieldId(form, name);
      var link = document.createElement("a");
      link.href = "#" + id;
      link.textContent = labelOf(form, name) + "\u00a0: " + errors[name];
      var item = document.createElement("li");
      item.append(link);
      list.append(item);
      var field = document.getElementById(id);
      if (!field) return;
      var message = document.createElement("p");
      message.className = "pv-error";
      message.id = id + "-erreur";
      message.innerHTML = '<span class="pv-error__label">Erreur :</span> ';
      message.append(document.createTextNode(errors[name]));
      var box = field.tagName === "FIELDSET" ? field : field.closest(".pv-field");
      box.classList.add("pv-field--error");
      if (field.tagName === "FIELDSET") field.querySelector("legend").after(message);
      else field.before(message);
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", ((field.getAttribute("aria-describedby") || "") + " " + message.id).trim());
    });
    form.prepend(summary);
    focusFromTop(summary);
  }

  /* A box taller than the screen (five long errors at 320 px) gets the focus with its top, and
     its title, below the sticky header: the browser's own scrolling shows its bottom part. */
  function focusFromTop(element) {
    element.focus({ preventScroll: true });
    element.scrollIntoView({ block: "start" });
  }

  function showNotice(form, text) {
    var notice = document.createElement("p");
    notice.className = "pv-form-notice";
    notice.setAttribute("role", "alert");
    notice.tabIndex = -1;
    notice.textContent = text;
    form.prepend(notice);
    focusFromTop(notice);
  }

  /* A photo over the limit is refused here, before anything is sent: on a phone's mobile data,
     uploading 30 MB only to be told « too heavy » would cost time and money. */
  function tooHeavy(form) {
    var input = form.querySelector('input[type="file"][data-pv-max-octets]');
    if (!input || !input.files || !input.files.length) return null;
    return input.files[0].size > Number(input.dataset.pvMaxOctets) ? input : null;
  }

  function refuseHeavy(form, input) {
    clearMessages(form);
    var errors = {};
    errors[input.name] = input.dataset.pvTropLourd;
    showErrors(form, errors);
    input.focus();
  }

  function submit(event) {
    var form = event.currentTarget;
    var heavy = tooHeavy(form);
    if (heavy) {
      event.preventDefault();
      refuseHeavy(form, heavy);
      return;
    }
    if (!form.elements.jeton.value || !form.elements.id.value) return; // the backend takes it from here
    event.preventDefault();
    var button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    clearMessages(form);
    fetch(form.action, {
      method: "POST",
      // A form with a photo goes as multipart; the others as a plain URL-encoded body.
      body: form.enctype === "multipart/form-data" ? new FormData(form) : new URLSearchParams(new FormData(form)),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.ok) { window.location.assign(data.redirection); return; }
        if (data.jeton) { form.elements.jeton.value = data.jeton; form.elements.id.value = data.id; }
        if (data.erreurs) showErrors(form, data.erreurs);
        else showNotice(form, data.message);
        button.disabled = false;
      })
      .catch(function () {
        showNotice(form, "La connexion a échoué. Ta demande n'est pas partie\u00a0: réessaie dans un moment.");
        button.disabled = false;
      });
  }

  function showPlaces(node) {
    fetch(node.dataset.placesUrl, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var text = "";
        if (data.etat === "ouvert" && data.restantes !== null) {
          text = data.restantes === 1 ? "Il reste 1\u00a0place." : "Il reste " + data.restantes + "\u00a0places.";
        } else if (data.etat === "complet") {
          text = "C'est complet\u00a0: inscris-toi quand même, tu seras sur la liste d'attente.";
        } else if (data.etat === "clos") {
          text = "Les inscriptions sont closes.";
        }
        if (text) {
          var line = document.createElement("strong");
          line.className = "pv-places-left";
          line.textContent = " " + text;
          node.append(line);
        }
      })
      .catch(function () {});
  }

  ready(function () {
    document.querySelectorAll("form.pv-form").forEach(function (form) {
      prepare(form);
      form.addEventListener("submit", submit);
      form.addEventListener("change", function (event) {
        if (event.target.type !== "file") return;
        var heavy = tooHeavy(form);
        if (heavy) refuseHeavy(form, heavy);
        else if (document.getElementById(event.target.id + "-erreur")) clearMessages(form);
      });
    });
    document.querySelectorAll("[data-places-url]").forEach(showPlaces);
    carrySource();
  });

  /* A campaign page reached from a QR code (?source=campagne-…) passes the source on to the
     page its button leads to, so the form there records it. Nothing is stored anywhere. */
  function carrySource() {
    var source = new URLSearchParams(window.location.search).get("source");
    if (!source || !/^[a-z0-9][a-z0-9_-]{0,99}$/.test(source)) return;
    document.querySelectorAll("a[data-pv-source]").forEach(function (link) {
      var target = new URL(link.getAttribute("href"), window.location.href);
      if (target.origin !== window.location.origin) return;
      target.searchParams.set("source", source);
      link.setAttribute("href", target.pathname + target.search + target.hash);
    });
  }
})();

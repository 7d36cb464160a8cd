/* rawa-terms.js: accessible tooltips for glossary term links.
 *
 * Works on every link to a glossary term (automatic or a manual {term}). The short
 * definitions come from rawa-terms-defs.js (window.RAWA_TERMS), a plain script, so
 * this also works when the site is opened from file://. WCAG 2.1:
 *  - opens on hover AND keyboard focus; the link points at it with aria-describedby
 *    and the tooltip has role="tooltip" (4.1.2);
 *  - Escape closes it without moving focus; the pointer can move onto the tooltip
 *    without it closing; it stays until blur, mouse-out (after a delay) or Escape
 *    (1.4.13 Content on Hover or Focus).
 * Without JavaScript the links still lead to the glossary entry.
 */
(function () {
  "use strict";
  var HIDE_DELAY_MS = 300;
  var TIP_ID = "rawa-term-tooltip";
  var tip = null;
  var current = null;
  var timer = null;

  function definitions() {
    return window.RAWA_TERMS || {};
  }

  function termLink(target) {
    if (!target || !target.closest) return null;
    var link = target.closest("a.reference");
    return link && link.querySelector(".std-term") ? link : null;
  }

  function anchorOf(link) {
    var href = link.getAttribute("href") || "";
    var hash = href.indexOf("#");
    return hash < 0 ? "" : decodeURIComponent(href.slice(hash + 1));
  }

  function cancelHide() {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
  }

  function scheduleHide() {
    cancelHide();
    timer = setTimeout(hide, HIDE_DELAY_MS);
  }

  function ensureTip() {
    if (!tip) {
      tip = document.createElement("div");
      tip.id = TIP_ID;
      tip.className = "rawa-term-tooltip";
      tip.setAttribute("role", "tooltip");
      tip.hidden = true;
      tip.addEventListener("mouseenter", cancelHide);
      tip.addEventListener("mouseleave", scheduleHide);
      document.body.appendChild(tip);
    }
    return tip;
  }

  function place(link, box) {
    var rect = link.getBoundingClientRect();
    var width = box.offsetWidth;
    var maxLeft = document.documentElement.clientWidth - width - 8;
    var left = Math.max(8, Math.min(rect.left, maxLeft));
    box.style.left = left + window.scrollX + "px";
    box.style.top = rect.bottom + window.scrollY + 4 + "px";
  }

  function show(link) {
    var item = definitions()[anchorOf(link)];
    if (!item) return;
    cancelHide();
    var box = ensureTip();
    if (current && current !== link) current.removeAttribute("aria-describedby");
    box.textContent = "";
    var name = document.createElement("strong");
    name.textContent = item.term;
    box.appendChild(name);
    if (item.engels) {
      var english = document.createElement("span");
      english.lang = "en";
      english.textContent = " (" + item.engels + ")";
      box.appendChild(english);
    }
    box.appendChild(document.createTextNode(": " + item.definitie));
    box.hidden = false;
    place(link, box);
    link.setAttribute("aria-describedby", TIP_ID);
    current = link;
  }

  function hide() {
    cancelHide();
    if (tip) tip.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
  }

  document.addEventListener("mouseover", function (event) {
    var link = termLink(event.target);
    if (link) show(link);
  });
  document.addEventListener("mouseout", function (event) {
    var link = termLink(event.target);
    if (link && link === current && !link.contains(event.relatedTarget)) scheduleHide();
  });
  document.addEventListener("focusin", function (event) {
    var link = termLink(event.target);
    if (link) show(link);
  });
  document.addEventListener("focusout", function (event) {
    if (termLink(event.target) === current) hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && tip && !tip.hidden) hide();
  });
})();

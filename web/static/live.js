// Live pages (web/live): the parts of a page that follow the read models, over htmx's sse extension.
//
// - An element with data-sse-swap="update" and data-live-pick="id id …" takes, from each update,
//   only the elements with those ids that are on the page, and puts them in place (htmx's
//   select-oob swap): forms being filled in are never replaced; a row this person just added keeps its mark.
// - The position each update shows (its SSE id) is written into the stream's URL as since=…, so a
//   stream opened again from scratch starts where the page is.
// - A page in a background tab closes its streams, and opens them again when it is shown; a stream
//   the server ended (its lifetime, web/live/stream.py) is opened again a second later.
(function () {
  "use strict";

  var sources = [];
  var paused = false;

  function track(url) {
    sources = sources.filter(function (source) { return source.readyState !== EventSource.CLOSED; });
    var source = new EventSource(url, { withCredentials: true });
    sources.push(source);
    return source;
  }

  function remember(element, id) {
    var connect = element.closest("[data-sse-connect]");
    if (!connect || !/^[0-9]+$/.test(id)) return;
    var url = new URL(connect.getAttribute("data-sse-connect"), document.baseURI);
    url.searchParams.set("since", id);
    connect.setAttribute("data-sse-connect", url.pathname + url.search);
  }

  document.addEventListener("htmx:sseBeforeMessage", function (event) {
    var element = event.target;
    var pick = element.getAttribute("data-live-pick");
    if (pick === null) return;
    event.preventDefault();
    var message = event.detail;
    var ids = pick.split(/\s+/).filter(function (id) { return id && document.getElementById(id); });
    if (message.data && ids.length) {
      // what this person just added stays marked when the update draws its list again
      var marked = Array.prototype.map.call(document.querySelectorAll(".just-added[id]"), function (added) {
        return added.id;
      });
      htmx.swap(element, message.data, { swapStyle: "none", ignoreTitle: true }, {
        selectOOB: ids.map(function (id) { return "#" + id; }).join(","),
        contextElement: element,
      });
      marked.forEach(function (id) {
        var again = document.getElementById(id);
        if (again) again.classList.add("just-added");
      });
    }
    remember(element, message.lastEventId);
    htmx.trigger(element, "live:updated", { id: message.lastEventId });
  });

  function reopen(element) {
    element.setAttribute("data-live-opened", String(Date.now()));
    htmx.process(element);
  }

  // the server ended a stream that had lived long enough: open a new one from where the page is
  document.addEventListener("htmx:sseClose", function (event) {
    if (event.detail.type !== "message") return;
    var element = event.target;
    window.setTimeout(function () {
      if (!document.body.contains(element)) return;
      if (document.visibilityState === "hidden") paused = true;
      else reopen(element);
    }, 1000);
  });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      sources.forEach(function (source) { source.close(); });
      sources = [];
      paused = true;
      return;
    }
    if (!paused) return;
    paused = false;
    // shown again: each stream is opened afresh from the position its page shows (since=…); a
    // changed attribute is what makes htmx process the element, and the extension connect, again
    document.querySelectorAll("[data-sse-connect]").forEach(reopen);
  });

  htmx.createEventSource = track;
})();

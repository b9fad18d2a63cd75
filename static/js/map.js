// The task map: an enhancement drawn over the list, which works on its own without it.
// Reads the tile server from #map's data attributes and the places from the list items'
// data-lat/data-lon; each marker links to its task. No inline script, so the CSP holds.
(function () {
  "use strict";

  function draw() {
    var element = document.getElementById("map");
    if (!element || !window.L || !element.dataset.tiles) { return; }
    var places = [];
    document.querySelectorAll(".task-list > li[data-lat][data-lon]").forEach(function (item) {
      var link = item.querySelector("h2 a");
      var lat = parseFloat(item.dataset.lat), lon = parseFloat(item.dataset.lon);
      if (link && isFinite(lat) && isFinite(lon)) {
        places.push({ latLng: [lat, lon], href: link.getAttribute("href"), title: link.textContent.trim() });
      }
    });
    if (!places.length) { return; }

    element.hidden = false;  // shown only now, so a page without JavaScript has no empty box
    var map = L.map(element, { scrollWheelZoom: false, zoomControl: false });
    L.control.zoom({ zoomInTitle: element.dataset.zoomIn || "Zoom in",
                     zoomOutTitle: element.dataset.zoomOut || "Zoom out" }).addTo(map);
    map.attributionControl.setPrefix(false);
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution || "", maxZoom: 19 }).addTo(map);

    places.forEach(function (place) {
      // Built as elements, not HTML text: a task title is never parsed as markup.
      var link = document.createElement("a");
      link.href = place.href;
      link.textContent = place.title;
      L.marker(place.latLng, { title: place.title, alt: place.title, keyboard: true })
        .bindPopup(link).addTo(map);
    });
    map.fitBounds(L.latLngBounds(places.map(function (p) { return p.latLng; })),
                  { padding: [24, 24], maxZoom: 15 });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

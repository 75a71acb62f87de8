// Zhiyuan: on a check-in page whose shift has a geofence, ask the phone for
// its position once, put it in the form's hidden fields, and only then let
// the form go. The position is sent with this one scan and not kept.
(function () {
  var form = document.querySelector("form[data-geofence]");
  if (!form || !navigator.geolocation) { return; }
  var ready = false;
  form.addEventListener("submit", function (e) {
    if (ready) { return; }
    e.preventDefault();
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.lat.value = pos.coords.latitude.toFixed(6);
      form.elements.lng.value = pos.coords.longitude.toFixed(6);
      ready = true;
      form.submit();
    }, function () {
      ready = true; // the server explains that a location is needed
      form.submit();
    }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 0 });
  });
})();

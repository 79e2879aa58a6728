// Photos: a thumbnail links to its full-size photo; with JavaScript the photo opens over the
// page (a <dialog>), so a member scoring on a phone does not lose their place. Without it the
// link simply opens the photo.
(function () {
  var dialog = document.getElementById("kbo-photo-dialog");
  if (!dialog || typeof dialog.showModal !== "function") { return; }
  var image = dialog.querySelector("img");
  var caption = dialog.querySelector("figcaption");
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-photo-full]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    event.preventDefault();
    image.src = link.href;
    image.alt = link.getAttribute("data-photo-caption") || "";
    caption.textContent = link.getAttribute("data-photo-caption") || "";
    dialog.showModal();
  });
  dialog.addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("close", function () { image.removeAttribute("src"); });
})();

// Landing page: the "Start en samtale" button opens the widget.
document.getElementById("start-chat").addEventListener("click", function () {
  if (window.Veiviser) window.Veiviser.open();
});

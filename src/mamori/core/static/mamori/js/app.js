// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Show the "reason it does not apply" field only when "not applicable" is chosen.
  document.querySelectorAll("[data-na-toggle]").forEach((form) => {
    const reason = form.querySelector("[data-na-reason]");
    if (!reason) return;
    const update = () => {
      const chosen = form.querySelector("input[name=status]:checked");
      reason.hidden = !(chosen && chosen.value === "not_applicable") && !reason.querySelector(".errorlist");
    };
    form.querySelectorAll("input[name=status]").forEach((input) => input.addEventListener("change", update));
    update();
  });
});

// Browsers that cannot show a closed <details>' content (no ::details-content) open the
// menu on wider screens, where it has no "Menu" button to open it with.
document.addEventListener("DOMContentLoaded", () => {
  const menu = document.querySelector("details.navmenu");
  if (menu && !CSS.supports("selector(::details-content)") && matchMedia("(min-width: 761px)").matches) {
    menu.open = true;
  }
});

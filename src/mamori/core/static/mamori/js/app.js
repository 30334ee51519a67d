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

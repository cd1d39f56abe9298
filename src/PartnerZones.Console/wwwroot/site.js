// Partner Zones console: the few things that need a script. Every page works without it.
(() => {
  "use strict";
  document.documentElement.classList.add("js");

  // Live status badges: poll the console for zone statuses and update badges in place (Pending -> Ready).
  const badges = () => document.querySelectorAll("[data-live-zone], tr[data-zone] [data-status-badge]");
  const liveZone = document.querySelector("[data-live-zone]");
  if (badges().length > 0) {
    const url = liveZone ? "/ui/status?zone=" + encodeURIComponent(liveZone.dataset.liveZone) : "/ui/status";
    const apply = (status) => {
      const selector = `[data-live-zone="${CSS.escape(status.name)}"], tr[data-zone="${CSS.escape(status.name)}"] [data-status-badge]`;
      for (const badge of document.querySelectorAll(selector)) {
        if (badge.textContent !== status.label) {
          badge.textContent = status.label;
          badge.className = "badge badge-" + status.label.toLowerCase();
        }
        if (status.failedReason) {
          badge.title = status.failedReason;
          badge.tabIndex = 0;
        } else {
          badge.removeAttribute("title");
          badge.removeAttribute("tabindex");
        }
      }
      // The details page's "not served" line follows the badge too: stale once the zone is served.
      if (liveZone && liveZone.dataset.liveZone === status.name) {
        const reason = document.querySelector("[data-failed-reason]");
        if (reason) {
          reason.hidden = !status.failedReason;
          const text = reason.querySelector("[data-failed-reason-text]");
          if (text && status.failedReason) text.textContent = status.failedReason;
        }
      }
    };
    let delay = 2000;
    const poll = async () => {
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (response.status === 401) {
          return; // session over: stop polling; the next navigation goes to sign-in
        }
        if (response.ok) {
          const statuses = await response.json();
          // A zone being deleted is gone once its gateway confirmed: go to the list, which says so.
          if (liveZone && statuses.length === 0 && (document.querySelector("[data-deletion-pending]") || liveZone.textContent === "Deleting")) {
            window.location.assign("/?deleted=" + encodeURIComponent(liveZone.dataset.liveZone));
            return;
          }
          statuses.forEach(apply);
          delay = 2000;
        }
      } catch {
        delay = Math.min(delay * 2, 30000);
      }
      setTimeout(poll, document.hidden ? Math.max(delay, 10000) : delay);
    };
    setTimeout(poll, delay);
  }

  // Copy buttons: shown only when a script can copy.
  for (const button of document.querySelectorAll("[data-copy]")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const text = document.getElementById(button.dataset.copy).textContent;
      try {
        await navigator.clipboard.writeText(text);
      } catch {
        const area = document.createElement("textarea");
        area.value = text;
        document.body.append(area);
        area.select();
        document.execCommand("copy");
        area.remove();
      }
      const label = button.textContent;
      button.textContent = "Copied";
      setTimeout(() => { button.textContent = label; }, 1500);
    });
  }

  // The delete dialog: the link opens a modal; its Delete button stays disabled until DELETE is typed.
  for (const opener of document.querySelectorAll("[data-opens-dialog]")) {
    const dialog = document.getElementById(opener.dataset.opensDialog);
    if (!dialog || typeof dialog.showModal !== "function") {
      continue;
    }
    opener.addEventListener("click", (event) => {
      event.preventDefault();
      dialog.showModal();
      dialog.querySelector("input")?.focus();
    });
    dialog.querySelector("[data-close-dialog]")?.addEventListener("click", () => dialog.close());
  }
  for (const input of document.querySelectorAll("[data-confirm-word]")) {
    const button = input.form.querySelector("[data-confirm-button]");
    const sync = () => { button.disabled = input.value.trim() !== input.dataset.confirmWord; };
    input.addEventListener("input", sync);
    sync();
  }

  // Forms that ask before they act (revoking a credential).
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    });
  }

  // Zone list: a status choice applies at once.
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }

  // Topic search in the wizard: filter rows as you type (picked rows always stay visible).
  for (const input of document.querySelectorAll("[data-filter-rows]")) {
    const body = document.getElementById(input.dataset.filterRows);
    const count = document.querySelector(`[data-filter-count="${input.dataset.filterRows}"]`);
    const filter = () => {
      const needle = input.value.trim().toLowerCase();
      let shown = 0;
      for (const row of body.querySelectorAll("tr[data-filter-text]")) {
        const picked = row.querySelector("input[type=checkbox]")?.checked;
        const visible = picked || needle === "" || row.dataset.filterText.toLowerCase().includes(needle);
        row.hidden = !visible;
        if (visible) shown++;
      }
      if (count) count.textContent = `${shown} ${shown === 1 ? "topic" : "topics"}`;
    };
    input.addEventListener("input", filter);
    // Enter in the search box filters instead of submitting the step.
    input.addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); });
    filter();
  }

  // Proposed service account: follows the zone's name until the user types one.
  const name = document.getElementById("name");
  const account = document.getElementById("serviceAccount");
  if (name && account && document.querySelector("[data-step=details]")) {
    let touched = account.value !== "" && account.value !== name.value;
    account.addEventListener("input", () => { touched = account.value !== ""; });
    name.addEventListener("input", () => { if (!touched) account.value = name.value; });
  }

  // Edit page: warn beside an alias as soon as it differs from the stored one; keep the last topic.
  for (const input of document.querySelectorAll("[data-original-alias]")) {
    const warning = input.parentElement.querySelector("[data-rename-warning]");
    if (!input.dataset.originalAlias || !warning) continue;
    input.addEventListener("input", () => { warning.hidden = input.value.trim() === "" || input.value.trim() === input.dataset.originalAlias; });
  }
  const removes = [...document.querySelectorAll("[data-remove-topic]")];
  const guardLast = () => {
    const kept = removes.filter((box) => !box.checked);
    for (const box of removes) {
      box.disabled = !box.checked && kept.length === 1;
      box.title = box.disabled ? "The last topic cannot be removed" : "";
    }
  };
  removes.forEach((box) => box.addEventListener("change", guardLast));
  if (removes.length > 0) guardLast();
})();

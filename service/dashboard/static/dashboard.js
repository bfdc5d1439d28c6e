// tunewise dashboard: draws the server-built figures and keeps live numbers fresh.
// No inline script anywhere (CSP script-src 'self'); figures arrive as JSON data blocks.
"use strict";

(function () {
  function drawFigures() {
    document.querySelectorAll("[data-figure]").forEach(function (el) {
      var block = document.getElementById(el.dataset.figure);
      if (!block || typeof Plotly === "undefined") return;
      var spec = JSON.parse(block.textContent);
      Plotly.newPlot(el, spec.data, spec.layout, {
        displaylogo: false,
        responsive: true,
        modeBarButtonsToRemove: ["lasso2d", "select2d"],
      }).then(function () {
        el.dataset.rendered = "true";
      });
    });
  }

  function formatNumber(value) {
    if (value === null || value === undefined) return "—";
    return Number(value).toPrecision(4).replace(/\.?0+(e|$)/, "$1");
  }

  function applyLive(root, job) {
    var set = function (name, text) {
      root.querySelectorAll('[data-live="' + name + '"]').forEach(function (el) {
        el.textContent = text;
      });
    };
    var p = job.progress;
    set("finished", p.finished);
    set("n_trials", p.n_trials);
    set("running", p.running);
    set("complete", p.complete);
    set("pruned", p.pruned);
    set("failed", p.failed);
    set("state", job.state);
    set("best", formatNumber(job.best_value));
    set("best_number", job.best_number === null ? "—" : job.best_number);
    if (job.ended_reason) set("ended_reason", job.ended_reason);
    root.querySelectorAll("progress[data-live=bar]").forEach(function (bar) {
      bar.max = p.n_trials;
      bar.value = p.finished;
      bar.textContent = job.percent + "%";
    });
    root.querySelectorAll("[data-live=percent]").forEach(function (el) {
      el.textContent = job.percent + "%";
    });
    root.querySelectorAll("[data-live-state]").forEach(function (el) {
      el.className = el.className.replace(/\bstate-\w+/g, "") + " state-" + job.state;
    });
  }

  // Polls while anything on the page is still open; stops once every job has ended, and
  // reloads a job page once when its job ends so the figures show the final result.
  function poll() {
    var page = document.querySelector("[data-live-url]");
    if (!page) return;
    var interval = Number(page.dataset.pollMs || 2000);
    var reloadWhenDone = page.dataset.reloadWhenDone === "true";
    var tick = function () {
      fetch(page.dataset.liveUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) {
          if (!r.ok) throw new Error("live update answered " + r.status);
          return r.json();
        })
        .then(function (body) {
          var open = false;
          body.jobs.forEach(function (job) {
            var root = document.querySelector('[data-job="' + job.id + '"]');
            if (root) applyLive(root, job);
            open = open || job.is_open;
          });
          if (open) {
            window.setTimeout(tick, interval);
          } else if (reloadWhenDone) {
            window.location.reload();
          }
        })
        .catch(function () {
          window.setTimeout(tick, interval * 3);
        });
    };
    window.setTimeout(tick, interval);
  }

  function confirmForms() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawFigures();
    poll();
    confirmForms();
  });
})();

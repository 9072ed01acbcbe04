// Report the first frame, as the app does after its first render with data.
requestAnimationFrame(() => {
  window.__TAURI_INTERNALS__.invoke("report_ready");
});

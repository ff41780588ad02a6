// /embed.js (SPEC §3d): one script tag becomes an iframe of the hosted form, sized by the
// form's own `confera:resize` messages. Options come from the tag's data- attributes:
// data-lang, data-ticket, data-theme, data-accent, data-prefill-first-name,
// data-prefill-last-name, data-prefill-email, data-title (the frame's accessible name).
// Messages are taken only from this frame, on the proxy's origin.
(() => {
  const script = document.currentScript;
  if (!script || !script.src) return;
  const origin = new URL(script.src).origin;
  const options = new URLSearchParams({ embed: '1' });
  for (const [key, value] of Object.entries(script.dataset)) {
    if (key !== 'title')
      options.set(
        key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`),
        value,
      );
  }
  const frame = document.createElement('iframe');
  frame.src = `${origin}/form?${options}`;
  frame.title = script.dataset.title || 'Registration form';
  frame.style.width = '100%';
  frame.style.height = '900px';
  frame.style.border = '0';
  frame.style.display = 'block';
  window.addEventListener('message', (event) => {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    const message = event.data;
    if (message && message.type === 'confera:resize' && Number.isFinite(message.height) && message.height > 0) {
      frame.style.height = `${Math.min(Math.ceil(message.height), 20000)}px`;
    }
    if (message && message.type === 'confera:registered') {
      frame.dispatchEvent(new CustomEvent('confera-registered', { bubbles: true }));
    }
  });
  script.replaceWith(frame);
})();

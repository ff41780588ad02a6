// The hosted form's page script (/form, SPEC §3d): the accent colour, and, inside a frame,
// the messages a host page sizes the frame by. No personal data leaves the frame.
const widget = document.querySelector('confera-registration');

// Set through the CSSOM: the page's policy forbids inline styles, not this.
const accent = widget?.dataset.accent;
if (accent) widget.style.setProperty('--confera-accent', accent);

if (window.parent !== window) {
  const post = (message) => window.parent.postMessage(message, '*');
  let last = 0;
  const report = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) post({ type: 'confera:resize', height: (last = height) });
  };
  new ResizeObserver(report).observe(document.documentElement);
  report();
  document.addEventListener('confera-success', () => post({ type: 'confera:registered' }));
}

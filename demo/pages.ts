/**
 * The demo site's pages (issue 11): each shows one way to use the widget, with a short text
 * and its snippet beside the live widget. The snippet is the page's own markup (the server
 * renders both from `example`), so what a visitor copies is what runs. `{{PROXY}}` is the
 * proxy's origin.
 */
export interface DemoPage {
  path: string;
  title: string;
  intro: string;
  example: string;
  /** A Content-Security-Policy header for the page (the README's strict line). */
  csp?: string;
  /** Scripts of the demo site's own, outside the example (the events log). */
  scripts?: string[];
}

const embed = (attributes = '', inner = '') =>
  `<confera-registration endpoint="{{PROXY}}/api/registration"${attributes}>${inner}</confera-registration>`;
const script = '<script type="module" src="{{PROXY}}/widget/confera-registration.js"></script>';

export const PAGES: DemoPage[] = [
  {
    path: '/',
    title: 'The two-line embed',
    intro:
      'A customer’s site on its own origin. The two lines below are all it takes: the script from the proxy, and the element pointed at the proxy’s endpoint. The API key stays on the proxy. The link inside the element shows until the widget runs, and to visitors without JavaScript.',
    example: `${script}\n${embed('', '\n  <a href="mailto:tickets@confera.example">Register by e-mail</a>\n')}`,
  },
  {
    path: '/theming',
    title: 'Theming, dark, and two widgets on one page',
    intro:
      'Custom properties (<code>--confera-*</code>) set colours, radius and spacing; <code>::part()</code> reaches inside; <code>theme="dark"</code> forces dark (unset, the widget follows the page’s <code>color-scheme</code>). Each widget on a page is independent.',
    example: `${script}
<style>
  .brand confera-registration {
    --confera-accent: #a3367a;
    --confera-radius: 0;
    --confera-spacing: 0.75rem;
  }
  .brand confera-registration::part(button) {
    text-transform: uppercase;
    letter-spacing: 0.05em;
  }
</style>
<div class="brand">
  ${embed(' ticket-type="student"')}
</div>
<div class="night">
  ${embed(' theme="dark"')}
</div>`,
  },
  {
    path: '/language',
    title: 'Another language, with prefill',
    intro:
      'The widget speaks English, German, French and Spanish: <code>lang</code> chooses, or the page’s own language. A host page that knows who is registering fills in what it knows; the visitor can change it. <code>ticket-type</code> preselects a ticket.',
    example: `${script}\n${embed(' lang="de" ticket-type="standard" prefill-first-name="Jürgen" prefill-last-name="Weiß" prefill-email="juergen.weiss@example.org"')}`,
  },
  {
    path: '/jsonp',
    title: 'JSONP, forced',
    intro:
      'Where CORS is blocked on the way (some corporate proxies strip its headers), the widget falls back to JSONP by itself. <code>transport="jsonp"</code> forces it, as here: the same form, carried by script tags.',
    example: `${script}\n${embed(' transport="jsonp"')}`,
  },
  {
    path: '/strict-csp',
    title: 'Under a strict Content-Security-Policy',
    intro:
      'This page is served with the README’s policy: scripts and connections only from the proxy, styles only from this site. The widget needs no inline script, no <code>eval</code>, no inline style, no cookie.',
    example: `${script}\n${embed()}`,
    csp: "script-src {{PROXY}}; connect-src {{PROXY}}; style-src 'self'",
  },
  {
    path: '/events',
    title: 'Events, as they fire',
    intro:
      'The widget tells the page what happens: <code>confera-ready</code>, <code>confera-submit</code> (cancelable), <code>confera-success</code> and <code>confera-error</code>, bubbling and composed. The log below is this page listening on <code>document</code>.',
    example: `${script}
${embed()}
<script type="module">
  for (const name of ['confera-ready', 'confera-submit', 'confera-success', 'confera-error']) {
    document.addEventListener(name, (event) => console.log(name, event.detail));
  }
</script>`,
    scripts: ['/events.js'],
  },
];

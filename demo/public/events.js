// The events page's log: each widget event as it fires, its name and the detail's gist.
const log = document.getElementById('log');
const gist = {
  'confera-ready': (d) => `config of ${d.config.conference.name}`,
  'confera-submit': (d) => `about to send ${d.registration.firstName} ${d.registration.lastName}, ${d.registration.ticketTypeId}`,
  'confera-success': (d) => `registered: reference ${d.registration.reference}`,
  'confera-error': (d) => `${d.error.code} (${d.error.status}): ${d.error.message}`,
};
for (const [name, describe] of Object.entries(gist)) {
  document.addEventListener(name, (event) => {
    const item = document.createElement('li');
    item.textContent = `${new Date().toLocaleTimeString()} ${name}: ${describe(event.detail)}`;
    log.append(item);
  });
}

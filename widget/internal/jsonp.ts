/**
 * The JSONP transport (SPEC §5), a module of its own beside the bundle: only pages where CORS
 * fails (or `transport="jsonp"`) fetch it, so the others do not pay for it (issue 13: the
 * bundle's 16 KB budget). No imports: a value imported from the bundle would turn into an
 * import of the bundle by URL. Failures are the widget's own codes, as strings, which
 * transport.ts makes into its errors.
 */

/** What a JSONP call resolves to: status 200 and the payload the callback got. */
export interface JsonpAnswer {
  status: number;
  body: unknown;
}

let callbacks = 0;

/**
 * One JSONP call (`submit`: a JSONP submit of that body, at most `maxBytes` of `jsonData`): a script element with a unique callback, a deadline, and the element and
 * the global removed in every outcome. `referrerpolicy="origin"`: the proxy checks a JSONP
 * submit's Referer against its allow-list, and a page's own no-referrer policy would hide it.
 * A late answer after the deadline finds no callback and does nothing (the proxy guards its
 * call with `typeof … === 'function'`).
 */
export function viaJsonp(url: URL, timeoutMs: number, submit?: object, maxBytes = 0): Promise<JsonpAnswer> {
  return new Promise((resolve, reject) => {
    if (submit) {
      // Seed 004's submit by GET: the payload, its idempotency key inside, travels in the URL.
      const jsonData = JSON.stringify(submit);
      if (new TextEncoder().encode(jsonData).length > maxBytes) return reject('payload_too_large');
      url.searchParams.set('method', 'post');
      url.searchParams.set('format', 'json');
      url.searchParams.set('jsonData', jsonData);
    }
    const name = `__confera_${Date.now().toString(36)}_${callbacks++}`;
    const slot = window as unknown as Record<string, unknown>;
    const script = document.createElement('script');
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      delete slot[name];
      script.remove();
      outcome();
    };
    const timer = setTimeout(() => settle(() => reject('timeout')), timeoutMs);
    slot[name] = (payload: unknown) => settle(() => resolve({ status: 200, body: payload }));
    script.onerror = () => settle(() => reject('network_error'));
    // The callback runs while the script executes, before `load`: a load without it is nonsense.
    script.onload = () => settle(() => reject('invalid_response'));
    url.searchParams.set('callback', name);
    script.src = url.href;
    script.referrerPolicy = 'origin';
    script.async = true;
    document.head.append(script);
  });
}

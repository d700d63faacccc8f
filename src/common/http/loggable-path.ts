/**
 * Paths that carry a secret of their own (the portal's calendar subscription links,
 * `/portal/arrivals/feed/<secret>.ics`): the secret replaced, for logs and the audit log.
 */
const SECRET_SEGMENT = /^(\/portal\/arrivals\/feed\/)[^/?]+/;

/** The request's path without its query string (which may hold tokens) nor a secret segment. */
export function loggablePath(url: string): string {
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  return path.replace(SECRET_SEGMENT, '$1[secret]');
}

/**
 * A browser without a browser, for tests of the portal's pages over HTTP: it keeps cookies,
 * takes the CSRF token from the last page it read (every form carries it as `_csrf`), posts
 * forms as a browser does (application/x-www-form-urlencoded, or multipart with a file) and
 * does not follow redirects, so a test sees the 303 and where it leads.
 */
export interface PageResponse {
  status: number;
  headers: Headers;
  /** the HTML (or other text) of the answer */
  html: string;
  /** the Location of a redirect, without the origin */
  location: string | null;
}

export class PortalClient {
  private readonly cookies = new Map<string, string>();
  private csrf: string | null = null;

  constructor(readonly baseUrl: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a) || /^\s*max-age=0\b/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** A cookie the client holds (e.g. the session's, to check that it changed). */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** Sets or removes a cookie by hand (a planted session id, a stolen one). */
  setCookie(name: string, value: string | undefined): void {
    if (value === undefined) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }

  async request(method: string, path: string, body?: URLSearchParams | FormData, headers: Record<string, string> = {}): Promise<PageResponse> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: { cookie: this.cookieHeader(), ...headers },
      body,
      redirect: 'manual',
    });
    this.remember(response.headers);
    const html = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html);
    if (token) this.csrf = token[1];
    const location = response.headers.get('location');
    return { status: response.status, headers: response.headers, html, location: location ? location.replace(this.baseUrl, '') : null };
  }

  get(path: string): Promise<PageResponse> {
    return this.request('GET', path);
  }

  /** Posts a form with the CSRF token of the last page read (read `page` first when none was). */
  async post(path: string, fields: Record<string, string | string[]> = {}, options: { csrf?: string | null; page?: string } = {}): Promise<PageResponse> {
    if (options.page || (this.csrf === null && options.csrf === undefined)) await this.get(options.page ?? '/sign-in');
    const body = new URLSearchParams();
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    if (csrf !== null) body.append('_csrf', csrf);
    for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    return this.request('POST', path, body);
  }

  /**
   * Posts a multipart form (an upload) with the CSRF token of the last page read, as its
   * first field (where a browser sends the form's first input, and where the page reads it).
   * `csrf: null` sends none.
   */
  async postMultipart(path: string, form: FormData, options: { csrf?: string | null } = {}): Promise<PageResponse> {
    if (this.csrf === null && options.csrf === undefined) await this.get('/sign-in');
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    const body = new FormData();
    if (csrf !== null && !form.has('_csrf')) body.append('_csrf', csrf);
    for (const [name, value] of form) body.append(name, value);
    return this.request('POST', path, body);
  }

  /** Signs in through the sign-in form; throws unless it leads on. */
  async signIn(email: string, password: string): Promise<void> {
    await this.get('/sign-in');
    const response = await this.post('/sign-in', { email, password, next: '/' });
    if (response.status !== 303) throw new Error(`sign-in as ${email}: expected 303, got ${response.status}`);
  }
}

/** The visible text of a page (tags dropped, whitespace folded), for assertions on what a user reads. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

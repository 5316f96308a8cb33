// Demo sign-in for the web example: an in-memory session per browser, behind an HttpOnly cookie, each with
// its own CSRF token. A real host uses its own sign-in; rollcall only needs to know who the actor is.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Who is signed in: the demo admin may import users, the demo member may not. */
export interface DemoUser {
  readonly name: string;
  readonly role: 'admin' | 'member';
}

/** One signed-in browser: its user, its CSRF token, and the files it may download once made. */
export interface Session {
  readonly id: string;
  readonly user: DemoUser;
  readonly csrf: string;
  /** Results files (temporary passwords) of this session's imports, by import id. */
  readonly results: Map<string, string>;
  /** CSV error reports of this session's failed uploads, by report id. */
  readonly reports: Map<string, string>;
  /** A one-time message for the next page. */
  flash?: string | undefined;
}

/** The demo accounts, by the role chosen on the sign-in page. */
export const demoUsers: Readonly<Record<DemoUser['role'], DemoUser>> = {
  admin: { name: 'Ada Admin', role: 'admin' },
  member: { name: 'Max Member', role: 'member' },
};

const cookieName = 'rollcall_demo_session';

/** The sessions of one running server. */
export class Sessions {
  readonly #byId = new Map<string, Session>();

  /** Starts a session for `user` and returns it with the Set-Cookie header value that carries it. */
  start(user: DemoUser): { session: Session; cookie: string } {
    const session: Session = { id: token(), user, csrf: token(), results: new Map(), reports: new Map() };
    this.#byId.set(session.id, session);
    return { session, cookie: `${cookieName}=${session.id}; HttpOnly; SameSite=Lax; Path=/` };
  }

  /** The session the request's cookie names, if any. */
  find(request: IncomingMessage): Session | undefined {
    for (const part of (request.headers.cookie ?? '').split(';')) {
      const [name, value] = part.trim().split('=');
      if (name === cookieName && value !== undefined) return this.#byId.get(value);
    }
    return undefined;
  }

  /** Ends the session and returns the Set-Cookie header value that clears the cookie. */
  end(session: Session): string {
    this.#byId.delete(session.id);
    return `${cookieName}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0`;
  }
}

/** Whether a submitted CSRF token is the session's, compared in constant time. */
export function csrfMatches(session: Session, submitted: unknown): boolean {
  if (typeof submitted !== 'string') return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether a state-changing request comes from this site's own pages: browsers send `Origin` on every POST,
 * so one missing or naming another origin is refused before the body is read. A `Sec-Fetch-Site` other
 * than `same-origin` is refused too: browsers that send it say where the request really started, and a
 * sibling subdomain (`same-site`) is another site to an import page.
 */
export function sameOrigin(request: IncomingMessage, origins: readonly string[]): boolean {
  const { origin, 'sec-fetch-site': fetchSite } = request.headers;
  if (fetchSite !== undefined && fetchSite !== 'same-origin') return false;
  return typeof origin === 'string' && origins.includes(origin);
}

function token(): string {
  return randomBytes(24).toString('base64url');
}

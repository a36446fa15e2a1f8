/**
 * Stateful sessions: each holds its own MCP server and transport, belongs to the token that opened
 * it, and is closed after sitting idle (no request in flight and none for `idleMs`).
 *
 * Two caps keep one token from pushing out another's sessions: a token at its own cap makes room
 * from its own sessions, and at the overall cap room is made from the token holding the most (never
 * from one holding as few as the newcomer). The longest-idle session goes; if none that may go is
 * idle, the new one is refused.
 */

import type { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { McpServer } from '@modelcontextprotocol/server';

export interface Session {
  id: string;
  owner: string | undefined;
  server: McpServer;
  transport: NodeStreamableHTTPServerTransport;
  lastSeen: number;
  /** Requests being handled now (a POST waiting on a job counts until it answers). */
  active: number;
}

export interface SessionLimits {
  maxSessions: number;
  /** Applies to sessions opened with a token (undefined owner: no tokens, one principal). */
  maxPerOwner: number;
  idleMs: number;
  now: () => number;
}

/** Room for a new session, or which cap refused it (every session that could go is busy). */
export type Room = 'ok' | 'owner_busy' | 'all_busy';

function longestIdle(sessions: Iterable<Session>): Session | undefined {
  let oldest: Session | undefined;
  for (const s of sessions) {
    if (s.active === 0 && (!oldest || s.lastSeen < oldest.lastSeen)) oldest = s;
  }
  return oldest;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly options: SessionLimits) {}

  get size(): number {
    return this.sessions.size;
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  add(session: Session): void {
    this.sessions.set(session.id, session);
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  /** Marks a request in flight; the returned function marks it done. */
  begin(session: Session): () => void {
    session.active += 1;
    session.lastSeen = this.options.now();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      session.active -= 1;
      session.lastSeen = this.options.now();
    };
  }

  /** Closes sessions idle past the limit; returns how many. */
  async sweep(): Promise<number> {
    const cutoff = this.options.now() - this.options.idleMs;
    const idle = [...this.sessions.values()].filter((s) => s.active === 0 && s.lastSeen <= cutoff);
    await Promise.all(idle.map((s) => this.close(s)));
    return idle.length;
  }

  private byOwner(): Map<string | undefined, Session[]> {
    const groups = new Map<string | undefined, Session[]>();
    for (const s of this.sessions.values()) {
      const group = groups.get(s.owner);
      if (group) group.push(s);
      else groups.set(s.owner, [s]);
    }
    return groups;
  }

  /** Makes room for a session of `owner`, closing a longest-idle one if a cap is reached. */
  async makeRoom(owner: string | undefined): Promise<Room> {
    const groups = this.byOwner();
    const own = groups.get(owner) ?? [];
    if (owner !== undefined && own.length >= this.options.maxPerOwner) {
      const victim = longestIdle(own);
      if (!victim) return 'owner_busy';
      await this.close(victim);
      return 'ok';
    }
    if (this.sessions.size < this.options.maxSessions) return 'ok';
    // The token holding the most gives way first, then the next; a token is never made to give
    // way to one that already holds as many sessions as it does.
    const largestFirst = [...groups.values()]
      .filter((group) => group === own || group.length > own.length)
      .sort((a, b) => b.length - a.length);
    for (const group of largestFirst) {
      const victim = longestIdle(group);
      if (victim) {
        await this.close(victim);
        return 'ok';
      }
    }
    return 'all_busy';
  }

  async close(session: Session): Promise<void> {
    this.sessions.delete(session.id);
    await session.transport.close().catch(() => {});
    await session.server.close().catch(() => {});
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => this.close(s)));
  }
}

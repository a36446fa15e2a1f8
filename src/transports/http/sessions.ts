/**
 * Stateful sessions: each holds its own MCP server and transport, belongs to the token that opened
 * it, and is closed after sitting idle (no request in flight and none for `idleMs`). At the cap the
 * longest-idle session makes room; if every session is busy, a new one is refused.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export interface Session {
  id: string;
  owner: string | undefined;
  server: McpServer;
  transport: StreamableHTTPServerTransport;
  lastSeen: number;
  /** Requests being handled now (a POST waiting on a job counts until it answers). */
  active: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly options: { maxSessions: number; idleMs: number; now: () => number }) {}

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

  /** True when a new session fits, closing the longest-idle one if needed. */
  async makeRoom(): Promise<boolean> {
    if (this.sessions.size < this.options.maxSessions) return true;
    let oldest: Session | undefined;
    for (const s of this.sessions.values()) {
      if (s.active === 0 && (!oldest || s.lastSeen < oldest.lastSeen)) oldest = s;
    }
    if (!oldest) return false;
    await this.close(oldest);
    return true;
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

// Types for postgres-server.mjs, which stays plain JavaScript so the benchmarks can run it with node alone.

/** The newest installed server's bin folder, or undefined when PostgreSQL is not installed. */
export declare function postgresBinDir(): string | undefined;

/** A template data folder (initdb, once per test run) and the superuser's password. */
export interface PostgresTemplate {
  binDir: string;
  dataDir: string;
  password: string;
}

export declare function initTemplate(binDir: string): Promise<PostgresTemplate>;

export interface PostgresServer {
  port: number;
  /** postgres://postgres:<password>@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  /** Fast shutdown (open connections are cut), then waits for the process to end. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and deletes its files. */
  destroy(): Promise<void>;
}

/** A server of its own on a copy of the template. */
export declare function startPostgres(template: PostgresTemplate): Promise<PostgresServer>;

// The tests import the server helper from here; its code is postgres-server.mjs (shared with bench/).
export {
  initTemplate,
  type PostgresServer,
  type PostgresTemplate,
  postgresBinDir,
  startPostgres,
} from './postgres-server.mjs';

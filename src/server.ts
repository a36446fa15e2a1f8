/**
 * The server factory: one McpServer per caller with every tool registered, built from the
 * application's dependencies and the caller's scope. Transports (stdio, HTTP) are handed a
 * ServerFactory and only connect what it builds; tests build it in-process against the emulator.
 */
import { McpServer } from '@modelcontextprotocol/server';
import { registerPrompts } from './prompts/index.js';
import { registerPlayerResource } from './resources/ui-player.js';
import { registerVideoBytesResource } from './resources/video-bytes.js';
import { registerJobResources } from './resources/video-jobs.js';
import { registerPreviewResource } from './resources/video-preview.js';
import type { CallerScope } from './tools/caller-scope.js';
import type { AppDeps, ServerDeps } from './tools/context.js';
import { tools } from './tools/index.js';
import { serveTools } from './tools/tool-list.js';
import { SERVER_NAME, VERSION } from './version.js';

const INSTRUCTIONS = [
  'Generate videos with Together AI.',
  'Typical flow: list_video_models (pick a model that fits duration, size, keyframes, budget) -> create_video -> download_video.',
  'create_video waits up to wait_seconds with progress and always returns a job_id; if the video is not done yet,',
  'call get_video_status with that job_id and wait_seconds, then download_video (video URLs expire, files do not).',
  'list_video_jobs finds earlier jobs (also after a restart).',
  'Requests are checked against the model before anything is paid for; errors name the field and valid values.',
].join(' ');

/**
 * 2026-07-28 clients cache list results as the server says (2025-era results carry no such fields).
 * What every caller sees alike changes only with a new version of this server: an hour, shared.
 * Jobs (resources/list and read) are each caller's own and change as they run: the SDK's default,
 * private and not cached.
 */
const SAME_FOR_EVERYONE = { ttlMs: 3_600_000, cacheScope: 'public' } as const;
const CACHE_HINTS = {
  'server/discover': SAME_FOR_EVERYONE,
  'tools/list': SAME_FOR_EVERYONE,
  'prompts/list': SAME_FOR_EVERYONE,
  'resources/templates/list': SAME_FOR_EVERYONE,
};

/** What a transport is given: a new server for each caller it builds a scope for. */
export type ServerFactory = (scope: CallerScope) => McpServer;

export function createServer(app: AppDeps, scope: CallerScope): McpServer {
  const deps: ServerDeps = { ...app, ...scope };
  const server = new McpServer(
    { name: SERVER_NAME, version: VERSION, title: 'Together AI video generation' },
    {
      // The lists never change while a server runs (jobs are resources, but no list_changed is sent
      // for them: clients list again), so say so rather than the SDK's default `listChanged: true`.
      capabilities: {
        tools: { listChanged: false },
        resources: { listChanged: false },
        prompts: { listChanged: false },
        completions: {},
        logging: {},
      },
      cacheHints: CACHE_HINTS,
      instructions: deps.sandbox
        ? `${INSTRUCTIONS} SANDBOX MODE: no API key is set, so videos come from a local emulator (free test clips).`
        : INSTRUCTIONS,
    },
  );
  serveTools(server.server, tools, deps);
  registerJobResources(server, deps.ledger, deps);
  registerPreviewResource(server, deps);
  if (deps.ui) {
    registerPlayerResource(server);
    registerVideoBytesResource(server, deps);
  }
  registerPrompts(server);
  return server;
}

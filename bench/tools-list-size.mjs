// Context cost: bytes of the tools/list answer (all tools, as JSON) that a client puts in every
// conversation, and a check that create_video's schema still names every model in the registry.
// Prints one JSON line. Needs a build.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawnBin } from '../test/helpers/spawn-bin.mjs';

const home = await mkdtemp(path.join(os.tmpdir(), 'tvm-tools-size-'));
const { client } = await spawnBin({ HOME: home, VIDEO_MCP_LOG_LEVEL: 'warn' });
const { tools } = await client.listTools();
const { models } = (await client.callTool({ name: 'list_video_models', arguments: {} })).structuredContent;
await client.close();
await rm(home, { recursive: true, force: true });

const bytes = Buffer.byteLength(JSON.stringify({ tools }));
const described = tools.find((t) => t.name === 'create_video').inputSchema.properties.model.description;
const named = new Set(
  described
    .replace(/^.*Known: /, '')
    .split('; ')
    .flatMap((group) => {
      const [org, ...names] = group.split(' ');
      return names.map((name) => `${org}${name}`);
    }),
);
const covered = models.every((m) => named.has(m.id));
const perTool = Object.fromEntries(tools.map((t) => [t.name, Buffer.byteLength(JSON.stringify(t))]));
console.log(
  JSON.stringify({
    bench: 'tools-list-size',
    ours: {
      bytes,
      tools: tools.length,
      models_named: named.size,
      models_in_registry: models.length,
      per_tool: perTool,
    },
    baseline: null,
    ratio: Math.round((bytes / 8192) * 100) / 100,
    target: { bytes_max: 8192, every_model_named: true },
    ok: bytes <= 8192 && covered,
  }),
);

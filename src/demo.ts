/**
 * `together-video-mcp demo`: a terminal walk-through that starts this server as a child process,
 * connects the MCP SDK's real Client to it over stdio, makes a video with live progress and saves it.
 * The client speaks the current protocol (2026-07-28: no handshake, version and capabilities on
 * every request), as a newcomer's client will; the tests cover 2025-era clients.
 * Sandbox by default (free); --real uses TOGETHER_API_KEY and is charged.
 */
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { ConfigError } from './config.js';

export interface DemoOptions {
  prompt: string | undefined;
  model: string | undefined;
  real: boolean;
  outputDir: string | undefined;
}

const DEFAULT_MODEL = 'ByteDance/Seedance-1.0-lite';
const DEFAULT_PROMPT =
  'A paper boat drifting down a rain-soaked street at dusk, reflections shimmering, cinematic';

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

function bar(progress: number, total: number, message: string): string {
  const width = 30;
  const filled = Math.round((Math.min(progress, total) / total) * width);
  const percent = String(Math.round((progress / total) * 100)).padStart(3);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% ${message}`.padEnd(110);
}

function textOf(result: Record<string, unknown>): string {
  const blocks: unknown[] = Array.isArray(result.content) ? result.content : [];
  return blocks.map((b) => (typeof b === 'object' && b && 'text' in b ? String(b.text) : '')).join('\n');
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  if (options.real && !env.TOGETHER_API_KEY)
    throw new ConfigError('--real needs TOGETHER_API_KEY to be set.');
  if (!options.real) env.VIDEO_MCP_SANDBOX = '1';
  if (options.outputDir) env.VIDEO_MCP_OUTPUT_DIR = options.outputDir;
  env.VIDEO_MCP_LOG_LEVEL = env.VIDEO_MCP_LOG_LEVEL ?? 'warn';

  const transport = new StdioClientTransport({
    command: process.execPath,
    // The bin that is running this demo (the launcher), so the server is exactly what users start.
    args: [process.argv[1] ?? ''],
    env,
    stderr: 'inherit',
  });
  const client = new Client(
    { name: 'together-video-mcp-demo', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(transport);
  try {
    const model = options.model ?? DEFAULT_MODEL;
    const { tools } = await client.listTools();
    out(
      `Connected to ${client.getServerVersion()?.name} over stdio (MCP ${client.getNegotiatedProtocolVersion()}): ${tools.map((t) => t.name).join(', ')}`,
    );
    out(
      options.real
        ? `REAL mode: this video is charged to your Together account.`
        : 'Sandbox mode: free, local emulator.',
    );
    out(`Creating a video with ${model}: "${options.prompt ?? DEFAULT_PROMPT}"`);

    const created = await client.callTool(
      {
        name: 'create_video',
        arguments: { model, prompt: options.prompt ?? DEFAULT_PROMPT, wait_seconds: 600 },
      },
      {
        timeout: 660_000,
        resetTimeoutOnProgress: true,
        onprogress: (p) => process.stdout.write(bar(p.progress, p.total ?? 100, p.message ?? '')),
      },
    );
    process.stdout.write('\n');
    if (created.isError) throw new Error(textOf(created));
    const job = created.structuredContent as {
      job_id: string;
      status: string;
      cost?: number;
      sandbox?: boolean;
    };
    const cost =
      job.cost === undefined
        ? ''
        : `, cost $${job.cost.toFixed(2)}${job.sandbox ? ' (sandbox: not charged)' : ''}`;
    out(`Job ${job.job_id}: ${job.status}${cost}`);
    if (job.status !== 'completed') throw new Error(textOf(created));

    const downloaded = await client.callTool({ name: 'download_video', arguments: { job_id: job.job_id } });
    if (downloaded.isError) throw new Error(textOf(downloaded));
    const file = downloaded.structuredContent as {
      path: string;
      bytes: number;
      sha256: string;
      mime_type: string;
    };
    out(`Saved ${file.bytes} bytes (${file.mime_type}) to:\n  ${file.path}\n  sha256 ${file.sha256}`);
  } finally {
    await client.close();
  }
}

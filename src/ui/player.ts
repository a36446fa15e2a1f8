/**
 * The MCP Apps view shown with create_video, get_video_status and download_video results: the job's
 * prompt, status and cost, then the clip itself. The bytes come through MCP (video-bytes:// chunks read
 * via the host bridge) so the view needs no network access at all.
 */
import {
  App,
  applyDocumentTheme,
  applyHostFonts,
  applyHostStyleVariables,
  type McpUiHostContext,
} from '@modelcontextprotocol/ext-apps';

/** Past this the view shows the preview frame and the path: a Blob this large is already a lot of memory. */
const VIEW_MAX_BYTES = 64 * 1024 * 1024;

interface JobView {
  job_id?: string;
  status?: string;
  done?: boolean;
  model?: string;
  prompt?: string;
  progress?: number;
  elapsed_seconds?: number;
  typical_seconds?: number;
  cost?: number;
  sandbox?: boolean;
  charged?: boolean;
  video_url?: string;
  path?: string;
  bytes?: number;
  mime_type?: string;
  error?: { message?: string };
  preview?: { duration_seconds?: number; width?: number; height?: number };
}

const job: JobView = {};
let loadedPath: string | undefined;

function el<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`player.html has no #${id}`);
  return found as T;
}

function show(node: HTMLElement, text?: string): void {
  if (text !== undefined) node.textContent = text;
  node.hidden = text === '';
}

function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function render(): void {
  show(el('prompt'), job.prompt ?? '');
  el('model').textContent = job.model ?? '';
  el('status').textContent = job.status ?? (job.path ? 'saved' : '');
  const running = job.done === false;
  const progress = el('progress');
  progress.hidden = !running;
  progress.classList.toggle('indeterminate', running && job.progress === undefined);
  if (job.progress !== undefined) el('progress-bar').style.width = `${Math.round(job.progress * 100)}%`;

  const times: string[] = [];
  if (job.elapsed_seconds !== undefined) times.push(`${Math.round(job.elapsed_seconds)} s elapsed`);
  if (job.typical_seconds !== undefined) times.push(`typically ${Math.round(job.typical_seconds)} s`);
  el('times').textContent = times.join(' · ');
  el('cost').textContent =
    job.sandbox === true ? 'sandbox: not charged' : job.cost !== undefined ? `$${job.cost.toFixed(2)}` : '';

  const file: string[] = [];
  if (job.bytes !== undefined) file.push(formatBytes(job.bytes));
  if (job.preview?.duration_seconds !== undefined) file.push(`${job.preview.duration_seconds.toFixed(1)} s`);
  if (job.path) file.push(job.path);
  show(el('file'), file.join(' · '));
  if (job.error?.message) show(el('note'), job.error.message);

  el('download').hidden = !(job.done === true && job.status === 'completed' && !job.path);
  el('another').hidden = !(job.done === true || job.path);
}

function merge(structured: unknown): void {
  if (!structured || typeof structured !== 'object') return;
  const next = structured as JobView;
  // A result for another job replaces the view; one for the same job (status, then download) adds to it.
  if (next.job_id && job.job_id && next.job_id !== job.job_id) {
    for (const key of Object.keys(job)) delete job[key as keyof JobView];
  }
  Object.assign(job, next);
  render();
  if (job.model && job.typical_seconds === undefined) void fillTypicalTime(job.model).catch(() => undefined);
  // download_video's result has no model, status or cost: the job's ledger entry does.
  if (job.job_id && job.model === undefined) void fillFromLedger(job.job_id).catch(() => undefined);
  if (job.path && job.job_id && job.path !== loadedPath) {
    loadedPath = job.path;
    void loadVideo(job.job_id, job.bytes ?? 0).catch((err: unknown) => {
      show(el('note'), `Could not load the video: ${err instanceof Error ? err.message : String(err)}`);
    });
  }
}

async function fillFromLedger(jobId: string): Promise<void> {
  const res = await app.readServerResource({ uri: `video-job://${encodeURIComponent(jobId)}` });
  const content = res.contents[0];
  if (!content || !('text' in content) || job.job_id !== jobId) return;
  const entry = JSON.parse(content.text) as Partial<Record<'model' | 'status' | 'cost' | 'sandbox', unknown>>;
  if (typeof entry.model === 'string' && job.model === undefined) {
    job.model = entry.model;
    void fillTypicalTime(entry.model).catch(() => undefined);
  }
  if (typeof entry.status === 'string') job.status ??= entry.status;
  if (typeof entry.cost === 'number') job.cost ??= entry.cost;
  if (typeof entry.sandbox === 'boolean') job.sandbox ??= entry.sandbox;
  render();
}

/** The model's typical generation time comes from the catalog (list_video_models: no API call, free). */
async function fillTypicalTime(model: string): Promise<void> {
  const result = await app.callServerTool({ name: 'list_video_models', arguments: { query: model } });
  const models = (
    result.structuredContent as { models?: { id: string; typical_generation_seconds?: number }[] }
  )?.models;
  const typical = models?.find((m) => m.id === model)?.typical_generation_seconds;
  if (typical === undefined || job.model !== model) return;
  job.typical_seconds = typical;
  render();
}

function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function loadVideo(jobId: string, size: number): Promise<void> {
  if (size > VIEW_MAX_BYTES) {
    await showPreview(jobId);
    show(
      el('note'),
      `This file is ${formatBytes(size)}; the player takes up to 64 MB. Open it from the path.`,
    );
    return;
  }
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let offset: number | null = 0;
  let mime = job.mime_type ?? 'video/mp4';
  let total = 0;
  while (offset !== null) {
    const res = await app.readServerResource({ uri: `video-bytes://${jobId}/${offset}` });
    const content = res.contents[0];
    if (!content || !('blob' in content)) throw new Error('video-bytes returned no blob');
    const bytes = base64ToBytes(content.blob);
    parts.push(bytes);
    total += bytes.length;
    if (content.mimeType) mime = content.mimeType;
    const next = content._meta?.['together-video/next'];
    offset = typeof next === 'number' && next > offset ? next : null;
    if (total > VIEW_MAX_BYTES) throw new Error('the file grew past the player limit');
  }
  const blob = new Blob(parts, { type: mime });
  const video = el<HTMLVideoElement>('video');
  // A host whose CSP allows media from data: but not blob: (as the ext-apps example assumes) fails the
  // Blob URL with a media error: then the same bytes go in as a data: URI, built off the main thread.
  video.addEventListener(
    'error',
    () => {
      if (!video.src.startsWith('blob:')) return;
      URL.revokeObjectURL(video.src);
      const reader = new FileReader();
      reader.onload = () => {
        if (typeof reader.result === 'string') video.src = reader.result;
      };
      reader.readAsDataURL(blob);
    },
    { once: true },
  );
  video.src = URL.createObjectURL(blob);
  video.hidden = false;
}

async function showPreview(jobId: string): Promise<void> {
  const res = await app.readServerResource({ uri: `video-preview://${jobId}` });
  const content = res.contents[0];
  if (!content || !('blob' in content)) return;
  const img = el<HTMLImageElement>('preview');
  img.src = `data:${content.mimeType ?? 'image/jpeg'};base64,${content.blob}`;
  img.hidden = false;
}

function applyContext(ctx: McpUiHostContext | undefined): void {
  if (!ctx) return;
  if (ctx.theme) applyDocumentTheme(ctx.theme);
  if (ctx.styles?.variables) applyHostStyleVariables(ctx.styles.variables);
  if (ctx.styles?.css?.fonts) applyHostFonts(ctx.styles.css.fonts);
}

const app = new App({ name: 'together-video-player', version: '1.0.0' });

app.ontoolinput = (params) => {
  const prompt = params.arguments?.prompt;
  if (typeof prompt === 'string') {
    job.prompt = prompt;
    render();
  }
};
app.ontoolresult = (result) => merge(result.structuredContent);
app.onhostcontextchanged = (ctx) => applyContext(ctx);

el('download').addEventListener('click', async () => {
  const button = el<HTMLButtonElement>('download');
  if (!job.job_id) return;
  button.disabled = true;
  try {
    const result = await app.callServerTool({ name: 'download_video', arguments: { job_id: job.job_id } });
    if (result.isError) show(el('note'), textOf(result.content));
    else merge(result.structuredContent);
  } finally {
    button.disabled = false;
  }
});

el('another').addEventListener('click', async () => {
  const about = [job.model ? `with ${job.model}` : '', job.prompt ? `from the prompt "${job.prompt}"` : '']
    .filter(Boolean)
    .join(' ');
  await app.sendMessage({
    role: 'user',
    content: [{ type: 'text', text: `Make another video like job ${job.job_id ?? ''} ${about}`.trim() }],
  });
});

function textOf(content: unknown): string {
  if (!Array.isArray(content)) return 'The tool failed.';
  return content
    .map((c: { type?: string; text?: string }) => (c.type === 'text' ? (c.text ?? '') : ''))
    .join('\n');
}

void app.connect().then(() => applyContext(app.getHostContext()));

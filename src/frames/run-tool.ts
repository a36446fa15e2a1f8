/**
 * Runs ffmpeg or ffprobe with a time limit: killed past it, so a bad file never hangs a call. Output
 * is capped (a frame or a probe's JSON is small). No shell: arguments go to the program as they are.
 */
import { spawn } from 'node:child_process';
import { FrameError } from './frame-error.js';

export interface ToolRun {
  stdout: Buffer;
  stderr: string;
}

const MAX_STDOUT = 32 * 1024 * 1024;
const MAX_STDERR = 64 * 1024;

export function runTool(
  bin: string,
  args: readonly string[],
  options: { timeoutMs: number; what: string; signal?: AbortSignal },
): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    let settled = false;
    const finish = (error: Error | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve({ stdout: Buffer.concat(out), stderr });
    };
    const kill = (error: Error): void => {
      child.kill('SIGKILL');
      finish(error);
    };
    const timer = setTimeout(
      () => kill(new FrameError(`${options.what} took over ${options.timeoutMs / 1000} s and was stopped.`)),
      options.timeoutMs,
    );
    const onAbort = (): void => kill(new FrameError(`${options.what} was cancelled.`));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > MAX_STDOUT)
        kill(new FrameError(`${options.what} wrote more than expected and was stopped.`));
      else out.push(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < MAX_STDERR) stderr += chunk;
    });
    child.on('error', (error) =>
      finish(new FrameError(`${options.what} could not start: ${error.message}`, { cause: error })),
    );
    child.on('close', (code) => {
      if (code === 0) finish(undefined);
      else {
        const last = stderr.trim().split('\n').at(-1) ?? '';
        finish(
          new FrameError(`${options.what} failed${last ? `: ${last.slice(0, 300)}` : ` (exit ${code})`}.`),
        );
      }
    });
  });
}

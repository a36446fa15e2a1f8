/**
 * Video URLs like Together's: a short link (`/shrt/<token>`) that redirects to a signed, expiring
 * file URL (`/files/<job>.<ext>?expires=&sig=`), the way a presigned object-store URL behaves.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EmulatedJob } from './job-store.js';

export type LinkCheck = { ok: true; jobId: string } | { ok: false; why: 'expired' | 'signature' };

/** Above this many live links, minting a new one first forgets the expired ones. */
const PRUNE_ABOVE = 1_000;

export class VideoLinks {
  private readonly secret = randomBytes(32);
  private readonly links = new Map<string, { jobId: string; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /** A fresh short link for a completed job, valid for the TTL from now. */
  mint(job: EmulatedJob, origin: string): string {
    if (this.links.size > PRUNE_ABOVE) {
      const t = this.now();
      for (const [token, link] of this.links) if (t > link.expires) this.links.delete(token);
    }
    // 12 bytes -> 16 base64url characters, as in `https://api.together.ai/shrt/DwlaBdSakNRFlBxN`.
    const token = randomBytes(12).toString('base64url');
    this.links.set(token, { jobId: job.id, expires: this.now() + this.ttlMs });
    return `${origin}/shrt/${token}`;
  }

  /** Where a short link points, or why it no longer does. */
  resolve(token: string, origin: string, ext: (jobId: string) => string): string | 'expired' | undefined {
    const link = this.links.get(token);
    if (!link) return undefined;
    if (this.now() > link.expires) return 'expired';
    const name = `${link.jobId}.${ext(link.jobId)}`;
    return `${origin}/files/${name}?expires=${link.expires}&sig=${this.sign(name, link.expires)}`;
  }

  /** Checks a file URL's signature first (like S3), then its expiry. */
  check(url: URL): LinkCheck {
    const match = /^\/files\/([0-9a-f-]+)\.(mp4|webm)$/.exec(url.pathname);
    const expiresText = url.searchParams.get('expires') ?? '';
    const expires = Number(expiresText);
    const sig = Buffer.from(url.searchParams.get('sig') ?? '');
    if (!match?.[1] || !match[2] || !/^\d+$/.test(expiresText)) return { ok: false, why: 'signature' };
    const expected = Buffer.from(this.sign(`${match[1]}.${match[2]}`, expires));
    if (sig.length !== expected.length || !timingSafeEqual(sig, expected))
      return { ok: false, why: 'signature' };
    if (this.now() > expires) return { ok: false, why: 'expired' };
    return { ok: true, jobId: match[1] };
  }

  private sign(name: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${name}\n${expires}`).digest('hex').slice(0, 32);
  }
}

/** The body a presigned S3 URL answers with once it has expired (or was tampered with). */
export function accessDeniedXml(message: string, now: number): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Error><Code>AccessDenied</Code><Message>${message}</Message>`,
    `<ServerTime>${new Date(now).toISOString()}</ServerTime><RequestId>${randomBytes(8).toString('hex').toUpperCase()}</RequestId></Error>`,
  ].join('\n');
}

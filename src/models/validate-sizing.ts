/** Size rules: width/height pairs for most models, resolution plus ratio for Wan, Seedance 2.x, HappyHorse. */
import type { CreateVideoArgs } from './schema.js';
import type { Dimension, ModelCapabilities, ValidationIssue } from './types.js';

const fmt = (d: Dimension): string => `${d.width}x${d.height}`;

/** The model's size closest in shape first, then in area. */
export function nearestDimension(
  width: number,
  height: number,
  sizes: readonly Dimension[],
): Dimension | undefined {
  const score = (d: Dimension): number =>
    Math.abs(Math.log(d.width / d.height / (width / height))) * 10 +
    Math.abs(Math.log((d.width * d.height) / (width * height)));
  return [...sizes].sort((a, b) => score(a) - score(b))[0];
}

function nearestLabel(value: string, allowed: readonly string[]): string | undefined {
  const lower = value.toLowerCase();
  return (
    allowed.find((a) => a.toLowerCase() === lower) ??
    allowed.find((a) => a.toLowerCase().startsWith(lower.replace(/\D+$/, ''))) ??
    allowed[0]
  );
}

function ratioOf(width: number, height: number, ratios: readonly string[]): string | undefined {
  const target = width / height;
  return [...ratios].sort((a, b) => {
    const r = (s: string): number => {
      const [w, h] = s.split(':').map(Number);
      return Math.abs(Math.log((w ?? 1) / (h ?? 1) / target));
    };
    return r(a) - r(b);
  })[0];
}

export function checkSizing(m: ModelCapabilities, args: CreateVideoArgs, issues: ValidationIssue[]): void {
  const { width, height, resolution, ratio } = args;
  const sizing = m.sizing;
  if (sizing.mode === 'dimensions') {
    const sizes = sizing.dimensions.map(fmt);
    if (resolution !== undefined || ratio !== undefined) {
      issues.push({
        field: resolution !== undefined ? 'resolution' : 'ratio',
        message: `${m.id} is sized with width and height, not resolution/ratio.`,
        allowed: sizes,
        nearest: fmt(sizing.default),
      });
    }
    if ((width === undefined) !== (height === undefined)) {
      issues.push({
        field: width === undefined ? 'width' : 'height',
        message: 'width and height must be given together.',
        allowed: sizes,
      });
      return;
    }
    if (width === undefined || height === undefined) return;
    if (!sizing.dimensions.some((d) => d.width === width && d.height === height)) {
      const nearest = nearestDimension(width, height, sizing.dimensions);
      issues.push({
        field: 'width/height',
        message: `${width}x${height} is not a size ${m.id} can make.`,
        allowed: sizes,
        ...(nearest ? { nearest: fmt(nearest) } : {}),
      });
    }
    return;
  }
  if (width !== undefined || height !== undefined) {
    const ratioHint =
      width && height && sizing.ratios.length ? ratioOf(width, height, sizing.ratios) : undefined;
    issues.push({
      field: width !== undefined ? 'width' : 'height',
      message: `${m.id} is sized with resolution${sizing.ratios.length ? ' and ratio' : ''}, not width/height.`,
      allowed: sizing.resolutions,
      nearest: ratioHint
        ? `resolution ${sizing.defaultResolution}, ratio ${ratioHint}`
        : `resolution ${sizing.defaultResolution}`,
    });
  }
  if (resolution !== undefined && !sizing.resolutions.includes(resolution)) {
    const nearest = nearestLabel(resolution, sizing.resolutions);
    issues.push({
      field: 'resolution',
      message: `${m.id} does not offer ${resolution}.`,
      allowed: sizing.resolutions,
      ...(nearest ? { nearest } : {}),
    });
  }
  if (ratio !== undefined && !sizing.ratios.includes(ratio)) {
    issues.push({
      field: 'ratio',
      message: sizing.ratios.length
        ? `${m.id} does not offer ratio ${ratio}.`
        : `${m.id} takes no ratio; remove it.`,
      allowed: sizing.ratios,
      ...(sizing.ratios[0] ? { nearest: sizing.ratios[0] } : {}),
    });
  }
}

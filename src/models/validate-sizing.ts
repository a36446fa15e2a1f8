/** Size rules: width/height pairs for most models, resolution plus ratio for Wan, Seedance 2.x, HappyHorse. */
import type { CreateVideoArgs } from './schema.js';
import type { Dimension, ModelCapabilities, Sizing, ValidationIssue } from './types.js';

type ResolutionSizing = Extract<Sizing, { mode: 'resolution' }>;

export const fmt = (d: Dimension): string => `${d.width}x${d.height}`;

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

/** "16:9" (also "16x9", "16/9") as a width/height ratio. */
export function parseRatio(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*[:x/×]\s*(\d+(?:\.\d+)?)\s*$/i.exec(text);
  const w = Number(m?.[1]);
  const h = Number(m?.[2]);
  return w > 0 && h > 0 ? w / h : undefined;
}

/** "1920x1080" (also "1920*1080", "1920 × 1080", "1920,1080") as a size. */
export function parseSize(text: string): Dimension | undefined {
  const m = /^\s*(\d{2,5})\s*[x*×,]\s*(\d{2,5})\s*$/i.exec(text);
  const width = Number(m?.[1]);
  const height = Number(m?.[2]);
  return width > 0 && height > 0 ? { width, height } : undefined;
}

/** The height a label such as "720p" names. */
const labelLines = (label: string): number => Number.parseInt(label, 10);

/** The model's size of the given shape, near its default's area. */
export function sizeForRatio(
  ratio: number,
  sizes: readonly Dimension[],
  near: Dimension,
): Dimension | undefined {
  const area = near.width * near.height;
  return nearestDimension(Math.sqrt(area * ratio), Math.sqrt(area / ratio), sizes);
}

/** The model's size for a label such as "1080p" (its short side), in the given or the default shape. */
function sizeForLabel(
  label: string,
  ratio: number | undefined,
  sizes: readonly Dimension[],
  near: Dimension,
) {
  const lines = labelLines(label);
  const shape = ratio ?? near.width / near.height;
  if (!(lines > 0)) return sizeForRatio(shape, sizes, near);
  return shape >= 1
    ? nearestDimension(lines * shape, lines, sizes)
    : nearestDimension(lines, lines / shape, sizes);
}

export function nearestRatio(ratio: number, ratios: readonly string[]): string | undefined {
  const distance = (s: string): number => Math.abs(Math.log((parseRatio(s) ?? 1) / ratio));
  return [...ratios].sort((a, b) => distance(a) - distance(b))[0];
}

/** The model's own spelling of a resolution label given in any case ("720p" -> "720P" for Wan). */
export function resolutionSpelling(m: ModelCapabilities, value: string): string | undefined {
  if (m.sizing.mode !== 'resolution') return undefined;
  return m.sizing.resolutions.find((r) => r.toLowerCase() === value.toLowerCase());
}

function nearestResolution(lines: number, resolutions: readonly string[]): string | undefined {
  return [...resolutions].sort(
    (a, b) =>
      Math.abs(labelLines(a) - lines) - Math.abs(labelLines(b) - lines) || labelLines(b) - labelLines(a),
  )[0];
}

/** "resolution 1080P, ratio 16:9": what a resolution-sized model takes for a width x height. */
export function resolutionFor(sizing: ResolutionSizing, size: Dimension): string {
  const resolution = nearestResolution(Math.min(size.width, size.height), sizing.resolutions);
  const ratio = nearestRatio(size.width / size.height, sizing.ratios);
  return `resolution ${resolution ?? sizing.defaultResolution}${ratio ? `, ratio ${ratio}` : ''}`;
}

function checkDimensions(
  m: ModelCapabilities,
  sizing: Extract<Sizing, { mode: 'dimensions' }>,
  args: CreateVideoArgs,
  issues: ValidationIssue[],
): void {
  const { width, height, resolution, ratio } = args;
  const sizes = sizing.dimensions.map(fmt);
  const given = sizing.dimensions.find((d) => d.width === width && d.height === height);
  if (resolution !== undefined || ratio !== undefined) {
    const shape = ratio !== undefined ? parseRatio(ratio) : undefined;
    const nearest =
      given ??
      (resolution !== undefined
        ? sizeForLabel(resolution, shape, sizing.dimensions, sizing.default)
        : sizeForRatio(shape ?? 1, sizing.dimensions, sizing.default));
    issues.push({
      field: resolution !== undefined ? 'resolution' : 'ratio',
      message: `${m.id} is sized with width and height, not resolution/ratio; remove ${resolution !== undefined && ratio !== undefined ? 'both' : 'it'} and give width and height.`,
      allowed: sizes,
      nearest: fmt(nearest ?? sizing.default),
    });
  }
  if ((width === undefined) !== (height === undefined)) {
    const side = width ?? height ?? 0;
    const nearest =
      sizing.dimensions.find((d) => (width !== undefined ? d.width : d.height) === side) ?? sizing.default;
    issues.push({
      field: width === undefined ? 'width' : 'height',
      message: 'width and height must be given together.',
      allowed: sizes,
      nearest: fmt(nearest),
    });
    return;
  }
  if (width === undefined || height === undefined || given) return;
  const nearest = nearestDimension(width, height, sizing.dimensions);
  issues.push({
    field: 'width/height',
    message: `${width}x${height} is not a size ${m.id} can make.`,
    allowed: sizes,
    ...(nearest ? { nearest: fmt(nearest) } : {}),
  });
}

export function checkSizing(m: ModelCapabilities, args: CreateVideoArgs, issues: ValidationIssue[]): void {
  const sizing = m.sizing;
  if (sizing.mode === 'dimensions') {
    checkDimensions(m, sizing, args, issues);
    return;
  }
  const { width, height, resolution, ratio } = args;
  if (width !== undefined || height !== undefined) {
    const size = { width: width ?? height ?? 1, height: height ?? width ?? 1 };
    issues.push({
      field: width !== undefined ? 'width' : 'height',
      message: `${m.id} is sized with resolution${sizing.ratios.length ? ' and ratio' : ''}, not width/height; remove width and height.`,
      allowed: sizing.resolutions,
      nearest: resolutionFor(sizing, size),
    });
  }
  if (resolution !== undefined && !resolutionSpelling(m, resolution)) {
    const nearest = nearestResolution(labelLines(resolution), sizing.resolutions);
    issues.push({
      field: 'resolution',
      message: `${m.id} does not offer ${resolution}.`,
      allowed: sizing.resolutions,
      ...(nearest ? { nearest } : {}),
    });
  }
  if (ratio !== undefined && !sizing.ratios.includes(ratio)) {
    const nearest = nearestRatio(parseRatio(ratio) ?? 1, sizing.ratios);
    issues.push({
      field: 'ratio',
      message: sizing.ratios.length
        ? `${m.id} does not offer ratio ${ratio}.`
        : `${m.id} takes no ratio; remove it.`,
      allowed: sizing.ratios,
      ...(nearest ? { nearest } : {}),
    });
  }
}

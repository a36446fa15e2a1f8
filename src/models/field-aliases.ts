/**
 * Names agents send for fields our tools call otherwise (`duration` for `seconds`, `job` for
 * `job_id`). An unknown argument is refused with the field it most likely meant; this table is
 * where "most likely" comes from. Keys are normalised (lower case, letters and digits only), so
 * `aspectRatio`, `aspect_ratio` and `Aspect-Ratio` are one entry. Targets are tried in order and the
 * first one the tool accepts at that place wins (`text` is create_video's prompt, list_video_models' query).
 */
import { levenshtein } from './lookup.js';

const ALIASES: Record<string, readonly string[]> = {
  // create_video
  duration: ['seconds', 'min_seconds'],
  durationseconds: ['seconds', 'min_seconds'],
  durationsec: ['seconds', 'min_seconds'],
  durations: ['seconds', 'min_seconds'],
  length: ['seconds', 'min_seconds'],
  lengthseconds: ['seconds', 'min_seconds'],
  videolength: ['seconds', 'min_seconds'],
  videoduration: ['seconds', 'min_seconds'],
  secs: ['seconds', 'min_seconds'],
  sec: ['seconds', 'min_seconds'],
  numseconds: ['seconds', 'min_seconds'],
  aspectratio: ['ratio'],
  aspect: ['ratio'],
  res: ['resolution'],
  videoresolution: ['resolution'],
  negative: ['negative_prompt'],
  negativeprompts: ['negative_prompt'],
  negprompt: ['negative_prompt'],
  audio: ['generate_audio', 'audio_inputs'],
  withaudio: ['generate_audio', 'audio'],
  sound: ['generate_audio', 'audio'],
  enableaudio: ['generate_audio', 'audio'],
  audioenabled: ['generate_audio', 'audio'],
  hasaudio: ['audio', 'generate_audio'],
  quality: ['output_quality'],
  videoquality: ['output_quality'],
  crf: ['output_quality'],
  format: ['output_format'],
  container: ['output_format'],
  fileformat: ['output_format'],
  videoformat: ['output_format'],
  framerate: ['fps'],
  framespersecond: ['fps'],
  numsteps: ['steps'],
  numinferencesteps: ['steps'],
  inferencesteps: ['steps'],
  cfg: ['guidance_scale'],
  cfgscale: ['guidance_scale'],
  guidance: ['guidance_scale'],
  randomseed: ['seed'],
  text: ['prompt', 'query'],
  textprompt: ['prompt'],
  caption: ['prompt'],
  modelid: ['model'],
  modelname: ['model'],
  confirm: ['confirm_cost_usd'],
  confirmed: ['confirm_cost_usd'],
  confirmcost: ['confirm_cost_usd'],
  confirmedcost: ['confirm_cost_usd'],
  confirmprice: ['confirm_cost_usd'],
  costconfirmation: ['confirm_cost_usd'],
  costconfirmed: ['confirm_cost_usd'],
  approvedcost: ['confirm_cost_usd'],
  acceptedcost: ['confirm_cost_usd'],
  userconfirmed: ['confirm_cost_usd'],
  // waiting
  wait: ['wait_seconds'],
  waittime: ['wait_seconds'],
  waitsecs: ['wait_seconds'],
  timeout: ['wait_seconds'],
  timeoutseconds: ['wait_seconds'],
  maxwait: ['wait_seconds'],
  // job ids
  job: ['job_id'],
  id: ['job_id'],
  videoid: ['job_id'],
  taskid: ['job_id'],
  generationid: ['job_id'],
  requestid: ['job_id'],
  // download_video
  name: ['filename', 'query'],
  file: ['filename'],
  filepath: ['filename'],
  path: ['filename'],
  outputpath: ['filename'],
  outputfile: ['filename'],
  output: ['filename', 'output_format'],
  // list_video_models
  org: ['organization'],
  organisation: ['organization'],
  provider: ['organization'],
  vendor: ['organization'],
  company: ['organization'],
  type: ['task'],
  mode: ['task'],
  search: ['query'],
  q: ['query'],
  filter: ['query'],
  keyword: ['query'],
  seconds: ['min_seconds'],
  minduration: ['min_seconds'],
  maxcost: ['max_cost_usd'],
  maxprice: ['max_cost_usd'],
  budget: ['max_cost_usd'],
  budgetusd: ['max_cost_usd'],
  price: ['max_cost_usd'],
  keyframes: ['keyframe'],
  frame: ['keyframe'],
  // inside media items
  url: ['input_image', 'video', 'audio'],
  uri: ['input_image', 'video', 'audio'],
  src: ['input_image', 'video', 'audio'],
  ref: ['input_image', 'video', 'audio'],
  image: ['input_image'],
  imageurl: ['input_image'],
  videourl: ['video'],
  audiourl: ['audio'],
  position: ['frame'],
  at: ['frame'],
  index: ['frame'],
  // list_video_jobs
  state: ['status'],
  after: ['since'],
  from: ['since'],
  newerthan: ['since'],
  max: ['limit'],
  count: ['limit'],
  n: ['limit'],
  pagesize: ['limit'],
  top: ['limit'],
  undownloaded: ['not_downloaded'],
  notsaved: ['not_downloaded'],
};

/** The names whose likeliest meaning is `field`. */
export const aliasesOf = (field: string): string[] =>
  Object.keys(ALIASES).filter((name) => ALIASES[name]?.[0] === field);

export const normaliseKey = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The accepted field `key` most likely means: same name in another spelling, a known alias, or a near typo. */
export function meantField(key: string, accepted: readonly string[]): string | undefined {
  const n = normaliseKey(key.slice(0, 60));
  const same = accepted.find((a) => normaliseKey(a) === n);
  if (same) return same;
  const alias = ALIASES[n]?.find((t) => accepted.includes(t));
  if (alias) return alias;
  if (n.length < 4) return undefined;
  return accepted.find((a) => levenshtein(n, normaliseKey(a), 3) <= 2);
}

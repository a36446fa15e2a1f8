import type { ModelCapabilities } from '../types.js';
import { bytedancePixverseViduModels } from './bytedance-pixverse-vidu.js';
import { googleOpenAiModels } from './google-openai.js';
import { minimaxKlingModels } from './minimax-kling.js';
import { wanAlibabaModels } from './wan-alibaba.js';

/** Every model the server knows, ids exactly as Together spells them (they are case-sensitive). */
export const CATALOG: readonly ModelCapabilities[] = [
  ...googleOpenAiModels,
  ...minimaxKlingModels,
  ...bytedancePixverseViduModels,
  ...wanAlibabaModels,
];

import { createVideo } from './create-video.js';
import type { Tool } from './define-tool.js';
import { downloadVideo } from './download-video.js';
import { getVideoStatus } from './get-video-status.js';
import { listVideoJobs } from './list-video-jobs.js';
import { listVideoModels } from './list-video-models.js';
import { previewVideo } from './preview-video.js';

export const tools: readonly Tool[] = [
  createVideo,
  getVideoStatus,
  listVideoModels,
  downloadVideo,
  listVideoJobs,
  previewVideo,
];

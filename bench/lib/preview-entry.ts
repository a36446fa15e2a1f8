// What bench/preview.mjs bundles and times: the preview exactly as download_video makes it.
export { findFrameTools } from '../../src/frames/frame-tools.js';
export { makePreview } from '../../src/frames/video-preview.js';

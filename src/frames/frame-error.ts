/** A file frames cannot be taken from (not a video, cut short, audio only) or a tool that failed. */
import { UserFacingError } from '../errors.js';

export class FrameError extends UserFacingError {
  override name = 'FrameError';
}

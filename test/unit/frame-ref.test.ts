import { describe, expect, it } from 'vitest';
import { jobRefProblem, parseJobRef } from '../../src/models/frame-ref.js';

describe('job: references and their frames', () => {
  it.each([
    ['job:abc', { jobId: 'abc', frame: undefined }],
    ['job: abc ', { jobId: 'abc', frame: undefined }],
    ['job:abc#last-frame', { jobId: 'abc', frame: 'last' }],
    ['job:abc#first-frame', { jobId: 'abc', frame: 'first' }],
    ['job:abc#t=0', { jobId: 'abc', frame: 0 }],
    ['job:abc#t=2.5', { jobId: 'abc', frame: 2.5 }],
    ['job:abc#t=.5', { jobId: 'abc', frame: 0.5 }],
    ['job:a.b-c_1#t=3', { jobId: 'a.b-c_1', frame: 3 }],
  ])('reads %s', (ref, expected) => {
    expect(parseJobRef(ref)).toEqual(expected);
  });

  it('leaves references that are not job: ones alone', () => {
    expect(parseJobRef('https://example.com/a.png#last-frame')).toBeUndefined();
    expect(parseJobRef('/home/me/job:1.png')).toBeUndefined();
  });

  it.each([
    ['job:abc#last', /"#last" names no frame/, 'job:abc#last-frame'],
    ['job:abc#end', /names no frame/, 'job:abc#last-frame'],
    ['job:abc#final_frame', /names no frame/, 'job:abc#last-frame'],
    ['job:abc#lastFrame', /names no frame/, 'job:abc#last-frame'],
    ['job:abc#first', /names no frame/, 'job:abc#first-frame'],
    ['job:abc#start', /names no frame/, 'job:abc#first-frame'],
    ['job:abc#2.5', /names no frame/, 'job:abc#t=2.5'],
    ['job:abc#time=3', /names no frame/, 'job:abc#t=3'],
    ['job:abc#t=2s', /#t= takes the seconds into the clip as a plain number/, 'job:abc#t=2'],
    ['job:abc#t=-1', /-1 s, before the clip starts/, 'job:abc#first-frame'],
    ['job:abc#t=abc', /got "abc"/, undefined],
    ['job:abc#t=', /got ""/, undefined],
    ['job:abc#middle', /job:abc followed by #last-frame, #first-frame or #t=<seconds>/, undefined],
    ['job:#last-frame', /names no job/, undefined],
  ])('refuses %s with the nearest spelling', (ref, message, nearest) => {
    const parsed = parseJobRef(ref);
    expect(parsed).toMatchObject({ message: expect.stringMatching(message) });
    expect(parsed && 'message' in parsed ? parsed.nearest : 'parsed').toBe(nearest);
  });

  it('refuses a frame on a video or audio field, pointing a video field to the whole clip', () => {
    expect(jobRefProblem('job:abc#last-frame', 'video')).toEqual({
      message: expect.stringMatching(/one frame of job abc \(an image\), but this field takes a video/),
      nearest: 'job:abc',
    });
    expect(jobRefProblem('job:abc#t=1', 'audio')?.message).toMatch(/takes audio/);
    expect(jobRefProblem('job:abc#last-frame', 'image')).toBeUndefined();
    expect(jobRefProblem('job:abc', 'video')).toBeUndefined();
    // Told at resolution, as before: it needs no fragment check.
    expect(jobRefProblem('job:abc', 'image')).toBeUndefined();
  });
});

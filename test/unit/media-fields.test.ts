import { describe, expect, it } from 'vitest';
import { MEDIA_FIELDS, mediaSchema, refsIn, resolveRefs } from '../../src/models/media-fields.js';

const every = mediaSchema.parse({
  frame_images: [{ input_image: 'img-a', frame: 'first' }, { input_image: 'img-b' }],
  frame_videos: [{ video: 'vid-a' }],
  reference_images: ['img-c'],
  reference_videos: [{ video: 'vid-b' }],
  source_video: { video: 'vid-c' },
  audio_inputs: ['aud-a', { audio: 'aud-b' }],
});

describe('media fields: one description, every use derived from it', () => {
  it('lists the fields in schema order and finds each reference, a single value counting as one', () => {
    expect(MEDIA_FIELDS).toEqual(Object.keys(mediaSchema.shape));
    expect(MEDIA_FIELDS.map((f) => refsIn(every, f))).toEqual([
      ['img-a', 'img-b'],
      ['vid-a'],
      ['img-c'],
      ['vid-b'],
      ['vid-c'],
      ['aud-a', 'aud-b'],
    ]);
    expect(refsIn({}, 'source_video')).toEqual([]);
  });

  it('resolves each reference with its kind and path, keeping objects and sending a ref-or-object as the bare ref', async () => {
    const seen: string[] = [];
    const sent = await resolveRefs(every, async (ref, kind, at) => {
      seen.push(`${at} ${kind} ${ref}`);
      return `<${ref}>`;
    });
    expect(seen.sort()).toEqual([
      'media.audio_inputs[0] audio aud-a',
      'media.audio_inputs[1] audio aud-b',
      'media.frame_images[0].input_image image img-a',
      'media.frame_images[1].input_image image img-b',
      'media.frame_videos[0].video video vid-a',
      'media.reference_images[0] image img-c',
      'media.reference_videos[0].video video vid-b',
      'media.source_video video vid-c',
    ]);
    expect(sent).toEqual({
      frame_images: [{ input_image: '<img-a>', frame: 'first' }, { input_image: '<img-b>' }],
      frame_videos: [{ video: '<vid-a>' }],
      reference_images: ['<img-c>'],
      reference_videos: [{ video: '<vid-b>' }],
      source_video: '<vid-c>',
      audio_inputs: ['<aud-a>', '<aud-b>'],
    });
  });
});

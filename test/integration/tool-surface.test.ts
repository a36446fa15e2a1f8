/**
 * The tool surface clients see (tools/list and prompts/list, as JSON) against the committed
 * snapshot test/fixtures/tool-surface.json: renaming a field, changing a schema or rewording a
 * description fails here until the snapshot is updated on purpose (`npx vitest run -u`) and the
 * change is noted in CHANGELOG.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

describe('tool surface', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('matches the committed snapshot', async () => {
    const { tools } = await h.client.listTools();
    const { prompts } = await h.client.listPrompts();
    await expect(`${JSON.stringify({ tools, prompts }, null, 2)}\n`).toMatchFileSnapshot(
      '../fixtures/tool-surface.json',
    );
  });
});

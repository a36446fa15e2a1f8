/** The prompts: ready-made requests that help an agent use the tools well. */
import type { McpServer } from '@modelcontextprotocol/server';
import { registerPickModel } from './pick-model.js';
import { registerStoryboard } from './storyboard.js';

export function registerPrompts(server: McpServer): void {
  registerStoryboard(server);
  registerPickModel(server);
}

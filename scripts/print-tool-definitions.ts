/** Prints each tool's tools/list entry, by name, as JSON; scripts/build.mjs bakes it into the bin. */
import { tools } from '../src/tools/index.js';
import { toolDefinition } from '../src/tools/tool-list.js';

process.stdout.write(
  JSON.stringify(Object.fromEntries(tools.map((tool) => [tool.name, toolDefinition(tool)]))),
);

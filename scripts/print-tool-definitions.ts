/** Prints the tools/list answer as JSON; scripts/build.mjs bakes it into the bin. */
import { tools } from '../src/tools/index.js';
import { toolDefinitions } from '../src/tools/tool-list.js';

process.stdout.write(JSON.stringify(toolDefinitions(tools)));

/** The --help text; its options and variables come from the table in env-vars.ts. */
import { type AnyEnvVar, describeVarWithDefault, ENV_VARS } from './env-vars.js';
import { SERVER_NAME, VERSION } from './version.js';

const WIDTH = 100;
const INDENT = '      ';

/** Breaks text into lines of at most WIDTH columns, each starting with INDENT. */
function wrap(text: string): string {
  const lines: string[] = [];
  let line = INDENT;
  for (const word of text.split(' ')) {
    if (line.length + word.length + 1 > WIDTH && line.trim()) {
      lines.push(line.trimEnd());
      line = INDENT;
    }
    line += `${line.trim() ? ' ' : ''}${word}`;
  }
  return [...lines, line].join('\n');
}

export function helpText(): string {
  const vars = Object.entries(ENV_VARS) as [string, AnyEnvVar][];
  const flagLines = vars
    .filter(([, spec]) => spec.flag)
    .map(([name, spec]) => `  ${(spec.flag ?? '').padEnd(18)} overrides ${name} (see below)`);
  const varLines = vars.map(([name, spec]) => `  ${name}\n${wrap(describeVarWithDefault(spec))}`);
  return `${SERVER_NAME} ${VERSION}: an MCP server for AI video generation with Together AI.

Usage:
  together-video-mcp [--sandbox] [--output-dir DIR] [--log-level LEVEL]   serve MCP over stdio
  together-video-mcp --http [--port 3000] [--host 127.0.0.1] [--stateless]
                                                                          serve MCP over Streamable HTTP at /mcp
  together-video-mcp demo [--prompt TEXT] [--model ID] [--real]           make a video through a real MCP client
  together-video-mcp import-ledger [--database-url URL]                   copy the state dir's jobs into the database
  together-video-mcp emulator [--port N] [--host H] [--shape spec|docs] [--job-seconds S] [--api-key KEY]
                              [--video-bytes N]
                                                                          run the sandbox API emulator

Options:
${flagLines.join('\n')}
  --http             serve Streamable HTTP instead of stdio (endpoint /mcp, health /healthz)
  --port N / --host H  where --http listens (default 127.0.0.1:3000; beyond loopback needs VIDEO_MCP_HTTP_TOKEN)
  --stateless        --http without sessions: any replica can answer any request (see README)
  -h, --help         show this help
  -v, --version      print the version

Environment (an empty value counts as unset):
${varLines.join('\n')}
`;
}

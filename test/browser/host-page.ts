/**
 * The host's half of MCP Apps for the browser tests: an AppBridge talking postMessage to a sandboxed
 * iframe of the view, forwarding the view's tools/call and resources/read to the test process (which
 * sends them to the real server) and recording the messages the view asks the host to send.
 */
import {
  AppBridge,
  type McpUiHostContext,
  type McpUiMessageRequest,
  PostMessageTransport,
} from '@modelcontextprotocol/ext-apps/app-bridge';

declare global {
  interface Window {
    /** Set by the test (page.exposeFunction): one MCP request to the real server. */
    mcpForward(method: 'tools/call' | 'resources/read', params: unknown): Promise<never>;
    startHost(html: string, context: McpUiHostContext): Promise<void>;
    bridge: AppBridge;
    sentMessages: McpUiMessageRequest['params'][];
  }
}

window.sentMessages = [];
window.startHost = async (html, context) => {
  const frame = document.createElement('iframe');
  frame.id = 'view';
  // What real hosts do: scripts run, but the view gets an opaque origin and no access to the page.
  frame.sandbox.add('allow-scripts');
  frame.srcdoc = html;
  document.body.append(frame);
  const target = frame.contentWindow;
  if (!target) throw new Error('the iframe has no window');

  const bridge = new AppBridge(
    null,
    { name: 'browser-test-host', version: '1.0.0' },
    { serverTools: {}, serverResources: {}, message: { text: {} } },
    { hostContext: context },
  );
  bridge.oncalltool = (params) => window.mcpForward('tools/call', params);
  bridge.onreadresource = (params) => window.mcpForward('resources/read', params);
  bridge.onmessage = async (params) => {
    window.sentMessages.push(params);
    return {};
  };
  const initialized = new Promise<void>((resolve) => {
    bridge.oninitialized = () => resolve();
  });
  await bridge.connect(new PostMessageTransport(target, target));
  await initialized;
  window.bridge = bridge;
};

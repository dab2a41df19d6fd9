/**
 * The page a browser opens to attach Stately's inspector: it embeds the
 * inspector UI and forwards every inspection event it reads from tierdown's
 * WebSocket into it with postMessage — the same bridge `@statelyai/inspect/server`
 * serves, pointed at 127.0.0.1 instead of every interface.
 */

/** Where the bridge page embeds the inspector UI from (the user's browser loads it, not tierdown). */
export const STATELY_INSPECTOR_URL = 'https://stately.ai/inspect';

export function bridgePage(wsUrl: string, inspectorUrl: string = STATELY_INSPECTOR_URL): string {
  return `<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8">
  <title>tierdown — Stately inspector</title>
  <style>html, body { height: 100%; margin: 0 } iframe { width: 100%; height: 100%; border: 0 }</style>
</head>
<body>
  <iframe id="inspector" src="${inspectorUrl}"></iframe>
  <script>
    const frame = document.getElementById('inspector');
    const pending = [];
    let connected = false;
    // The inspector says it is ready once loaded; until then events wait here.
    window.addEventListener('message', (message) => {
      if (message.data && message.data.type === '@statelyai.connected') {
        connected = true;
        pending.splice(0).forEach((event) => frame.contentWindow.postMessage(event, '*'));
      }
    });
    const socket = new WebSocket(${JSON.stringify(wsUrl)});
    socket.onmessage = (message) => {
      const event = JSON.parse(message.data);
      if (connected) frame.contentWindow.postMessage(event, '*');
      else pending.push(event);
    };
  </script>
</body>
</html>`;
}

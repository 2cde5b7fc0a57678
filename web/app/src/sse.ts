/**
 * Server-sent events over fetch, so that the bearer token goes in a header (EventSource cannot send one).
 * Reconnects with Last-Event-ID after a dropped connection until stopped.
 */
export function streamEvents(
  url: string,
  token: () => string,
  onEvent: (type: string, data: string) => void,
  onState: (connected: boolean) => void,
): () => void {
  const abort = new AbortController();
  let lastId: string | null = null;
  const run = async () => {
    while (!abort.signal.aborted) {
      try {
        const headers: Record<string, string> = { Authorization: 'Bearer ' + token(), Accept: 'text/event-stream' };
        if (lastId) headers['Last-Event-ID'] = lastId;
        const r = await fetch(url, { headers, signal: abort.signal });
        if (!r.ok || !r.body) throw new Error('HTTP ' + r.status);
        onState(true);
        const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let i: number;
          while ((i = buf.search(/\r?\n\r?\n/)) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i).replace(/^\r?\n\r?\n/, '');
            let type = 'message';
            const data: string[] = [];
            for (const line of block.split(/\r?\n/)) {
              if (line.startsWith('event:')) type = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
              else if (line.startsWith('id:')) lastId = line.slice(3).trim();
            }
            if (data.length) onEvent(type, data.join('\n'));
          }
        }
      } catch {
        /* dropped: retry below */
      }
      onState(false);
      if (!abort.signal.aborted) await new Promise((res) => setTimeout(res, 3000));
    }
  };
  run();
  return () => abort.abort();
}

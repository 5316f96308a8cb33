// The SMTP server of the mail benchmark, in its own process (a mail server is one): `smtp-server` on
// 127.0.0.1 that accepts every message, reads it to its end, and keeps only counts and the Message-IDs it
// saw, so the parent can check that exactly N distinct messages arrived.
// Protocol over the IPC channel: it sends `{ port }` once listening; on `'stats'` it answers with a
// {@link SinkStats}; on `'close'` it closes and exits.
import { SMTPServer } from 'smtp-server';

/** What the sink received since it started. */
export interface SinkStats {
  /** Messages answered 250. */
  readonly messages: number;
  /** Distinct Message-ID headers among them. */
  readonly distinctMessageIds: number;
  /** Distinct envelope recipients among them. */
  readonly distinctRecipients: number;
  /** Messages that had no Message-ID header. */
  readonly withoutMessageId: number;
  /** TCP connections accepted. */
  readonly connections: number;
  /** Bytes of message data received. */
  readonly bytes: number;
}

const messageIds = new Set<string>();
const recipients = new Set<string>();
let messages = 0;
let withoutMessageId = 0;
let connections = 0;
let bytes = 0;

const server = new SMTPServer({
  authOptional: true,
  // Plain SMTP on loopback: no TLS handshake per connection (with one, a new connection costs far more).
  disabledCommands: ['STARTTLS'],
  logger: false,
  // A reverse DNS lookup per connection is what a real server does, but in a sandbox it can take seconds.
  disableReverseLookup: true,
  size: 1024 * 1024,
  onConnect(_session, callback) {
    connections += 1;
    callback();
  },
  onData(stream, session, callback) {
    // Only the header block is kept, to find the Message-ID; the body is counted and dropped.
    let head = '';
    let headDone = false;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (headDone) return;
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end >= 0) {
        head = head.slice(0, end);
        headDone = true;
      }
    });
    stream.on('end', () => {
      messages += 1;
      const id = /^message-id:\s*(<[^>\r\n]*>)/im.exec(head)?.[1];
      if (id === undefined) withoutMessageId += 1;
      else messageIds.add(id);
      for (const to of session.envelope.rcptTo) recipients.add(to.address.toLowerCase());
      callback(null, 'queued');
    });
  },
});
// A client that closes without QUIT resets its connection; that is not a failure of the benchmark.
server.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') throw error;
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.server.address() as { port: number };
  process.send?.({ port });
});

process.on('message', (command: unknown) => {
  if (command === 'stats') {
    const stats: SinkStats = {
      messages,
      distinctMessageIds: messageIds.size,
      distinctRecipients: recipients.size,
      withoutMessageId,
      connections,
      bytes,
    };
    process.send?.(stats);
  } else if (command === 'close') {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  }
});

// A real SMTP server on loopback for the mailer and sending tests (the `smtp-server` package), with the
// faults the tests inject: refused recipients, connections dropped mid-message, messages held unanswered.
import type { Socket } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { ReceivedMessage } from '../../src/testing/mailer-conformance.js';

/** A message the server accepted (answered 250), as it arrived. */
export interface Arrival {
  readonly raw: Buffer;
  readonly envelopeTo: readonly string[];
}

/** What to do with a message whose data has arrived: accept it, drop the connection, or never answer. */
export type DataAction = 'accept' | 'drop' | 'hold';

export interface TestSmtpServer {
  readonly port: number;
  /** Accepted messages, in order of acceptance. */
  readonly arrivals: readonly Arrival[];
  /** `RCPT TO` commands seen for an address (case-insensitive), accepted or refused. */
  rcptAttempts(address: string): number;
  /** Refuses `address` at `RCPT TO` with 451 (transient) or 550 (permanent), the next `times` times. */
  refuse(address: string, kind: 'transient' | 'permanent', times?: number): void;
  /** Decides what happens to each message once its data arrived; `seen` counts messages, this one included. */
  onData(decide: (seen: number, envelopeTo: readonly string[]) => DataAction): void;
  /** The accepted messages, parsed with mailparser. */
  received(): Promise<ReceivedMessage[]>;
  close(): Promise<void>;
}

/** Starts an SMTP server on 127.0.0.1, on a free port, that accepts everything unless told otherwise. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const arrivals: Arrival[] = [];
  const rcpt = new Map<string, number>();
  const refusals = new Map<string, { reply: number; left: number }>();
  const sockets = new Set<Socket>();
  let decide: (seen: number, envelopeTo: readonly string[]) => DataAction = () => 'accept';
  let seen = 0;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 100,
    disableReverseLookup: true, // a reverse DNS lookup per connection can take seconds in a sandbox
    onRcptTo(address, _session, callback) {
      const key = address.address.toLowerCase();
      rcpt.set(key, (rcpt.get(key) ?? 0) + 1);
      const refusal = refusals.get(key);
      if (refusal && refusal.left > 0) {
        refusal.left -= 1;
        const text = refusal.reply === 550 ? '5.1.1 No such user here' : '4.2.1 Mailbox busy, try again later';
        callback(Object.assign(new Error(text), { responseCode: refusal.reply }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        seen += 1;
        const envelopeTo = session.envelope.rcptTo.map((a) => a.address);
        const action = decide(seen, envelopeTo);
        if (action === 'accept') {
          arrivals.push({ raw: Buffer.concat(chunks), envelopeTo });
          callback(null, 'queued');
        } else if (action === 'drop') {
          for (const socket of sockets) if (socket.remotePort === session.remotePort) socket.destroy();
        }
        // 'hold': never answered; the client waits until its connection ends.
      });
    },
  });
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client killed mid-conversation (the kill tests do it on purpose) resets its connection; smtp-server
  // reports that as an 'error' event, which must not become an unhandled error of the test run.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') throw error;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;

  return {
    port,
    arrivals,
    rcptAttempts: (address) => rcpt.get(address.toLowerCase()) ?? 0,
    refuse(address, kind, times = Infinity) {
      refusals.set(address.toLowerCase(), { reply: kind === 'permanent' ? 550 : 451, left: times });
    },
    onData(decision) {
      decide = decision;
    },
    received: () => Promise.all(arrivals.map((a) => parseMessage(a.raw))),
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}

/** Parses a MIME message with mailparser into what the conformance suite compares. */
export async function parseMessage(raw: Buffer): Promise<ReceivedMessage> {
  const parsed = await simpleParser(raw);
  const mailboxes = (field: AddressObject | AddressObject[] | undefined) =>
    (Array.isArray(field) ? field : field === undefined ? [] : [field])
      .flatMap((group) => group.value)
      .map((a) => ({ name: a.name, address: a.address ?? '' }));
  return {
    messageId: parsed.messageId ?? '',
    from: mailboxes(parsed.from)[0] ?? { name: '', address: '' },
    to: mailboxes(parsed.to),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    headerNames: [...parsed.headers.keys()],
  };
}

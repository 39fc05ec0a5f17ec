import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/*
 * A real SMTP server in this process (smtp-server) that keeps what it is given, refuses a few
 * addresses the way real servers do, and takes one login; and a small MIME reader for what arrived.
 */

export interface Delivered {
  from: string | undefined;
  to: string[];
  user: string | undefined;
  raw: string;
}

export function startSmtp() {
  const delivered: Delivered[] = [];
  const server = new SMTPServer({
    // Plain SMTP on 127.0.0.1: no certificate to trust, AUTH allowed without TLS.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'service@shop.example' && auth.password === 'smtp-password')
        return callback(null, { user: auth.username });
      callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      // The mailbox decides the answer, as a real server's checks would.
      const refusal: Record<string, [number, string]> = {
        'gone@example.com': [550, '5.1.1 The email account that you tried to reach does not exist'],
        'not-allowed@example.com': [553, '5.7.1 Sender address rejected: not owned by user'],
        'busy@example.com': [451, '4.3.0 Mail server temporarily rejected message'],
        'full@example.com': [452, '4.2.2 Mailbox full'],
      };
      const hit = refusal[address.address];
      if (hit) return callback(Object.assign(new Error(hit[1]), { responseCode: hit[0] }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        delivered.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  return {
    delivered,
    listen: () =>
      new Promise<number>((done) =>
        server.listen(0, '127.0.0.1', () => done((server.server.address() as AddressInfo).port)),
      ),
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** A message's headers (unfolded, names lower-cased) and its parts, decoded. */
export function parseMime(raw: string) {
  const split = (text: string) => {
    const at = text.indexOf('\r\n\r\n');
    const head = text.slice(0, at).replace(/\r\n[ \t]+/g, ' ');
    const headers = new Map<string, string>();
    for (const line of head.split('\r\n')) {
      const colon = line.indexOf(':');
      headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
    }
    return { headers, body: text.slice(at + 4) };
  };
  const decode = (encoding: string | undefined, body: string) => {
    if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (encoding === 'quoted-printable') {
      const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => `%${h}`);
      return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/g, '%25'));
    }
    return body;
  };
  const message = split(raw);
  const boundary = /boundary="?([^";]+)"?/.exec(message.headers.get('content-type') ?? '')?.[1];
  const parts = (boundary ? message.body.split(`--${boundary}`).slice(1, -1) : []).map((chunk) => {
    const part = split(chunk.replace(/^\r\n/, ''));
    return {
      type: (part.headers.get('content-type') ?? '').split(';')[0],
      text: decode(part.headers.get('content-transfer-encoding'), part.body).replace(/\r\n$/, ''),
    };
  });
  return { headers: message.headers, parts };
}

/** RFC 2047 encoded words (B and Q) back to text. */
export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(
            data
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

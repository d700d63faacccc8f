import { SMTPServer } from 'smtp-server';

export type SmtpMode = 'accept' | 'refuse' | 'stall';

export interface Delivery {
  messageId: string;
  to: string[];
  raw: string;
}

/**
 * A real SMTP server on 127.0.0.1 for the tests, whose answer to each mail can be changed
 * on the way: take it (`accept`), refuse it for now (`refuse`: 451), or hold it without an
 * answer (`stall`, until `release()` refuses the held ones). Deliveries are the mails it took.
 */
export interface TestSmtp {
  url: string;
  mode: SmtpMode;
  deliveries: Delivery[];
  refused: number;
  /** mails held without an answer (their client may have gone since) */
  stalled: number;
  /** how many times each Message-ID was taken */
  deliveredCount(messageId: string): number;
  /** Refuses (421) the mails it holds. */
  release(): void;
  close(): Promise<void>;
}

export async function startSmtp(mode: SmtpMode = 'accept'): Promise<TestSmtp> {
  const held = new Set<(error?: Error | null) => void>();
  const state: TestSmtp = {
    url: '',
    mode,
    deliveries: [],
    refused: 0,
    stalled: 0,
    deliveredCount: (messageId) => state.deliveries.filter((delivery) => delivery.messageId === messageId).length,
    release: () => {
      for (const answer of [...held]) answer(Object.assign(new Error('closing the transmission channel'), { responseCode: 421 }));
    },
    close: async () => {
      state.release();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 500,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        if (state.mode === 'refuse') {
          state.refused++;
          callback(Object.assign(new Error('mailbox busy, try again later'), { responseCode: 451 }));
        } else if (state.mode === 'stall') {
          state.stalled++;
          const answer = (error?: Error | null) => {
            held.delete(answer);
            state.stalled--;
            callback(error);
          };
          // Never taken unless released; a client that goes away meanwhile has not delivered it.
          held.add(answer);
        } else {
          const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? '';
          state.deliveries.push({ messageId, to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw });
          callback();
        }
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address() as { port: number };
  state.url = `smtp://127.0.0.1:${address.port}`;
  return state;
}

/**
 * What SES's configuration set does in AWS, for the local SES: every message it took becomes a
 * Send event, published (as SNS would) to the `mail-events` function. The local SES keeps its
 * mailbox at `/store`; this reads what came since the last look and publishes it.
 */

interface StoredMessage {
  readonly messageId: string;
  readonly at: number;
  readonly destination: { readonly to: readonly string[] };
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
}

export interface SesEventRelay {
  /** Publishes what the mailbox holds now that was not published yet; resolves when done. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export interface SesEventRelayOptions {
  /** The local SES. */
  readonly endpoint: string;
  /** Hands an SNS event of SES events to `mail-events`. */
  readonly publish: (snsEvent: unknown) => Promise<unknown>;
  /** The system's clock: the events' timestamp. */
  readonly now: () => number;
  /** How often to look, in real ms; 0 looks only when flushed. */
  readonly intervalMs?: number;
  readonly log?: (line: string) => void;
}

/** SNS hands Lambda at most this many records at once; so does the relay. */
const BATCH = 100;

export function relaySesEvents(options: SesEventRelayOptions): SesEventRelay {
  const published = new Set<string>();
  let since = 0;
  let running: Promise<void> | undefined;
  let stopped = false;

  const look = async (): Promise<void> => {
    const response = await fetch(`${options.endpoint}/store${since === 0 ? '' : `?since=${since}`}`);
    if (!response.ok) throw new Error(`the local SES answered ${response.status}`);
    const { emails } = (await response.json()) as { emails: StoredMessage[] };
    const fresh = emails.filter((email) => !published.has(email.messageId));
    for (let start = 0; start < fresh.length; start += BATCH) {
      const batch = fresh.slice(start, start + BATCH);
      const timestamp = new Date(options.now()).toISOString();
      await options.publish({
        Records: batch.map((email) => ({
          EventSource: 'aws:sns',
          Sns: {
            MessageId: `local-${email.messageId}`,
            Message: JSON.stringify({
              eventType: 'Send',
              mail: { timestamp, messageId: email.messageId, destination: email.destination.to, headersTruncated: false, headers: email.headers ?? [] },
              send: {},
            }),
          },
        })),
      });
      // Only what mail-events took is published: a failure is tried again at the next look.
      for (const email of batch) published.add(email.messageId);
    }
    // `since` is inclusive and in whole seconds: the last second is read again, `published` filters it.
    for (const email of emails) since = Math.max(since, email.at);
  };

  const flush = (): Promise<void> => {
    running ??= look().finally(() => {
      running = undefined;
    });
    return running;
  };

  const interval = options.intervalMs ?? 500;
  const timer =
    interval > 0
      ? setInterval(() => {
          if (stopped || running !== undefined) return;
          flush().catch((error: unknown) => options.log?.(`merzim: SES events: ${error instanceof Error ? error.message : String(error)}; trying again`));
        }, interval)
      : undefined;
  timer?.unref();

  return {
    flush,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}

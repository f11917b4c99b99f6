import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type { CommandWakeupChannel } from './CommandNotifier';

const CHANNEL = 'gitops_command_queued';
/** After a lost listening connection; the safety poll delivers meanwhile. */
const RECONNECT_DELAY_MS = 5000;

/**
 * Command wake-ups across replicas with PostgreSQL LISTEN/NOTIFY: one listening
 * connection per replica, so a waiting long-poll costs the database nothing.
 */
export class PostgresWakeupChannel implements CommandWakeupChannel {
  private connection: any;
  private onWake: (key: string) => void = () => {};
  private stopped = false;
  private reconnect?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly knex: Knex,
    private readonly logger: LoggerService,
  ) {}

  async publish(key: string): Promise<void> {
    await this.knex.raw('select pg_notify(?, ?)', [CHANNEL, key]);
  }

  async start(onWake: (key: string) => void): Promise<void> {
    this.onWake = onWake;
    await this.listen();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnect);
    const connection = this.connection;
    this.connection = undefined;
    if (connection) {
      await (this.knex.client as any).destroyRawConnection(connection);
    }
  }

  private async listen(): Promise<void> {
    const connection = await (this.knex.client as any).acquireRawConnection();
    connection.on('notification', (message: any) => {
      if (message.channel === CHANNEL && message.payload) {
        this.onWake(message.payload);
      }
    });
    connection.on('error', (error: Error) => this.lost(connection, error));
    connection.on('end', () => this.lost(connection, 'connection ended'));
    await connection.query(`LISTEN ${CHANNEL}`);
    this.connection = connection;
  }

  private lost(connection: unknown, reason: unknown) {
    if (this.stopped || connection !== this.connection) {
      return;
    }
    this.connection = undefined;
    this.logger.warn(
      `Command wake-ups lost their PostgreSQL connection (${reason}); reconnecting`,
    );
    this.reconnect = setTimeout(() => {
      this.listen().catch(error => this.lost(undefined, error));
    }, RECONNECT_DELAY_MS);
    this.reconnect.unref?.();
  }
}

import type { HttpClient } from '../../support/http';
import { RunnerFleet, sleep, type Delivery } from './fleet';
import type { Workload } from './workload';

/** Jobs kept queued ahead of the runners; below this a new pipeline is created. */
const LOW_WATER = 400;

/**
 * Runners that keep picking up (paced) for as long as the drill wants, with pipelines created as the queue runs low;
 * `finish()` stops the supply, lets the runners take what is left, and stops them.
 */
export class SteadyLoad {
  readonly fleet: RunnerFleet;
  private queued = 0;
  private supplying = true;
  private supply?: Promise<void>;
  private running?: Promise<void>;

  constructor(
    private readonly workload: Workload,
    clients: readonly HttpClient[],
    options: { readonly pauseMs: number; readonly onDelivery: (delivery: Delivery) => void },
  ) {
    this.fleet = new RunnerFleet(clients, workload.runnerTokens, { finish: true, keepPolling: true, idleMs: 300, ...options });
  }

  async start(): Promise<void> {
    await this.topUp();
    this.supply = (async () => {
      while (this.supplying) {
        await this.topUp();
        await sleep(500);
      }
    })();
    this.running = this.fleet.run();
  }

  async finish(): Promise<void> {
    this.supplying = false;
    await this.supply;
    while (this.fleet.record.deliveries.length < this.queued) await sleep(200);
    this.fleet.stop();
    await this.running;
  }

  private async topUp(): Promise<void> {
    if (this.queued - this.fleet.record.deliveries.length >= LOW_WATER) return;
    const created = await this.workload.queue(1);
    this.queued += created.length * this.workload.jobsPerPipeline;
  }
}

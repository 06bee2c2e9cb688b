import { Injectable } from '@nestjs/common';
import { Gauge, Histogram } from 'prom-client';

import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { MetricsRegistry } from './metrics.registry';

/** Shutdown steps last seconds (a VM stop) to many minutes (a VM ladder hitting its timeout). */
const STEP_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1200, 3600];
const PLAN_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200];

/**
 * Plan and step durations. Plans run in the workers, which serve no HTTP; so the scraped
 * orchestrator observes each plan and step finished since it started, found in PostgreSQL at
 * scrape time (a cursor on finishedAt). Every replica observes the same finished plans: query
 * one replica's histograms, not the sum over replicas.
 */
@Injectable()
export class PlanMetricsCollector {
  private planCursor = new Date();
  private stepCursor = new Date();

  public constructor(metrics: MetricsRegistry, store: OrchestratorPlanStore) {
    const registers = [metrics.registry];
    const planDuration = new Histogram({
      name: 'nutfleet_plan_duration_seconds',
      help: 'Duration of finished plans (start to finish), by kind, mode and final state',
      labelNames: ['kind', 'mode', 'state'],
      buckets: PLAN_BUCKETS,
      registers,
    });
    const stepDuration = new Histogram({
      name: 'nutfleet_plan_step_duration_seconds',
      help: 'Duration of finished plan steps, by action and final state',
      labelNames: ['action', 'state'],
      buckets: STEP_BUCKETS,
      registers,
    });
    const observe = async (): Promise<void> => {
      const plans = await store.reads.plansFinishedAfter(this.planCursor, 5000);
      for (const p of plans) {
        if (p.startedAt === null || p.finishedAt === null) continue;
        planDuration.observe(
          { kind: p.kind, mode: p.mode, state: p.state },
          (p.finishedAt.getTime() - p.startedAt.getTime()) / 1000,
        );
        this.planCursor = p.finishedAt;
      }
      const steps = await store.reads.stepsFinishedAfter(this.stepCursor, 20_000);
      for (const s of steps) {
        if (s.startedAt === null || s.finishedAt === null) continue;
        stepDuration.observe(
          { action: s.action, state: s.state },
          (s.finishedAt.getTime() - s.startedAt.getTime()) / 1000,
        );
        this.stepCursor = s.finishedAt;
      }
    };
    // The histograms are filled by the gauge's collect (histograms have no async collect hook).
    new Gauge({
      name: 'nutfleet_plans',
      help: 'Plans by kind and state',
      labelNames: ['kind', 'state'],
      registers,
      async collect() {
        await observe();
        const groups = await store.reads.countsByKindAndState();
        this.reset();
        for (const g of groups) this.set({ kind: g.kind, state: g.state }, g.count);
      },
    });
  }
}
